"""Notification mails through the real worker and a real SMTP server on loopback: one per new agency message,
never twice, retried when SMTP is down; the dossier handler hears of each reply."""

import time

import pytest

from loket.core.quota import Uploader
from loket.messaging.models import Notification
from loket.messaging.services import (
    ConversationDraft,
    agency_message_add,
    attachments_store,
    conversation_start,
    message_reply,
    notification_setting_update,
)
from tests.messaging.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def mails_wanted(municipality, message_clerk):  # type: ignore[no-untyped-def]
    notification_setting_update(
        actor=message_clerk,
        organisation=municipality,
        is_enabled=True,
        addresses_text="secretariaat@aalst.example, info@aalst.example",
    )


def _start(staff, organisation):  # type: ignore[no-untyped-def]
    uploader = Uploader(organisation, staff)
    return conversation_start(
        actor=staff,
        organisation=organisation,
        draft=ConversationDraft(
            dossier_number="KB/2026/9",
            subject="Schorsing besluit",
            kind="Opvraging",
            handler_email="behandelaar@abb.example",
        ),
        blobs=attachments_store([pdf()], uploader=uploader),
    )


def test_one_mail_per_new_agency_message(
    uploader, smtp_server, run_worker, mails_wanted, agency_staff, municipality, settings
):
    settings.LOKET_SITE_URL = "https://loket.example"
    conversation = _start(agency_staff, municipality)
    run_worker()
    run_worker()  # a second run sends nothing again
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail.message["Subject"] == "Dossier KB/2026/9: 'Schorsing besluit' - Nieuw bericht: Opvraging"
    assert set(mail.rcpt_tos) == {"secretariaat@aalst.example", "info@aalst.example"}
    body = mail.message.get_body().get_content()
    assert f"https://loket.example/berichtencentrum/{conversation.uuid}/" in body
    assert not list(mail.message.iter_attachments())
    agency_message_add(
        actor=agency_staff,
        conversation=conversation,
        kind="Kennisgeving toezichtsbeslissing",
        text="",
        blobs=attachments_store([pdf("tweede.pdf", PDF_BYTES + b"2")], uploader=uploader),
    )
    run_worker()
    assert len(smtp_server.messages) == 2
    assert smtp_server.messages[1].message["Subject"].endswith("Nieuw bericht: Kennisgeving toezichtsbeslissing")


def test_no_mail_without_the_switch(smtp_server, run_worker, agency_staff, municipality):
    _start(agency_staff, municipality)
    run_worker()
    assert smtp_server.messages == [] and not Notification.objects.exists()


def test_the_handler_gets_a_mail_for_each_reply(
    uploader, smtp_server, run_worker, agency_staff, municipality, message_clerk
):
    conversation = _start(agency_staff, municipality)
    message_reply(
        actor=message_clerk,
        conversation=conversation,
        text="",
        blobs=attachments_store([pdf("antwoord.pdf", PDF_BYTES + b"a")], uploader=uploader),
    )
    run_worker()  # delivers the reply (second ledger entry), which queues the handler's mail
    run_worker()
    handler_mails = [m for m in smtp_server.messages if m.rcpt_tos == ("behandelaar@abb.example",)]
    assert len(handler_mails) == 1
    assert "Aalst reageerde" in handler_mails[0].message.get_body().get_content()


def test_smtp_down_is_retried_and_sent_once(
    smtp_server, run_worker, mails_wanted, agency_staff, municipality, settings
):
    settings.EMAIL_PORT = 9  # nothing listens there: the connection is refused
    _start(agency_staff, municipality)
    run_worker()
    notification = Notification.objects.get()
    assert (notification.sent_at, notification.attempts) == (None, 1)
    assert "refused" in notification.last_error.lower() or notification.last_error
    settings.EMAIL_PORT = smtp_server.port
    time.sleep(0.5)  # the retry waits at least a tenth of two seconds
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not smtp_server.messages:
        run_worker()
        time.sleep(0.2)
    notification.refresh_from_db()
    assert len(smtp_server.messages) == 1 and notification.sent_at is not None
