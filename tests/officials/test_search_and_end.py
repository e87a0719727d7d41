"""Adding a holder found by name (or national register number), and ending an appointment from the overview."""

from datetime import date

import pytest
from django.urls import reverse

from loket.core.models import AuditEvent
from loket.officials.models import Official
from loket.officials.services import Term, official_add
from loket.persons.models import Person
from loket.persons.services import person_create
from tests.officials.conftest import KNOWN_NUMBER

pytestmark = pytest.mark.django_db


def test_search_by_name_offers_the_known_person_without_the_number(client, functions, hr_clerk, known):  # type: ignore[no-untyped-def]
    client.force_login(hr_clerk)
    url = reverse("officials:detail", args=[functions["Algemeen directeur"].uuid])
    page = client.post(url, {"zoek": "verhae katr", "zoeken": "1"}).content.decode()
    assert f'value="{known.uuid}"' in page and "Katrien Verhaegen (1975)" in page
    assert KNOWN_NUMBER not in page
    assert "Geen persoon gevonden" in client.post(url, {"zoek": "Onbekend", "zoeken": "1"}).content.decode()
    assert not Official.objects.exists()  # a search adds nobody


def test_search_by_national_register_number(client, functions, hr_clerk, known):  # type: ignore[no-untyped-def]
    client.force_login(hr_clerk)
    url = reverse("officials:detail", args=[functions["Algemeen directeur"].uuid])
    form = client.get(url).content.decode()
    assert '<form method="post" role="search">' in form and 'name="zoeken"' in form  # never a GET form
    page = client.post(url, {"zoek": KNOWN_NUMBER, "zoeken": "1"}).content.decode()
    assert f'value="{known.uuid}"' in page
    # Typed into the address the number searches nothing: a search is only ever posted, so a number never
    # travels in a URL (access logs, browser history).
    assert f'value="{known.uuid}"' not in client.get(url, {"zoek": KNOWN_NUMBER}).content.decode()


def test_the_picked_person_becomes_the_holder_and_no_new_person_is_made(client, functions, hr_clerk, known):  # type: ignore[no-untyped-def]
    client.force_login(hr_clerk)
    director = functions["Algemeen directeur"]
    response = client.post(
        reverse("officials:detail", args=[director.uuid]),
        {"zoek": "Verhaegen", "person": str(known.uuid), "start": "2025-01-01", "status": "aangesteld"},
    )
    assert response.status_code == 302
    assert Official.objects.get().person == known
    assert Person.objects.count() == 1


def test_nobody_picked_and_nothing_typed_is_refused(client, functions, hr_clerk):  # type: ignore[no-untyped-def]
    client.force_login(hr_clerk)
    response = client.post(
        reverse("officials:detail", args=[functions["Algemeen directeur"].uuid]),
        {"start": "2025-01-01", "status": "aangesteld"},
    )
    assert response.status_code == 400
    assert "Kies een gevonden persoon" in response.content.decode()
    assert not Official.objects.exists() and not Person.objects.exists()


def test_end_an_appointment_from_the_overview(client, functions, hr_clerk, known):  # type: ignore[no-untyped-def]
    director = functions["Algemeen directeur"]
    official = official_add(
        actor=None, function=director, person=known, term=Term(date(2020, 1, 1), None, "aangesteld")
    )
    client.force_login(hr_clerk)
    overview = client.get(reverse("officials:list")).content.decode()
    end_url = reverse("officials:end", args=[director.uuid, official.uuid])
    assert f'action="{end_url}"' in overview and "Aanstelling van Katrien Verhaegen beëindigen" in overview
    response = client.post(end_url, {"einde": "2025-03-31"})
    assert response.status_code == 302 and response["Location"] == reverse("officials:list")
    official.refresh_from_db()
    assert official.end == date(2025, 3, 31)
    event = AuditEvent.objects.get(action="official.ended")
    assert event.details["end"] == "2025-03-31"
    # the function is vacant from then on: a new appointed holder may start the next day
    official_add(
        actor=None,
        function=director,
        person=person_create(actor=None, given_names="N", family_name="N"),
        term=Term(date(2025, 4, 1), None, "aangesteld"),
    )


@pytest.mark.parametrize("end", ["", "2019-12-31", "2020-01-01", "niet-een-datum"])
def test_a_bad_end_changes_nothing(client, functions, hr_clerk, known, end):  # type: ignore[no-untyped-def]
    director = functions["Algemeen directeur"]
    official = official_add(
        actor=None, function=director, person=known, term=Term(date(2020, 1, 1), None, "aangesteld")
    )
    client.force_login(hr_clerk)
    response = client.post(reverse("officials:end", args=[director.uuid, official.uuid]), {"einde": end})
    assert response.status_code == 400
    official.refresh_from_db()
    assert official.end is None and not AuditEvent.objects.filter(action="official.ended").exists()


def test_an_end_that_would_overlap_a_later_holder_is_refused(client, functions, hr_clerk, known):  # type: ignore[no-untyped-def]
    director = functions["Algemeen directeur"]
    first = official_add(
        actor=None, function=director, person=known, term=Term(date(2020, 1, 1), date(2022, 12, 31), "aangesteld")
    )
    official_add(
        actor=None,
        function=director,
        person=person_create(actor=None, given_names="L", family_name="L"),
        term=Term(date(2023, 1, 1), None, "aangesteld"),
    )
    client.force_login(hr_clerk)
    response = client.post(reverse("officials:end", args=[director.uuid, first.uuid]), {"einde": "2023-06-30"})
    assert response.status_code == 400 and "maar één" in response.content.decode()
    first.refresh_from_db()
    assert first.end == date(2022, 12, 31)


def test_another_bodys_appointment_cannot_be_ended(client, functions, stranger, known):  # type: ignore[no-untyped-def]
    director = functions["Algemeen directeur"]
    official = official_add(
        actor=None, function=director, person=known, term=Term(date(2020, 1, 1), None, "aangesteld")
    )
    client.force_login(stranger)
    assert (
        client.post(reverse("officials:end", args=[director.uuid, official.uuid]), {"einde": "2025-01-01"}).status_code
        == 404
    )
    official.refresh_from_db()
    assert official.end is None
