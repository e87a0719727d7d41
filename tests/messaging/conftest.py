"""The Berichtencentrum's cast: agency staff (role berichten-abb at the agency), clerks of two municipalities."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.accounts.roles import Role
from loket.messaging.services import ConversationDraft, attachments_store, conversation_start
from tests.conftest import grant, make_user
from tests.support.smtp import smtp_server  # noqa: F401 - a real SMTP server on loopback

PDF_BYTES = b"%PDF-1.4\n" + b"% brief van het agentschap\n" * 60  # over the 1 kB minimum


def pdf(name: str = "brief.pdf", body: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def agency_staff(agency):  # type: ignore[no-untyped-def]
    user = make_user("abby-abb", email="abby@abb.example")
    grant(user, agency, [Role.MESSAGES_AGENCY])
    return user


@pytest.fixture
def message_clerk(municipality):  # type: ignore[no-untyped-def]
    user = make_user("berta-berichten", email="berta@aalst.example")
    grant(user, municipality, [Role.BERICHTEN])
    return user


@pytest.fixture
def other_clerk(other_municipality):  # type: ignore[no-untyped-def]
    user = make_user("oscar-other")
    grant(user, other_municipality, [Role.BERICHTEN])
    return user


@pytest.fixture
def conversation(agency_staff, municipality, uploader):  # type: ignore[no-untyped-def]
    return conversation_start(
        actor=agency_staff,
        organisation=municipality,
        draft=ConversationDraft(
            dossier_number="KLACHT2026.000123",
            subject="Klacht over de raadszitting",
            kind="Opvraging",
            handler_email="dossier@abb.example",
        ),
        blobs=attachments_store([pdf()], uploader=uploader),
    )
