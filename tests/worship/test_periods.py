"""Board periods: 3-year organs-in-time from 1 April to 31 March, the 6 local and 5 central mandates."""

from datetime import date

import pytest
from django.core.management import call_command

from loket.worship.codes import BoardRole
from loket.worship.models import Mandate, OrganTerm

pytestmark = pytest.mark.django_db


def _mandates(unit):  # type: ignore[no-untyped-def]
    return {
        (m.role, m.start, m.planned_end, tuple(t.start.year for t in m.terms.order_by("start")))
        for m in Mandate.objects.filter(unit=unit).prefetch_related("terms")
    }


def test_periods_for_a_local_board(units):  # type: ignore[no-untyped-def]
    call_command("worship", "periods", verbosity=0)
    terms = list(OrganTerm.objects.filter(organ__unit=units["board"]).values_list("start", "end"))
    assert terms == [
        (date(2020, 4, 1), date(2023, 3, 31)),
        (date(2023, 4, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2029, 3, 31)),
        (date(2029, 4, 1), date(2032, 3, 31)),
    ]
    mandates = _mandates(units["board"])
    assert (BoardRole.EX_OFFICIO, date(2020, 4, 1), None, (2020, 2023, 2026, 2029)) in mandates
    assert (BoardRole.CHAIR, date(2023, 4, 1), date(2026, 3, 31), (2023,)) in mandates
    assert (BoardRole.MEMBER_MAJOR_HALF, date(2020, 4, 1), date(2026, 3, 31), (2020, 2023)) in mandates
    assert (BoardRole.MEMBER_MAJOR_HALF, date(2026, 4, 1), date(2032, 3, 31), (2026, 2029)) in mandates
    assert (BoardRole.MEMBER_MINOR_HALF, date(2023, 4, 1), date(2029, 3, 31), (2023, 2026)) in mandates
    assert (BoardRole.MEMBER_MINOR_HALF, date(2029, 4, 1), date(2035, 3, 31), (2029,)) in mandates
    assert len(mandates) == 1 + 3 * 4 + 2 + 2
    assert {role for role, *_rest in mandates} == {
        BoardRole.EX_OFFICIO,
        BoardRole.CHAIR,
        BoardRole.SECRETARY,
        BoardRole.TREASURER,
        BoardRole.MEMBER_MAJOR_HALF,
        BoardRole.MEMBER_MINOR_HALF,
    }


def test_periods_for_a_central_board_and_idempotent(units):  # type: ignore[no-untyped-def]
    call_command("worship", "periods", verbosity=0)
    before = Mandate.objects.count()
    call_command("worship", "periods", verbosity=0)
    assert Mandate.objects.count() == before
    mandates = _mandates(units["central"])
    assert len(mandates) == 5 * 4
    assert (BoardRole.CENTRAL_REPRESENTATIVE, date(2029, 4, 1), date(2032, 3, 31), (2029,)) in mandates
    assert not Mandate.objects.filter(unit=units["diocese"]).exists()
    assert BoardRole.CENTRAL_EXPERT.uri == (
        "http://data.vlaanderen.be/id/concept/BestuursfunctieCode/8c91c321ad477c4fc372ee36358d3ed4"
    )
