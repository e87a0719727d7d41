"""Opening, saving (all or nothing), taking over, confirming through the ledger, versions and history."""

from decimal import Decimal

import pytest

from loket.core.errors import ConflictError, DomainError
from loket.core.ledger_content import content_problems
from loket.core.ledger_models import LedgerEntry
from loket.core.models import AuditEvent
from loket.core.receipts import receipt_verify
from loket.personnel.models import (
    Confirmation,
    EmployeeDataset,
    EmployeePeriodSlice,
    Observation,
    ObservationChange,
    PersonnelPeriod,
)
from loket.personnel.receipts import confirmation_receipt
from loket.personnel.selectors import history_for, table_for, values_for
from loket.personnel.services import figures_copy_previous, figures_save, period_confirm, period_open
from tests.personnel.conftest import full_entries

pytestmark = pytest.mark.django_db


def _state() -> tuple:  # type: ignore[type-arg]
    return (
        list(Observation.objects.order_by("pk").values_list("pk", "value")),
        ObservationChange.objects.count(),
        list(EmployeePeriodSlice.objects.order_by("pk").values_list("version", "confirmed_version")),
        Confirmation.objects.count(),
        LedgerEntry.objects.count(),
    )


def test_opening_makes_two_datasets_and_48_empty_cells_for_eligible_bodies_only(
    municipality, other_municipality, worship_board, agency
):  # type: ignore[no-untyped-def]
    assert period_open(year=2026) == 4
    assert set(EmployeeDataset.objects.values_list("organisation_id", flat=True)) == {
        municipality.pk,
        other_municipality.pk,
    }
    assert Observation.objects.count() == 4 * 48
    assert not Observation.objects.exclude(value=None).exists()
    assert period_open(year=2026) == 0  # idempotent
    assert period_open(year=2025) == 4  # the same datasets, a second slice each
    assert EmployeeDataset.objects.count() == 4
    with pytest.raises(DomainError):
        period_open(year=1999)
    assert AuditEvent.objects.filter(action="personnel.period_opened").count() == 3


def test_save_stores_values_and_history(municipality, clerk, period):  # type: ignore[no-untyped-def]
    result = figures_save(
        actor=clerk, organisation=municipality, period=period, entries={("koppen", 0): "3", ("vte", 0): "2,5"}
    )
    assert result.changed == 2
    table = table_for(municipality, period)
    assert table.values["koppen"][0] == Decimal("3")
    assert table.values["vte"][0] == Decimal("2.50")
    assert table.values["koppen"][1] is None  # not filled is not 0
    assert [w.key for w in result.warnings] == [("vte", 0)]  # Voltijds: FTE differs from heads
    change = ObservationChange.objects.get(observation__cell=0, observation__slice__dataset__unit="vte")
    assert (change.actor, change.old_value, change.new_value, change.version) == (clerk, None, Decimal("2.5"), 1)
    again = figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 0): "3"})
    assert again.changed == 0 and ObservationChange.objects.count() == 2
    figures_save(actor=clerk, organisation=municipality, period=period, entries={("vte", 0): ""})
    assert table_for(municipality, period).values["vte"][0] is None  # emptied, not 0


@pytest.mark.parametrize(
    ("entries", "field", "message"),
    [
        ({("koppen", 3): "abc"}, "koppen-3", "geen letters"),
        ({("koppen", 3): "1e3"}, "koppen-3", "geen letters"),
        ({("koppen", 3): "2.1"}, "koppen-3", "geen geheel aantal"),
        ({("koppen", 3): "-1"}, "koppen-3", "negatief"),
        ({("vte", 3): "0.333"}, "vte-3", "2 cijfers"),
        ({("koppen", 3): "2", ("vte", 3): "2.5"}, "vte-3", "Meer voltijds equivalenten"),
    ],
)
def test_bad_input_changes_nothing(municipality, clerk, period, entries, field, message):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 0): "1"})
    before = _state()
    with pytest.raises(DomainError) as caught:
        figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 1): "4", **entries})
    assert message in caught.value.fields[field]
    assert "niets bewaard" in str(caught.value.message)
    assert _state() == before


def test_fte_above_stored_heads_and_heads_below_stored_fte_are_refused(municipality, clerk, period):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 5): "3", ("vte", 5): "2.5"})
    before = _state()
    with pytest.raises(DomainError):
        figures_save(actor=clerk, organisation=municipality, period=period, entries={("vte", 5): "3.5"})
    with pytest.raises(DomainError) as caught:
        figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 5): "2"})
    assert "vte-5" in caught.value.fields
    assert _state() == before


