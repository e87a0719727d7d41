"""The platform push (Religiopoint): only with that platform's key, for units on that platform; idempotent by URI;
an error per row; rows read-only while on the platform, editable (with provenance) after a switch to the Loket."""

import json
from datetime import date

import pytest
from django.core.cache import cache

from loket.core.models import AuditEvent
from loket.organisations.services import organisation_switch_channel
from loket.vendors.access import access_cache_clear
from loket.vendors.services import vendor_create
from loket.worship.boards import read_only_reason
from loket.worship.codes import BoardRole, MinisterFunction
from loket.worship.models import BoardMember, Mandate, Minister
from loket.worship.services import minister_position_create

pytestmark = pytest.mark.django_db
PLATFORM_URI = "http://data.lblod.info/vendors/religiopoint"
KEY = "religio-secret"
CONTACT = {
    "email": "an@example.org",
    "telephone": "+32 14 00 00 00",
    "street": "Markt",
    "houseNumber": "2",
    "postcode": "2460",
    "municipality": "Kasterlee",
}
PERSON = {
    "identifier": "60050100103",
    "firstName": "An",
    "lastName": "Peeters",
    "sex": "female",
    "nationality": "BE",
    "birthDate": "1960-05-01",
}


@pytest.fixture(autouse=True)
def _fresh_caches():  # type: ignore[no-untyped-def]
    cache.clear()
    access_cache_clear()


@pytest.fixture
def platform(religiopoint):  # type: ignore[no-untyped-def]
    return vendor_create(uri=PLATFORM_URI, name="Religiopoint", organisations=[], platform=religiopoint, key=KEY).vendor


def _on_platform(unit, religiopoint, helpdesk):  # type: ignore[no-untyped-def]
    organisation_switch_channel(
        organisation=unit.organisation,
        channel="platform",
        platform=religiopoint,
        reason="Besluit van de kerkraad",
        actor=helpdesk,
        confirmed=True,
    )
    unit.organisation.refresh_from_db()


def _push(client, unit, members=(), ministers=(), key=KEY):  # type: ignore[no-untyped-def]
    body = {
        "organization": unit.uri,
        "publisher": {"uri": PLATFORM_URI, "key": key},
        "boardMembers": list(members),
        "ministers": list(ministers),
    }
    return client.post("/erediensten/platform/push", json.dumps(body), content_type="application/ld+json")


def _member(unit, uri="http://religiopoint.example/mandatarissen/1", **extra):  # type: ignore[no-untyped-def]
    mandate = Mandate.objects.get(unit=unit, role=BoardRole.MEMBER_MINOR_HALF, start=date(2023, 4, 1))
    return {"@id": uri, "mandate": mandate.uri, "start": "2023-04-01", "person": PERSON, "contact": CONTACT, **extra}


