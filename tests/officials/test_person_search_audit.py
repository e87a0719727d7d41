"""A search of the shared person register is audited (ASVS 8.3.5): who, for which body, on which page, by national
register number or by name, and the persons found by uuid; never the query itself (it may be a national register
number). Every search that runs counts, also the one the page's own form carries along in a hidden field."""

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from loket.core.audit import audit_describe
from loket.core.models import AuditEvent
from tests.mandates.conftest import rrn
from tests.officials.conftest import KNOWN_NUMBER

pytestmark = pytest.mark.django_db


def _searches() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="person.searched").order_by("pk"))


def test_a_search_by_name_is_audited_with_who_where_and_whom(client, functions, hr_clerk, municipality, known):  # type: ignore[no-untyped-def]
    client.force_login(hr_clerk)
    url = reverse("officials:detail", args=[functions["Algemeen directeur"].uuid])
    assert client.post(url, {"zoek": "verhae katr", "zoeken": "1"}).status_code == 200
    [event] = _searches()
    assert event.actor == hr_clerk and event.organisation == municipality
    assert event.details == {"by": "naam", "found": 1, "persons": [str(known.uuid)], "page": url}
    assert "verhae" not in json.dumps(event.details)
    assert audit_describe(event) == f"Personen opgezocht op naam (1 gevonden: {known.uuid}) op {url}."


def test_a_search_by_national_register_number_never_stores_the_number(client, functions, hr_clerk, known):  # type: ignore[no-untyped-def]
    client.force_login(hr_clerk)
    url = reverse("officials:detail", args=[functions["Algemeen directeur"].uuid])
    formatted = f"{KNOWN_NUMBER[:2]}.{KNOWN_NUMBER[2:4]}.{KNOWN_NUMBER[4:6]}-" \
        f"{KNOWN_NUMBER[6:9]}.{KNOWN_NUMBER[9:]}"  # fmt: skip
    client.post(url, {"zoek": formatted, "zoeken": "1"})
    client.post(url, {"zoek": rrn(date(1980, 1, 1), 33), "zoeken": "1"})  # a valid number nobody has
    found, missed = _searches()
    assert (found.details["by"], found.details["found"], found.details["persons"]) == (
        "rijksregisternummer", 1, [str(known.uuid)],
    )  # fmt: skip
    assert (missed.details["by"], missed.details["found"], missed.details["persons"]) == ("rijksregisternummer", 0, [])
    stored = json.dumps([found.details, missed.details])
    assert KNOWN_NUMBER not in stored and formatted not in stored and "1980" not in stored


def test_the_search_the_pages_own_form_carries_is_audited_too_and_an_empty_one_is_not(
    client, functions, hr_clerk, known
):  # type: ignore[no-untyped-def]
    client.force_login(hr_clerk)
    url = reverse("officials:detail", args=[functions["Algemeen directeur"].uuid])
    client.post(url, {"zoek": "   ", "zoeken": "1"})
    client.get(url)
    assert _searches() == []
    # the hidden field is the client's to fill: it runs a search, so it is one
    client.post(url, {"zoek": "Verhaegen", "person": "", "start": "2025-01-01", "status": "aangesteld"})
    [event] = _searches()
    assert event.details["persons"] == [str(known.uuid)]


def test_the_event_reads_in_english_too(client, functions, hr_clerk, known):  # type: ignore[no-untyped-def]
    client.force_login(hr_clerk)
    url = reverse("officials:detail", args=[functions["Algemeen directeur"].uuid])
    client.post(url, {"zoek": KNOWN_NUMBER, "zoeken": "1"})
    [event] = _searches()
    with translation.override("en"):
        said = audit_describe(event)
    assert said == f"Persons looked up by national register number (1 found: {known.uuid}) on {url}."
