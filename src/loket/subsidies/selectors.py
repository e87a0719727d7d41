"""Reads of Subsidiebeheer: the body's dossiers and open calls, a dossier's steps with their state, the agency's
overview of a call (one query for the rows, one for the sent dates)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from loket.organisations.models import Organisation
from loket.subsidies import rules
from loket.subsidies.models import ApplicationForm, Call, Dossier, Extension, Step
from loket.subsidies.terms import DossierStatus, FormStatus


def dossiers_of(organisation: Organisation) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(organisation=organisation)
        .select_related("call__offer", "active_step__procedural_step")
        .order_by("-modified_at")
    )


def open_calls_for(organisation: Organisation) -> list[Call]:
    now = timezone.now()
    calls = list(rules.open_calls(organisation, now).order_by("offer__title", "title"))
    started = set(Dossier.objects.filter(organisation=organisation).values_list("call_id", flat=True))
    firsts = {
        step.flow.call_id: step
        for step in Step.objects.select_related("procedural_step", "flow").filter(flow__call__in=calls, order=0)
    }
    extended = dict(
        Extension.objects.filter(step__in=firsts.values(), organisation=organisation).values_list("step_id", "end")
    )
    for call in calls:
        first = firsts.get(call.pk)
        end = first.procedural_step.end if first else None
        if end is not None and first.pk in extended:  # type: ignore[union-attr]
            end = max(end, extended[first.pk])  # type: ignore[union-attr]
        call.first_end = end  # type: ignore[attr-defined]
        call.is_started = call.pk in started  # type: ignore[attr-defined]
    return calls


@dataclass
class StepState:
    step: Step
    form: ApplicationForm | None
    start: datetime | None
    end: datetime | None
    is_active: bool
    state: str  # open, not_open, expired, sent, skipped, later


def steps_of(dossier: Dossier, now: datetime | None = None) -> list[StepState]:
    now = now or timezone.now()
    steps = list(Step.objects.filter(flow__call_id=dossier.call_id).select_related("procedural_step").order_by("order"))
    forms = {f.step_id: f for f in ApplicationForm.objects.filter(dossier=dossier, is_replaced=False)}
    extensions = dict(
        Extension.objects.filter(step__in=steps, organisation_id=dossier.organisation_id).values_list("step_id", "end")
    )
    active_order = dossier.active_step.order if dossier.active_step else None
    states = []
    for step in steps:
        form = forms.get(step.pk)
        start, end = step.procedural_step.start, step.procedural_step.end
        if end is not None and step.pk in extensions:
            end = max(end, extensions[step.pk])
        if form is not None and form.status == FormStatus.SENT:
            state = "sent"
        elif step.pk == dossier.active_step_id:
            if rules.is_past(end, now):
                state = "expired"
            elif start is None or now < start:
                state = "not_open"
            else:
                state = "open"
        elif active_order is None or step.order < active_order:
            state = "skipped"
        else:
            state = "later"
        states.append(StepState(step, form, start, end, step.pk == dossier.active_step_id, state))
    return states


def status_text(dossier: Dossier) -> str:
    """The pill: the status, always with the active step when there is one."""
    label = str(DossierStatus(dossier.status).label)
    if dossier.active_step:
        return f"{label} - {dossier.active_step.procedural_step.name}"
    return label


def agency_rows(call: Call) -> list[dict[str, Any]]:
    dossiers = list(
        Dossier.objects.filter(call=call)
        .select_related("organisation__kind", "active_step__procedural_step")
        .order_by("organisation__name")
    )
    sent: dict[int, list[tuple[int, datetime | None]]] = {}
    for dossier_id, order, at in (
        ApplicationForm.objects.filter(dossier__call=call, status=FormStatus.SENT)
        .values_list("dossier_id", "step__order", "sent_at")
        .order_by("step__order", "sent_at")
    ):
        sent.setdefault(dossier_id, []).append((order, at))
    return [
        {
            "dossier": d,
            "status": str(DossierStatus(d.status).label),
            "active_step": d.active_step.procedural_step.name if d.active_step else "",
            "sent": sent.get(d.pk, []),
        }
        for d in dossiers
    ]


def agency_csv_rows(call: Call):  # type: ignore[no-untyped-def]
    steps = list(Step.objects.filter(flow__call=call).select_related("procedural_step").order_by("order"))
    yield [
        "bestuur",
        "bestuur_uri",
        "kbo",
        "dossier_uri",
        "status",
        "actieve_stap",
        "laatst_aangepast",
        *[f"verstuurd_stap_{s.order + 1}" for s in steps],
    ]
    for row in agency_rows(call):
        dossier = row["dossier"]
        sent = dict(row["sent"])
        yield [
            dossier.organisation.display_name,
            dossier.organisation.uri,
            dossier.organisation.kbo,
            dossier.uri,
            row["status"],
            row["active_step"],
            dossier.modified_at,
            *[sent.get(s.order) for s in steps],
        ]
