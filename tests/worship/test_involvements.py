"""Involved local governments: a test per rule of issue point 2, through the one service (and its page)."""

from decimal import Decimal

import pytest

from loket.core.models import AuditEvent
from loket.worship.models import Involvement
from loket.worship.services import InvolvementInput, InvolvementsInvalid, involvements_save

pytestmark = pytest.mark.django_db

SUP, FIN, ADV = "toezichthoudend", "mede-financierend", "adviserend"


def row(organisation, type_, percentage=None):  # type: ignore[no-untyped-def]
    return InvolvementInput(
        organisation=organisation, type=type_, percentage=None if percentage is None else Decimal(percentage)
    )


def refused(unit, rows, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    before = (list(Involvement.objects.values_list("pk", "type", "percentage")), AuditEvent.objects.count())
    with pytest.raises(InvolvementsInvalid) as caught:
        involvements_save(unit=unit, rows=rows, actor=None, **kwargs)
    assert (list(Involvement.objects.values_list("pk", "type", "percentage")), AuditEvent.objects.count()) == before
    return caught.value.problems.errors


def test_one_supervising_municipality_at_100_is_saved_and_audited(units, municipality):  # type: ignore[no-untyped-def]
    problems = involvements_save(unit=units["board"], rows=[row(municipality, SUP, "100")], actor=None)
    assert problems.errors == [] and problems.warnings == []
    saved = Involvement.objects.get()
    assert (saved.organisation, saved.type, saved.percentage) == (municipality, SUP, Decimal("100.00"))
    event = AuditEvent.objects.get(action="worship.involvements_changed")
    assert event.details["after"] == [f"{municipality.uri} toezichthoudend 100.00"]


def test_the_involved_body_is_a_municipality_or_province(units, diocese):  # type: ignore[no-untyped-def]
    errors = refused(units["board"], [row(diocese, SUP, "100")])
    assert "Bisdom Antwerpen is geen gemeente of provincie." in errors


def test_an_inactive_body_needs_confirmation(units, municipality):  # type: ignore[no-untyped-def]
    municipality.status = "Niet Actief"
    municipality.save()
    errors = refused(units["board"], [row(municipality, SUP, "100")])
    assert errors == ["Niet actief: Aalst. Bevestig dat u een niet-actief bestuur wilt betrekken."]
    involvements_save(unit=units["board"], rows=[row(municipality, SUP, "100")], actor=None, confirm_inactive=True)
    assert Involvement.objects.count() == 1


def test_a_type_is_required(units, municipality):  # type: ignore[no-untyped-def]
    assert "Aalst: kies een type betrokkenheid." in refused(units["board"], [row(municipality, "", "100")])


def test_a_province_is_never_advisory(units, province, municipality):  # type: ignore[no-untyped-def]
    errors = refused(units["islamic"], [row(province, SUP, "100"), row(municipality, ADV), row(province, ADV)])
    assert "Provincie Antwerpen: een provincie kan niet adviserend betrokken zijn." in errors


def test_two_supervisors_are_refused(units, municipality, other_municipality):  # type: ignore[no-untyped-def]
    errors = refused(units["board"], [row(municipality, SUP, "50"), row(other_municipality, SUP, "50")])
    assert errors == ["Slechts één gemeente- of provincieoverheid kan toezichthoudend zijn (nu 2)."]


def test_no_supervisor_is_refused(units, municipality):  # type: ignore[no-untyped-def]
    errors = refused(units["board"], [row(municipality, FIN, "100")])
    assert errors == ["U dient een toezichthoudende overheid aan te duiden."]


@pytest.mark.parametrize(
    ("percentage", "message"),
    [
        (None, "Aalst: een financieringspercentage is verplicht voor Toezichthoudend."),
        ("0", "Aalst: het percentage moet tussen 1 en 100 liggen."),
        ("100.01", "Aalst: het percentage moet tussen 1 en 100 liggen."),
        ("99.999", "Aalst: het percentage heeft hoogstens 2 cijfers na de komma."),
    ],
)
def test_percentage_1_to_100_with_two_decimals(units, municipality, percentage, message):  # type: ignore[no-untyped-def]
    assert message in refused(units["central"], [row(municipality, SUP, percentage)])


def test_advisory_has_no_percentage(units, municipality, province):  # type: ignore[no-untyped-def]
    errors = refused(units["islamic"], [row(province, SUP, "100"), row(municipality, ADV, "10")])
    assert errors == ["Aalst: een adviserend bestuur heeft geen financieringspercentage."]


def test_a_local_boards_percentages_add_up_to_exactly_100(units, municipality, other_municipality):  # type: ignore[no-untyped-def]
    errors = refused(units["board"], [row(municipality, SUP, "66.66"), row(other_municipality, FIN, "33.33")])
    assert errors == ["Het totaal van alle percentages moet gelijk zijn aan 100 (nu 99,99)."]


def test_thirds_in_decimal_arithmetic_are_exactly_100(units, municipality, other_municipality, target_group):  # type: ignore[no-untyped-def]
    from tests.conftest import _kind, make_organisation

    third = make_organisation(
        key="dddd0000-0000-0000-0000-000000000003",
        name="Denderleeuw",
        kbo="0207448653",
        kind=_kind("5ab0e9b8a3b2ca7c5e000001", "Gemeente", "municipality"),
        target_group=target_group,
    )
    units["board"].is_cross_border = True
    units["board"].save()
    rows = [row(municipality, SUP, "33.33"), row(other_municipality, FIN, "33.33"), row(third, FIN, "33.34")]
    problems = involvements_save(unit=units["board"], rows=rows, actor=None)
    assert problems.total == Decimal("100.00") and problems.errors == [] and problems.warnings == []
    assert sorted(Involvement.objects.values_list("percentage", flat=True)) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]


