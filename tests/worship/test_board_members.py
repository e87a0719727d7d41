"""Board members through the pages (role eredienst-mandaten): period selector, new person, the rules of point 4,
read-only on a platform, hiding by the agency."""

from datetime import date

import pytest
from django.utils import timezone

from loket.core.models import AuditEvent
from loket.worship.boards import read_only_reason
from loket.worship.codes import BoardRole
from loket.worship.models import BoardMember, Mandate
from tests.worship.conftest import CONTACT_POST

pytestmark = pytest.mark.django_db
NEW_PERSON = {
    "rrn": "",
    "first_name": "Kees",
    "last_name": "Kerkraad",
    "sex": "male",
    "nationality": "BE",
    "birth_date": "1960-05-01",
}


def mandate(unit, role, year):  # type: ignore[no-untyped-def]
    return Mandate.objects.get(unit=unit, role=role, start=date(year, 4, 1))


def post_new(client, unit, role, year, **extra):  # type: ignore[no-untyped-def]
    data = {**NEW_PERSON, **CONTACT_POST, "mandate": mandate(unit, role, year).pk, "start": f"{year}-04-01", **extra}
    return client.post(f"/eredienst-mandatenbeheer/nieuw/?periode={year}", data)


def test_period_selector_defaults_to_the_current_period(client, periods, board_clerk):  # type: ignore[no-untyped-def]
    client.force_login(board_clerk)
    page = client.get("/eredienst-mandatenbeheer/").content.decode()
    year = timezone.localdate().year if timezone.localdate().month >= 4 else timezone.localdate().year - 1
    current = 2020 + 3 * ((year - 2020) // 3)
    assert f'<option value="{current}" selected>' in page
    assert "Er zijn geen bestuursleden in de huidige periode." in page


def test_adding_a_board_member_with_a_new_person(client, periods, board_clerk):  # type: ignore[no-untyped-def]
    client.force_login(board_clerk)
    response = post_new(client, periods["board"], BoardRole.MEMBER_MINOR_HALF, 2023)
    assert response.status_code == 302
    row = BoardMember.objects.get()
    assert (str(row.person), row.start, row.planned_end, row.status) == (
        "Kees Kerkraad",
        date(2023, 4, 1),
        date(2029, 3, 31),
        "effectief",
    )
    assert (row.email, row.postcode) == ("kees@example.org", "2460")
    assert AuditEvent.objects.filter(action="worship.board_member_saved").count() == 1


def test_ex_officio_has_no_planned_end_and_no_end(client, periods, board_clerk):  # type: ignore[no-untyped-def]
    client.force_login(board_clerk)
    assert post_new(client, periods["board"], BoardRole.EX_OFFICIO, 2020, end="2024-01-01").status_code == 302
    row = BoardMember.objects.get()
    assert (row.planned_end, row.end) == (None, None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"birth_date": "2015-01-01"}, "De geboortedatum ligt tussen 18 en 100 jaar geleden."),
        ({"nationality": ""}, "De nationaliteit is verplicht voor een nieuwe persoon (landcode, bv. BE)."),
        ({"start": ""}, "De startdatum is verplicht."),
        ({"end": "2023-01-01"}, "De einddatum moet na de startdatum liggen."),
        ({"email": ""}, "Vul e-mail in: een contactgegeven is verplicht."),
    ],
)
def test_refused_input_says_why_and_changes_nothing(client, periods, board_clerk, change, message):  # type: ignore[no-untyped-def]
    from loket.persons.models import Person

    client.force_login(board_clerk)
    response = post_new(client, periods["board"], BoardRole.MEMBER_MINOR_HALF, 2023, **change)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert BoardMember.objects.count() == 0
    if "birth_date" in change or "nationality" in change:
        assert Person.objects.count() == 0


def test_a_second_voorzitter_is_refused(client, periods, board_clerk):  # type: ignore[no-untyped-def]
    client.force_login(board_clerk)
    assert post_new(client, periods["board"], BoardRole.CHAIR, 2023).status_code == 302
    response = post_new(client, periods["board"], BoardRole.CHAIR, 2023, first_name="Tweede", start="2024-01-01")
    assert response.status_code == 400
    assert "Er is al een voorzitter op die dagen: één voorzitter tegelijk." in response.content.decode()
    assert BoardMember.objects.count() == 1


def test_officer_without_member_row_is_warned(client, periods, board_clerk):  # type: ignore[no-untyped-def]
    client.force_login(board_clerk)
    response = post_new(client, periods["board"], BoardRole.TREASURER, 2023)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Penningmeester zonder rij als bestuurslid" in page


