"""Reads of Leidinggevendenbeheer: a body's functions with their current holders and what needs attention."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from loket.officials.functions import FUNCTIONS_BY_KIND
from loket.officials.models import Official, OfficialFunction
from loket.organisations.models import Organisation


@dataclass(frozen=True)
class FunctionOverview:
    function: OfficialFunction
    current: list[Official]

    @property
    def is_vacant(self) -> bool:
        return not any(o.status == Official.Status.APPOINTED for o in self.current)


def functions_of(organisation: Organisation) -> QuerySet[OfficialFunction]:
    return OfficialFunction.objects.filter(organisation=organisation)


def function_overview(organisation: Organisation, *, on: date) -> list[FunctionOverview]:
    officials = Official.objects.select_related("person").order_by("status", "start")
    functions = functions_of(organisation).prefetch_related(Prefetch("officials", queryset=officials))
    return [
        FunctionOverview(f, [o for o in f.officials.all() if o.start <= on and (o.end is None or o.end >= on)])
        for f in functions
    ]


def why_no_functions(organisation: Organisation) -> str:
    """An explanation for a body without leading functions."""
    label = organisation.kind.label if organisation.kind_id else ""  # type: ignore[union-attr]
    if label == "OCMW":
        return "ocmw"
    if label not in FUNCTIONS_BY_KIND:
        return "kind"
    return "missing"
