"""The rules of who may apply and when: one function per decision, used by the lists and by every service.

* Who: the offer lists the body explicitly, or one of its criteria has a requirement the body's classification
  satisfies (m8g:Criterion → requirement group → lblodSubsidie:isSatisfiableBy). An offer with neither is open to
  nobody (as the real Loket: offers without criteria never show).
* When: a step's window is start ≤ now ≤ end (no start: not yet open; no end: never expires); the end is the
  procedural step's, or the body's extension when the agency gave a later one. Saving as concept is allowed until
  the end; sending only inside the window. A call is open while its first step's window contains now.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone

from loket.organisations.models import Organisation
from loket.subsidies.models import Call, Extension, Step

BRUSSELS = ZoneInfo("Europe/Brussels")


def eligibility_filter(organisation: Organisation, prefix: str = "") -> Q:
    kind_uri = organisation.kind.uri if organisation.kind else None
    condition = Q(**{f"{prefix}bodies": organisation})
    if kind_uri:
        condition |= Q(**{f"{prefix}criteria__requirements__satisfiable_by": kind_uri})
    return condition


def eligible_calls(organisation: Organisation) -> QuerySet[Call]:
    return Call.objects.filter(eligibility_filter(organisation, "offer__")).distinct()


def may_apply(organisation: Organisation, call: Call) -> bool:
    return eligible_calls(organisation).filter(pk=call.pk).exists()


def open_calls(organisation: Organisation, now: datetime | None = None) -> QuerySet[Call]:
    """The calls the body may start now: eligible, and the first step's window contains now (with the body's
    extension of that step, if any)."""
    now = now or timezone.now()
    second = now.replace(microsecond=0)  # the same second rule as is_past
    extended = Extension.objects.filter(
        step__flow__call=OuterRef("pk"), step__order=0, organisation=organisation, end__gte=second
    )
    return (
        eligible_calls(organisation)
        .filter(flow__steps__order=0, flow__steps__procedural_step__start__lte=now)
        .filter(
            Q(flow__steps__procedural_step__end__isnull=True)
            | Q(flow__steps__procedural_step__end__gte=second)
            | Exists(extended)
        )
        .select_related("offer", "flow")
    )


def end_for(step: Step, organisation: Organisation) -> datetime | None:
    """The deadline of `step` for this body: the procedural step's end, or the body's later extension."""
    end = step.procedural_step.end
    if end is None:
        return None
    extension = Extension.objects.filter(step=step, organisation=organisation).values_list("end", flat=True).first()
    return max(end, extension) if extension else end


def is_past(end: datetime | None, now: datetime) -> bool:
    """After the deadline: the deadline is shown to the second, so its whole last second still counts (23:59:59.9
    is on time for 23:59:59; 00:00:00 is not)."""
    return end is not None and now.replace(microsecond=0) > end


def is_open(step: Step, organisation: Organisation, now: datetime) -> bool:
    start, end = step.procedural_step.start, end_for(step, organisation)
    return start is not None and start <= now and not is_past(end, now)


def is_expired(step: Step, organisation: Organisation, now: datetime) -> bool:
    return is_past(end_for(step, organisation), now)


def brussels(moment: datetime | None) -> str:
    """A moment as the body reads it: Brussels time, day-month-year hours:minutes:seconds."""
    if moment is None:
        return ""
    return formats.date_format(moment.astimezone(BRUSSELS), "d-m-Y H:i:s")


def from_brussels(text: str) -> datetime:
    """Parse `YYYY-MM-DDTHH:MM[:SS]` (an HTML datetime-local value) as Brussels time; ValueError if unusable."""
    naive = datetime.fromisoformat(text.strip())
    if naive.tzinfo is not None:
        raise ValueError("expected a local time")
    return naive.replace(tzinfo=BRUSSELS)