def test_another_boards_row_is_404(client, periods, board_clerk, islamic_board_org):  # type: ignore[no-untyped-def]
    from loket.accounts.roles import Role
    from tests.conftest import grant, make_user

    client.force_login(board_clerk)
    post_new(client, periods["board"], BoardRole.MEMBER_MINOR_HALF, 2023)
    row = BoardMember.objects.get()
    other = make_user("omar-other")
    grant(other, islamic_board_org, [Role.WORSHIP_MANDATES])
    client.force_login(other)
    assert client.get(f"/eredienst-mandatenbeheer/{row.uuid}/").status_code == 404
    assert client.post(f"/eredienst-mandatenbeheer/{row.uuid}/", {"start": "2024-01-01"}).status_code == 404
    row.refresh_from_db()
    assert row.start == date(2023, 4, 1)


def test_read_only_module_and_platform(client, periods, board_clerk, religiopoint):  # type: ignore[no-untyped-def]
    client.force_login(board_clerk)
    unit = periods["board"]
    unit.read_only_modules = ["mandates"]
    unit.save()
    response = post_new(client, unit, BoardRole.MEMBER_MINOR_HALF, 2023)
    assert response.status_code == 403 and BoardMember.objects.count() == 0
    assert (
        "Deze module staat voor dit bestuur op alleen lezen."
        in client.get("/eredienst-mandatenbeheer/").content.decode()
    )
    unit.read_only_modules = []
    unit.save()
    organisation = unit.organisation
    organisation.channel, organisation.platform = "platform", religiopoint
    organisation.save()
    unit.refresh_from_db()
    # On a platform the unit has no members in the Loket: its people lose the role, the rows say who manages them.
    assert client.get("/eredienst-mandatenbeheer/").status_code == 403
    assert read_only_reason(unit, "mandates") == "Beheerd via Religiopoint."


def test_agency_hides_a_row_reversibly_audited(client, periods, board_clerk, helpdesk):  # type: ignore[no-untyped-def]
    client.force_login(board_clerk)
    post_new(client, periods["board"], BoardRole.MEMBER_MINOR_HALF, 2023)
    row = BoardMember.objects.get()
    client.force_login(helpdesk)
    response = client.post(
        "/helpdesk/worship/boardmember/",
        {"action": "hide_deleted", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.hidden == "deleted"
    client.force_login(board_clerk)
    assert client.get(f"/eredienst-mandatenbeheer/{row.uuid}/").status_code == 404
    client.force_login(helpdesk)
    client.post("/helpdesk/worship/boardmember/", {"action": "unhide", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.hidden == ""
    events = list(
        AuditEvent.objects.filter(action="worship.board_member_hidden").order_by("pk").values_list("details", flat=True)
    )
    assert [(e["before"], e["after"]) for e in events] == [("zichtbaar", "deleted"), ("deleted", "zichtbaar")]


def test_an_existing_person_is_chosen_by_national_register_number(client, periods, board_clerk):  # type: ignore[no-untyped-def]
    from loket.persons.models import Person
    from loket.persons.services import person_create

    known = person_create(actor=None, given_names="Greta", family_name="Gekend", national_number="60050100103")
    client.force_login(board_clerk)
    response = post_new(
        client, periods["board"], BoardRole.MEMBER_MINOR_HALF, 2023, rrn="60.05.01-001.03", first_name="", last_name=""
    )
    assert response.status_code == 302
    assert BoardMember.objects.get().person == known and Person.objects.count() == 1


def test_a_wrong_national_register_number_is_refused(client, periods, board_clerk):  # type: ignore[no-untyped-def]
    client.force_login(board_clerk)
    response = post_new(client, periods["board"], BoardRole.MEMBER_MINOR_HALF, 2023, rrn="60050100104")
    assert response.status_code == 400 and BoardMember.objects.count() == 0


def test_receivers_read_the_boards_members_without_contact_data(
    client, periods, board_clerk, municipality, other_municipality
):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from loket.accounts.roles import Role
    from loket.worship.services import InvolvementInput, involvements_save
    from tests.conftest import grant, make_user

    client.force_login(board_clerk)
    post_new(client, periods["board"], BoardRole.MEMBER_MINOR_HALF, 2023)
    involvements_save(
        unit=periods["board"],
        rows=[InvolvementInput(organisation=municipality, type="toezichthoudend", percentage=Decimal("100"))],
        actor=None,
    )
    aalst = make_user("sam-supervisor")
    grant(aalst, municipality, [Role.SUPERVISOR])
    client.force_login(aalst)
    key = periods["board"].organisation.key
    assert key in client.get("/toezichthouder/erediensten/").content.decode()
    page = client.get(f"/toezichthouder/erediensten/{key}/?periode=2023").content.decode()
    assert "Kees Kerkraad" in page and "Bestuurslid (Kleine Helft)" in page
    assert "kees@example.org" not in page and "2460" not in page
    berlare = make_user("bert-berlare")
    grant(berlare, other_municipality, [Role.SUPERVISOR])
    client.force_login(berlare)
    assert client.get(f"/toezichthouder/erediensten/{key}/").status_code == 404
    assert key not in client.get("/toezichthouder/erediensten/").content.decode()