def test_push_creates_then_is_idempotent_then_updates(client, periods, platform, religiopoint, helpdesk):  # type: ignore[no-untyped-def]
    unit = periods["board"]
    _on_platform(unit, religiopoint, helpdesk)
    response = _push(client, unit, [_member(unit)])
    assert response.status_code == 200, response.content
    assert response.json()["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "error": 0}
    row = BoardMember.objects.get()
    assert (row.provided_by, row.provided_by_uri, row.external_uri) == (
        "Religiopoint",
        PLATFORM_URI,
        "http://religiopoint.example/mandatarissen/1",
    )
    assert _push(client, unit, [_member(unit)]).json()["counts"]["unchanged"] == 1
    assert _push(client, unit, [_member(unit, end="2025-01-01")]).json()["counts"]["updated"] == 1
    assert BoardMember.objects.count() == 1
    assert BoardMember.objects.get().end == date(2025, 1, 1)
    assert read_only_reason(unit, "mandates") == "Beheerd via Religiopoint."


def test_an_error_per_row_the_good_rows_are_saved(client, periods, platform, religiopoint, helpdesk):  # type: ignore[no-untyped-def]
    unit = periods["board"]
    _on_platform(unit, religiopoint, helpdesk)
    chair = Mandate.objects.get(unit=unit, role=BoardRole.CHAIR, start=date(2023, 4, 1))
    rows = [
        _member(unit),
        _member(unit, uri="http://religiopoint.example/mandatarissen/2", contact={}),
        {**_member(unit, uri="http://religiopoint.example/mandatarissen/3"), "mandate": chair.uri},
        {
            **_member(unit, uri="http://religiopoint.example/mandatarissen/4"),
            "mandate": chair.uri,
            "start": "2024-01-01",
        },
        {"mandate": chair.uri},
    ]
    results = _push(client, unit, rows).json()["results"]
    assert [r["status"] for r in results] == ["created", "error", "created", "error", "error"]
    assert results[1]["errors"]["email"] == ["Vul e-mail in: een contactgegeven is verplicht."]
    assert results[3]["errors"]["mandate"] == ["Er is al een voorzitter op die dagen: één voorzitter tegelijk."]
    assert BoardMember.objects.count() == 2


def test_ministers_are_pushed_and_another_religion_refused(client, periods, platform, religiopoint, helpdesk):  # type: ignore[no-untyped-def]
    unit = periods["board"]
    _on_platform(unit, religiopoint, helpdesk)
    pastor = minister_position_create(unit=unit, function=MinisterFunction.PASTOR, actor=None)
    imam = minister_position_create(unit=periods["islamic"], function=MinisterFunction.FIRST_IMAM, actor=None)
    rows = [
        {
            "@id": "http://religiopoint.example/bedienaren/1",
            "position": pastor.uri,
            "start": "2022-09-01",
            "person": PERSON,
            "contact": CONTACT,
        },
        {
            "@id": "http://religiopoint.example/bedienaren/2",
            "position": imam.uri,
            "start": "2022-09-01",
            "person": PERSON,
            "contact": CONTACT,
        },
    ]
    results = _push(client, unit, ministers=rows).json()["results"]
    assert [r["status"] for r in results] == ["created", "error"]
    assert results[1]["errors"] == {"position": ["not a position of this unit"]}
    assert Minister.objects.get().provided_by == "Religiopoint"


def test_the_platform_pushing_for_a_loket_body_gets_403_and_nothing_changes(client, periods, platform):  # type: ignore[no-untyped-def]
    unit = periods["board"]
    response = _push(client, unit, [_member(unit)])
    assert response.status_code == 403
    assert "werkt" in response.json()["errors"][0]["title"]
    assert BoardMember.objects.count() == 0
    assert AuditEvent.objects.filter(action="vendor.refused", details__endpoint="worship-push").count() == 1


def test_a_wrong_key_is_401(client, periods, platform, religiopoint, helpdesk):  # type: ignore[no-untyped-def]
    unit = periods["board"]
    _on_platform(unit, religiopoint, helpdesk)
    assert _push(client, unit, [_member(unit)], key="wrong").status_code == 401
    assert BoardMember.objects.count() == 0


def test_switch_both_ways_rows_stay_and_become_editable(
    client, periods, platform, religiopoint, helpdesk, worship_board
):  # type: ignore[no-untyped-def]
    unit = periods["board"]
    _on_platform(unit, religiopoint, helpdesk)
    _push(client, unit, [_member(unit)])
    organisation_switch_channel(
        organisation=unit.organisation,
        channel="loket",
        platform=None,
        reason="Terug naar het Loket",
        actor=helpdesk,
        confirmed=True,
    )
    unit.organisation.refresh_from_db()
    row = BoardMember.objects.get()
    assert row.provided_by == "Religiopoint"
    assert read_only_reason(unit, "mandates") == ""
    from loket.accounts.roles import Role
    from tests.conftest import grant, make_user

    clerk = make_user("nele-nieuw")
    grant(clerk, worship_board, [Role.WORSHIP_MANDATES])
    client.force_login(clerk)
    page = client.get(f"/eredienst-mandatenbeheer/{row.uuid}/").content.decode()
    assert "Aangeleverd via Religiopoint." in page and 'name="start"' in page
    data = {
        "mandate": row.mandate.pk,
        "start": "2023-05-01",
        "email": "an@example.org",
        "phone": "1",
        "street": "Markt",
        "house_number": "2",
        "postcode": "2460",
        "municipality_name": "Kasterlee",
    }
    assert client.post(f"/eredienst-mandatenbeheer/{row.uuid}/?periode=2023", data).status_code == 302
    row.refresh_from_db()
    assert (row.start, row.provided_by) == (date(2023, 5, 1), "Religiopoint")
    # And the platform is refused again for this body, now in the Loket.
    assert _push(client, unit, [_member(unit)]).status_code == 403
