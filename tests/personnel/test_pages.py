"""The pages through HTTP: the table without JavaScript (one form post), the cell endpoint the script uses, the
history, receipts, the agency's overview and CSV."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loket.personnel.models import Confirmation, EmployeePeriodSlice, Observation, ObservationChange
from loket.personnel.services import figures_save, period_confirm
from tests.personnel.conftest import form_data, full_entries

pytestmark = pytest.mark.django_db


def _values() -> list:  # type: ignore[type-arg]
    return list(Observation.objects.order_by("pk").values_list("value", flat=True))


def test_module_tile_leads_to_the_overview(client, clerk, period):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    page = client.get(reverse("accounts:home")).content.decode()
    assert reverse("personnel:overview") in page
    page = client.get(reverse("personnel:overview")).content.decode()
    assert reverse("personnel:table", args=[2026]) in page and "0 / 96" in page


def test_table_without_javascript_save_and_confirm(client, clerk, municipality, period):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    url = reverse("personnel:table", args=[2026])
    page = client.get(url).content.decode()
    assert page.count('name="koppen-') == 48 and page.count('name="vte-') == 48
    assert "Aantallen bevestigen" in page and "Nog 96 lege cellen" in page
    response = client.post(url, form_data(full_entries()))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="t-koppen-grand">96<' in page  # 48 cells × 2 heads, computed on the server
    assert 'id="t-koppen-row-0">16<' in page
    assert 'id="t-vte-time-0">48,00<' in page  # Voltijds: 24 cells × 2
    assert 'id="t-vte-time-1">36,00<' in page  # Deeltijds: 24 cells × 1,5
    response = client.post(url, form_data(full_entries(), action="bevestigen"))
    assert response.status_code == 302
    confirmation = Confirmation.objects.get()
    assert confirmation.version == 1 and confirmation.organisation == municipality
    page = client.get(url).content.decode()
    assert "versie 1 bevestigd" in page
    assert reverse("personnel:receipt", args=[confirmation.uuid, "pdf"]) in page
    receipt = client.get(reverse("personnel:receipt", args=[confirmation.uuid, "json"]))
    assert json.loads(receipt.content)["subject_uri"] == confirmation.uri
    pdf = client.get(reverse("personnel:receipt", args=[confirmation.uuid, "pdf"]))
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("koppen-3", "abc", "geen letters"),
        ("koppen-3", "1e3", "geen letters"),
        ("koppen-3", "2.1", "geen geheel aantal"),
        ("vte-3", "2.5", "Meer voltijds equivalenten"),
    ],
)
def test_bad_input_in_the_form_keeps_what_was_typed_and_changes_nothing(client, clerk, period, cell, value, message):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    url = reverse("personnel:table", args=[2026])
    data = form_data(full_entries())
    data[cell] = value
    before = (_values(), ObservationChange.objects.count())
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er werd niets bewaard" in page and message in page
    assert f'name="{cell}" id="c-{cell}" value="{value}"' in page
    assert (_values(), ObservationChange.objects.count()) == before


def test_confirm_with_empty_cells_is_refused(client, clerk, period):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = client.post(reverse("personnel:table", args=[2026]), {"actie": "bevestigen", "koppen-0": "1"})
    assert response.status_code == 400
    assert "Nog 95 lege cel(len)" in response.content.decode()
    assert not Confirmation.objects.exists()


def test_a_period_not_opened(client, clerk, period):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    before = _values()
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("personnel:table", args=[2031]), {"koppen-0": "1"})
        assert response.status_code == 404
        assert "De periode 2031 is niet geopend" in response.content.decode()
    assert _values() == before


def test_cell_endpoint_saves_and_answers_with_totals(client, clerk, municipality, period):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    heads = EmployeePeriodSlice.objects.get(dataset__organisation=municipality, dataset__unit="koppen")
    fte = EmployeePeriodSlice.objects.get(dataset__organisation=municipality, dataset__unit="vte")
    response = client.post(reverse("personnel:cell", args=[heads.uuid, 9]), {"value": "4"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["value"] == "4" and answer["totals"]["grand"] == "4" and answer["totals"]["rows"][1] == "4"
    response = client.post(reverse("personnel:cell", args=[fte.uuid, 9]), {"value": "4,5"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["vte-9"].startswith("Meer voltijds equivalenten")
    response = client.post(reverse("personnel:cell", args=[fte.uuid, 9]), {"value": "1e3"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    response = client.post(reverse("personnel:cell", args=[fte.uuid, 48]), {"value": "1"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_cell"
    assert Observation.objects.exclude(value=None).count() == 1


def test_another_bodys_dataset_is_not_found(client, clerk, stranger, municipality, other_municipality, period):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries=full_entries())
    confirmation = period_confirm(actor=clerk, organisation=municipality, period=period)
    theirs = EmployeePeriodSlice.objects.get(dataset__organisation=municipality, dataset__unit="koppen")
    client.force_login(stranger)
    before = _values()
    response = client.post(reverse("personnel:cell", args=[theirs.uuid, 0]), {"value": "7"})
    assert response.status_code == 404
    assert client.get(reverse("personnel:receipt", args=[confirmation.uuid, "pdf"])).status_code == 404
    page = client.get(reverse("personnel:table", args=[2026])).content.decode()  # their own, empty table
    assert "Nog 96 lege cellen" in page
    assert _values() == before


def test_table_page_queries_are_pinned(client, clerk, municipality, period):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries=full_entries())
    client.force_login(clerk)
    client.get(reverse("personnel:table", args=[2026]))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("personnel:table", args=[2026])).status_code == 200
    assert len(queries) <= 14, [q["sql"] for q in queries]


def test_changes_page(client, clerk, municipality, period):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 2): "3"})
    client.force_login(clerk)
    page = client.get(reverse("personnel:changes", args=[2026])).content.decode()
    assert "Clara Clerk" in page
    assert "<td>IFIC-personeel, Voltijds, Contractueel, Mannen</td><td>—</td><td>3</td>" in page


def test_agency_overview_and_csv(client, agency_clerk, clerk, municipality, other_municipality, period):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries=full_entries())
    period_confirm(actor=clerk, organisation=municipality, period=period)
    client.force_login(agency_clerk)
    page = client.get(reverse("personnel:agency")).content.decode()
    assert reverse("personnel:agency-period", args=[2026]) in page
    page = client.get(reverse("personnel:agency-period", args=[2026])).content.decode()
    assert "Aalst" in page and "96 / 96" in page and "0 / 96" in page
    response = client.get(reverse("personnel:agency-csv", args=[2026]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1 + 4 and len(rows[0]) == 5 + 48 + 3
    aalst = [row for row in rows if row[0] == "Aalst"]
    assert [row[4] for row in aalst] == ["Werknemers - Koppen", "Voltijds equivalenten - VTE"]
    assert aalst[0][5] == "2" and aalst[1][9] == "1,50" and aalst[0][-3] == "96" and aalst[0][-1] == "1"


def test_agency_pages_are_for_the_agency_only(client, clerk, period):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    for name, args in (("personnel:agency", []), ("personnel:agency-period", [2026]), ("personnel:agency-csv", [2026])):
        assert client.get(reverse(name, args=args)).status_code == 404
