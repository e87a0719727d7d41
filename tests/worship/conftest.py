"""Worship cast: the diocese's Catholic board (St.-Margarita, from the shared cast) with its municipality Aalst, an
Islamic board and the province, a central board, and a second municipality."""

import pytest

from loket.organisations.models import Organisation
from loket.worship.codes import Religion
from loket.worship.models import WorshipUnit
from loket.worship.services import worship_units_sync
from tests.conftest import _kind, make_organisation
from tests.support.smtp import smtp_server  # noqa: F401 - the real SMTP server on loopback


@pytest.fixture
def province(target_group, agency) -> Organisation:  # type: ignore[no-untyped-def]
    return make_organisation(
        key="cccc0000-0000-0000-0000-00000000000p",
        name="Provincie Antwerpen",
        kbo="0207725104",
        kind=_kind("5ab0e9b8a3b2ca7c5e000000", "Provincie", "province"),
        target_group=target_group,
        access_manager=agency,
    )


@pytest.fixture
def central_board_org(target_group, diocese) -> Organisation:  # type: ignore[no-untyped-def]
    return make_organisation(
        key="7f5475cfb202d12f54779f046441c9e1",
        name="CKB Aalst",
        kbo="0212345668",
        kind=_kind(
            "f9cac08a-13c1-49da-9bcb-f650b0604054", "Centraal bestuur van de eredienst", "central_worship_board"
        ),
        target_group=target_group,
        base="centraleBesturenVanDeEredienst",
        access_manager=diocese,
    )


@pytest.fixture
def islamic_board_org(target_group, agency) -> Organisation:  # type: ignore[no-untyped-def]
    return make_organisation(
        key="9d9d0000000000000000000000000001",
        name="",
        kbo="0500123486",
        kind=_kind("66ec74fd-8cfc-4e16-99c6-350b35012e86", "Bestuur van de eredienst", "worship_board"),
        target_group=target_group,
        base="besturenVanDeEredienst",
    )


@pytest.fixture
def units(worship_board, diocese, central_board_org, islamic_board_org, province, municipality, other_municipality):  # type: ignore[no-untyped-def]
    """Every worship body of the cast as a unit, with religions set; returns them by name."""
    worship_units_sync()
    board = WorshipUnit.objects.get(organisation=worship_board)
    body = WorshipUnit.objects.get(organisation=diocese)
    central = WorshipUnit.objects.get(organisation=central_board_org)
    islamic = WorshipUnit.objects.get(organisation=islamic_board_org)
    body.religion = central.religion = board.religion = Religion.ROMAN_CATHOLIC
    islamic.religion = Religion.ISLAMIC
    board.representative_body = body
    central.representative_body = body
    for unit in (board, body, central, islamic):
        unit.save()
    return {"board": board, "diocese": body, "central": central, "islamic": islamic}


def sent_decision(organisation, type_uri: str, *, about: Organisation | None = None):  # type: ignore[no-untyped-def]
    """A sent worship decision of `organisation`, delivered through Toezicht's own delivery (which dispatches)."""
    import hashlib

    from django.utils import timezone

    from loket.supervision.models import DocumentType, Submission
    from loket.supervision.services import submission_deliver

    document_type = DocumentType.objects.get_or_create(uri=type_uri, defaults={"label": type_uri.rsplit("/", 1)[-1]})[0]
    now = timezone.now()
    submission = Submission(
        organisation=organisation,
        document_type=document_type,
        status=Submission.Status.SENT,
        form_version="test",
        created_at=now,
        modified_at=now,
        sent_at=now,
    )
    node = f"<{submission.uri}>"
    if about is not None:
        submission.form_data_nt = f"{node} <http://data.europa.eu/eli/ontology#is_about> <{about.uri}> .\n"
    submission.content_hash = hashlib.sha256(submission.form_data_nt.encode()).hexdigest()
    submission.save()
    return submission_deliver(submission_id=submission.pk)


BUDGET_TO_CB_OR_RO = "https://data.vlaanderen.be/id/concept/BesluitType/d463b6d1-c207-4c1a-8c08-f2c7dd1fa53b"
BUDGET_TO_SUPERVISOR = "https://data.vlaanderen.be/id/concept/BesluitType/d85218e2-a75f-4a30-9182-512b5c9dd1b2"


CONTACT_POST = {
    "email": "kees@example.org",
    "phone": "+32 14 12 34 56",
    "street": "Kerkplein",
    "house_number": "1",
    "postcode": "2460",
    "municipality_name": "Kasterlee",
}


@pytest.fixture
def periods(units):  # type: ignore[no-untyped-def]
    from loket.worship.periods import board_periods_create

    board_periods_create()
    return units


@pytest.fixture
def board_clerk(worship_board):  # type: ignore[no-untyped-def]
    """A member of the worship board with both worship roles."""
    from loket.accounts.roles import Role
    from tests.conftest import grant, make_user

    user = make_user("kees-kerkraad")
    grant(user, worship_board, [Role.WORSHIP_MANDATES, Role.WORSHIP_MINISTERS])
    return user