def test_a_period_not_opened_and_another_bodys_numbers(municipality, other_municipality, clerk, period):  # type: ignore[no-untyped-def]
    closed = PersonnelPeriod.objects.create(year=2031, opened_at=period.opened_at)
    before = _state()
    with pytest.raises(DomainError) as caught:
        figures_save(actor=clerk, organisation=municipality, period=closed, entries={("koppen", 0): "1"})
    assert "niet geopend" in str(caught.value.message)
    with pytest.raises(DomainError):
        figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 48): "1"})
    with pytest.raises(DomainError):
        period_confirm(actor=clerk, organisation=municipality, period=closed)
    assert _state() == before


def test_confirm_refused_while_a_cell_is_empty(municipality, clerk, period):  # type: ignore[no-untyped-def]
    entries = full_entries()
    del entries[("vte", 47)]
    figures_save(actor=clerk, organisation=municipality, period=period, entries=entries)
    before = _state()
    with pytest.raises(DomainError) as caught:
        period_confirm(actor=clerk, organisation=municipality, period=period)
    assert "Nog 1 lege cel" in str(caught.value.message)
    assert list(caught.value.fields) == ["vte-47"]
    assert _state() == before


def test_confirm_through_the_ledger_then_a_change_starts_a_new_version(municipality, clerk, period):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries=full_entries())
    confirmation = period_confirm(actor=clerk, organisation=municipality, period=period)
    assert confirmation.version == 1
    entry = confirmation.sent_entry
    assert (entry.kind, entry.subject_uri, entry.organisation_uri) == ("sent", confirmation.uri, municipality.uri)
    assert entry.content_hash == confirmation.content_hash
    assert confirmation.figures["koppen"][0] == "2" and confirmation.figures["vte"][4] == "1.50"
    receipt = confirmation_receipt(confirmation)
    assert receipt_verify(receipt).ok
    assert content_problems(confirmation.uri) == []
    assert table_for(municipality, period).is_confirmed
    with pytest.raises(ConflictError):  # the same version twice (a second tab)
        period_confirm(actor=clerk, organisation=municipality, period=period)
    figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 4): "3"})
    table = table_for(municipality, period)
    assert (table.version, table.is_confirmed) == (2, False)
    figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 5): "3"})
    assert table_for(municipality, period).version == 2  # still the same version to confirm
    second = period_confirm(actor=clerk, organisation=municipality, period=period)
    assert second.version == 2 and second.sent_entry.position == entry.position + 1
    assert [row.version for row in history_for(municipality)] == [2]
    assert AuditEvent.objects.filter(action="personnel.confirmed").count() == 2


def test_tampered_figures_are_found_by_the_content_check(municipality, clerk, period):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries=full_entries())
    confirmation = period_confirm(actor=clerk, organisation=municipality, period=period)
    figures = confirmation.figures
    figures["koppen"][0] = "9"
    Confirmation.objects.filter(pk=confirmation.pk).update(figures=figures)
    assert content_problems(confirmation.uri) == ["the stored figures differ from the ledger entry"]
    assert not receipt_verify(confirmation_receipt(confirmation)).ok


def test_take_over_last_year_fills_empty_cells_only(municipality, clerk, period):  # type: ignore[no-untyped-def]
    period_open(year=2025)
    last = PersonnelPeriod.objects.get(year=2025)
    figures_save(actor=clerk, organisation=municipality, period=last, entries=full_entries(heads=4, fte="2"))
    figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 0): "5", ("vte", 0): "5"})
    result = figures_copy_previous(actor=clerk, organisation=municipality, period=period)
    assert result.changed == 94
    values = values_for(table_for(municipality, period).slices)
    assert values["koppen"][0] == 5 and values["koppen"][1] == 4 and values["vte"][4] == 2
    with pytest.raises(DomainError) as caught:
        figures_copy_previous(actor=clerk, organisation=municipality, period=period)
    assert "niets over te nemen" in str(caught.value.message)
    with pytest.raises(DomainError):
        figures_copy_previous(actor=clerk, organisation=municipality, period=last)  # no earlier period


def test_the_command_opens_a_year_and_refuses_a_wrong_one(municipality, capsys):  # type: ignore[no-untyped-def]
    from django.core.management import CommandError, call_command

    call_command("personnel_open_period", "2026")
    assert "Period 2026: 2 new slices." in capsys.readouterr().out
    with pytest.raises(CommandError, match="tussen 2000 en 2100"):
        call_command("personnel_open_period", "1900")
    assert PersonnelPeriod.objects.filter(year=1900).count() == 0