def test_a_central_board_need_not_add_up_to_100(units, municipality):  # type: ignore[no-untyped-def]
    problems = involvements_save(unit=units["central"], rows=[row(municipality, SUP, "40")], actor=None)
    assert problems.errors == []


def test_catholic_boards_have_no_province(units, province):  # type: ignore[no-untyped-def]
    errors = refused(units["board"], [row(province, SUP, "100")])
    assert "Bij de eredienst Rooms-Katholiek is geen provincie betrokken." in errors
    assert "Bij de eredienst Rooms-Katholiek is de toezichthouder een gemeente." in errors


def test_catholic_boards_have_no_advisory_body(units, municipality, other_municipality):  # type: ignore[no-untyped-def]
    errors = refused(units["board"], [row(municipality, SUP, "100"), row(other_municipality, ADV)])
    assert errors == ["Bij de eredienst Rooms-Katholiek is geen bestuur adviserend."]


def test_a_municipality_does_not_supervise_an_islamic_board(units, municipality):  # type: ignore[no-untyped-def]
    errors = refused(units["islamic"], [row(municipality, SUP, "100")])
    assert errors == [
        "Bij de eredienst Islamitisch is de toezichthouder de provincie.",
        "Bij de eredienst Islamitisch kan een gemeente alleen adviserend betrokken zijn.",
    ]


def test_an_islamic_board_supervised_by_the_province_advised_by_the_municipality(units, municipality, province):  # type: ignore[no-untyped-def]
    problems = involvements_save(
        unit=units["islamic"], rows=[row(province, SUP, "100"), row(municipality, ADV, "0")], actor=None
    )
    assert problems.errors == [] and problems.warnings == []
    assert Involvement.objects.get(organisation=municipality).percentage is None


def test_warning_non_cross_border_board_with_two_bodies(units, municipality, other_municipality):  # type: ignore[no-untyped-def]
    problems = involvements_save(
        unit=units["board"], rows=[row(municipality, SUP, "60"), row(other_municipality, FIN, "40")], actor=None
    )
    assert problems.warnings == ["Een niet-grensoverschrijdend bestuur heeft gewoonlijk één betrokken gemeente (nu 2)."]


def test_warning_cross_border_board_with_one_body(units, municipality):  # type: ignore[no-untyped-def]
    units["board"].is_cross_border = True
    units["board"].save()
    problems = involvements_save(unit=units["board"], rows=[row(municipality, SUP, "100")], actor=None)
    assert problems.warnings == ["Een grensoverschrijdend bestuur heeft gewoonlijk meer dan één betrokken gemeente."]


def test_the_same_body_twice_is_refused(units, municipality):  # type: ignore[no-untyped-def]
    errors = refused(units["board"], [row(municipality, SUP, "50"), row(municipality, FIN, "50")])
    assert "Hetzelfde bestuur staat meer dan eens in de lijst: één regel per bestuur." in errors


def test_a_representative_body_has_no_involvements(units, municipality):  # type: ignore[no-untyped-def]
    assert refused(units["diocese"], [row(municipality, SUP, "100")]) == [
        "Een representatief orgaan heeft geen betrokken lokale besturen."
    ]


def test_saving_replaces_the_set(units, municipality, other_municipality):  # type: ignore[no-untyped-def]
    involvements_save(unit=units["board"], rows=[row(municipality, SUP, "100")], actor=None)
    involvements_save(unit=units["board"], rows=[row(other_municipality, SUP, "100")], actor=None)
    assert list(Involvement.objects.values_list("organisation", flat=True)) == [other_municipality.pk]
