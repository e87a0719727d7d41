"""Writes of Subsidiebeheer. Every write locks the dossier, checks who may apply (`rules`) and the step's window on
the server, and refuses with a clear message changing nothing. Sending a step goes through the ledger; the flow then
moves on. The agency's acts (extend, reopen, append) need a reason, are audited, land in the dossier's history and
are mailed to the body."""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError, NotFoundError
from loket.core.ledger import ledger_append
from loket.forms.collect import collect_post
from loket.organisations.models import Organisation
from loket.subsidies import formengine, rules
from loket.subsidies.mails import mail_bodies
from loket.subsidies.models import (
    ApplicationForm,
    Call,
    Dossier,
    DossierEvent,
    Extension,
    Flow,
    FormVersion,
    ProceduralStep,
    Step,
)
from loket.subsidies.terms import DossierStatus, FormStatus, StepType


def actor_label(actor: Any) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_full_name() or actor.get_username()
    return "systeem"


class NotEligible(DomainError):
    code = "not_eligible"


def _check_eligible(organisation: Organisation, call: Call) -> None:
    if not rules.may_apply(organisation, call):
        raise NotEligible(_("Uw bestuur komt niet in aanmerking voor deze subsidiemaatregel."))


# Definitions -------------------------------------------------------------------------------------------------------


def form_version_create(*, name: str, turtle: str) -> FormVersion:
    """A form version is identified by its content: the same Turtle gives the same row. Unusable Turtle is refused
    (FormLoadError) before anything is stored."""
    sha256 = FormVersion.hash_of(turtle)
    found = FormVersion.objects.filter(sha256=sha256, name=name).first()
    if found is not None:
        return found
    version = FormVersion(name=name, turtle=turtle, sha256=sha256)
    formengine.definition_of(version)
    version.save()
    return version


# Dossiers ----------------------------------------------------------------------------------------------------------


def _first_step(call: Call) -> Step:
    step = Step.objects.select_related("procedural_step").filter(flow__call=call).order_by("order").first()
    if step is None:
        raise DomainError(_("Deze reeks heeft nog geen stappen."), code="no_steps")
    return step


@transaction.atomic
def dossier_start(*, call: Call, organisation: Organisation, actor: Any) -> Dossier:
    """Start an application: only for an eligible body, while the call's first step is open; one per body."""
    _check_eligible(organisation, call)
    now = timezone.now()
    if not rules.open_calls(organisation, now).filter(pk=call.pk).exists():
        raise DomainError(_("Deze reeks is niet open voor aanvragen."), code="closed")
    existing = Dossier.objects.filter(call=call, organisation=organisation).first()
    if existing is not None:
        raise ConflictError(_("Uw bestuur heeft al een dossier voor deze reeks."))
    first = _first_step(call)
    dossier = Dossier.objects.create(
        organisation=organisation,
        call=call,
        active_step=first,
        status=DossierStatus.CONCEPT,
        created_at=now,
        modified_at=now,
        created_by=actor_label(actor),
    )
    DossierEvent.objects.create(dossier=dossier, at=now, kind=DossierEvent.Kind.STARTED, actor_label=actor_label(actor))
    audit_record(action="subsidies.dossier_started", actor=actor, organisation=organisation, call=call.title)
    return dossier


def _lock(dossier: Dossier) -> Dossier:
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("call", "organisation__kind", "active_step")
        .filter(pk=dossier.pk)
        .first()
    )
    if locked is None:
        raise NotFoundError(_("Dit dossier bestaat niet meer."))
    return locked


def _live_form(dossier: Dossier, step: Step) -> ApplicationForm | None:
    return ApplicationForm.objects.filter(dossier=dossier, step=step, is_replaced=False).first()


def form_for(*, dossier: Dossier, step: Step) -> ApplicationForm:
    """The step's live form, made (status Nieuw, the step's current form version) when first opened: from then on
    the form keeps that version."""
    found = _live_form(dossier, step)
    if found is not None:
        return found
    now = timezone.now()
    return ApplicationForm.objects.create(
        dossier=dossier, step=step, form_version=step.form_version, created_at=now, modified_at=now
    )


def _check_step_of(dossier: Dossier, step: Step) -> None:
    if step.flow.call_id != dossier.call_id:
        raise NotFoundError(_("Deze stap hoort niet bij dit dossier."))


@transaction.atomic
def form_save(*, dossier: Dossier, step: Step, actor: Any, data: Any) -> formengine.Outcome:
    """Bewaar als concept: allowed while the step is open or not yet open; never after its end, never once sent."""
    locked = _lock(dossier)
    _check_step_of(locked, step)
    _check_eligible(locked.organisation, locked.call)
    if locked.active_step_id != step.pk:
        raise ConflictError(_("Deze stap is niet de actieve stap van het dossier: er werd niets bewaard."))
    now = timezone.now()
    if rules.is_expired(step, locked.organisation, now):
        raise DomainError(
            _("De deadline voor deze stap is verstreken (%(end)s): er werd niets bewaard.")
            % {"end": rules.brussels(rules.end_for(step, locked.organisation))},
            code="expired",
        )
    form = form_for(dossier=locked, step=step)
    if form.is_sent:
        raise ConflictError(_("Deze stap is al verstuurd: er werd niets bewaard."))
    definition = formengine.definition_of(form.form_version)
    context = formengine.context_of(form)
    node = formengine.node_of(form)
    collect_post(definition, context, node, data, None, store_file=lambda upload: None)
    form.source_ttl = formengine.serialize(context.source)
    form.status = FormStatus.CONCEPT
    form.modified_at = now
    form.save(update_fields=["source_ttl", "status", "modified_at"])
    locked.modified_at = now
    locked.save(update_fields=["modified_at"])
    audit_record(
        action="subsidies.form_saved", actor=actor, organisation=locked.organisation, step=step.procedural_step.name
    )
    return formengine.validate(definition, formengine.context_of(form), node)


class FormInvalid(DomainError):
    code = "invalid"


@transaction.atomic
def step_submit(*, dossier: Dossier, step: Step, actor: Any) -> ApplicationForm:
    """Verstuur naar de Vlaamse overheid: the active step, inside its window, valid, not yet sent; through the
    ledger; then the flow moves to the next step."""
    locked = _lock(dossier)
    _check_step_of(locked, step)
    _check_eligible(locked.organisation, locked.call)
    if locked.active_step_id != step.pk:
        raise ConflictError(_("Deze stap is niet de actieve stap van het dossier: ze kan niet verstuurd worden."))
    now = timezone.now()
    start = step.procedural_step.start
    if start is None or now < start:
        raise DomainError(_("Deze stap kan u nog niet indienen."), code="not_open")
    end = rules.end_for(step, locked.organisation)
    if rules.is_past(end, now):
        raise DomainError(
            _("De deadline voor deze stap is verstreken (%(end)s): er werd niets verstuurd.")
            % {"end": rules.brussels(end)},
            code="expired",
        )
    form = form_for(dossier=locked, step=step)
    if form.is_sent:
        raise ConflictError(_("Deze stap is al verstuurd."))
    definition = formengine.definition_of(form.form_version)
    context = formengine.context_of(form)
    node = formengine.node_of(form)
    outcome = formengine.validate(definition, context, node)
    if not outcome.valid:
        raise FormInvalid(_("Kan dossier niet versturen: verbeter de aangeduide velden."), fields=outcome.errors)
    from loket.forms.select import select_form_data

    form_data_nt = formengine.canonical_ntriples(select_form_data(definition, context, node))
    content_hash = hashlib.sha256(form_data_nt.encode("utf-8")).hexdigest()
    label = actor_label(actor)
    entry = ledger_append(
        kind="sent",
        subject_uri=form.uri,
        organisation_uri=locked.organisation.uri,
        actor_label=label,
        content_hash=content_hash,
        payload={
            "module": "subsidiebeheer",
            "dossier": locked.uri,
            "step": step.uri,
            "form_version": f"{form.form_version.name}@{form.form_version.sha256[:16]}",
        },
        stored_files=(),  # a subsidy step sends form data only: no uploads
    )
    form.form_data_nt, form.content_hash = form_data_nt, content_hash
    form.sent_at, form.sent_by, form.sent_entry = entry.recorded_at, label, entry
    form.status, form.modified_at = FormStatus.SENT, entry.recorded_at
    form.save()
    _advance(locked, step, entry.recorded_at)
    DossierEvent.objects.create(
        dossier=locked, at=entry.recorded_at, kind=DossierEvent.Kind.SENT, step=step, actor_label=label
    )
    audit_record(
        action="subsidies.step_sent",
        actor=actor,
        organisation=locked.organisation,
        step=step.procedural_step.name,
        content_hash=content_hash,
        ledger_position=entry.position,
    )
    return form


@transaction.atomic
def step_save_and_submit(*, dossier: Dossier, step: Step, actor: Any, data: Any) -> ApplicationForm:
    """What the send button does: save what was typed, then send; all or nothing."""
    form_save(dossier=dossier, step=step, actor=actor, data=data)
    return step_submit(dossier=dossier, step=step, actor=actor)


def _advance(dossier: Dossier, step: Step, at: datetime) -> None:
    """The real flow service: the next step becomes active (none after the last); status Actief, or Aanvraag
    ingediend when the step just sent is of type Aanvraag."""
    sent_already = ApplicationForm.objects.filter(dossier=dossier, is_replaced=False, status=FormStatus.SENT)
    following = (  # after a reopened step, steps the body had already sent are not asked again
        Step.objects.filter(flow_id=step.flow_id, order__gt=step.order)
        .exclude(pk__in=sent_already.values("step_id"))
        .order_by("order")
        .first()
    )
    dossier.active_step = following
    is_application = step.procedural_step.type == StepType.APPLICATION
    dossier.status = DossierStatus.SUBMITTED if is_application else DossierStatus.ACTIVE
    dossier.modified_at = at
    dossier.save(update_fields=["active_step", "status", "modified_at"])


@transaction.atomic
def dossier_delete(*, dossier: Dossier, actor: Any) -> None:
    locked = _lock(dossier)
    if locked.status != DossierStatus.CONCEPT or locked.forms.filter(status=FormStatus.SENT).exists():
        raise ConflictError(_("Alleen een dossier in Concept kan verwijderd worden."))
    audit_record(
        action="subsidies.dossier_deleted", actor=actor, organisation=locked.organisation, call=locked.call.title
    )
    locked.delete()


# The agency ----------------------------------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden op: ze staat in de geschiedenis van het dossier."), code="no_reason")
    return reason


@transaction.atomic
def deadline_extend(
    *, step: Step, end: datetime, reason: str, actor: Any, organisations: Iterable[Organisation] | None = None
) -> int:
    """Extend the step's deadline for every body (`organisations` None: the procedural step's end moves) or for the
    given bodies (their own later end). Only later: an earlier end is refused. Returns how many bodies were told."""
    reason = _reason(reason)
    procedural = ProceduralStep.objects.select_for_update().get(pk=step.procedural_step_id)
    if procedural.end is None:
        raise DomainError(_("Deze stap heeft geen deadline."), code="no_deadline")
    if end <= procedural.end:
        raise DomainError(
            _("De nieuwe deadline moet na de huidige liggen (%(end)s).") % {"end": rules.brussels(procedural.end)},
            code="not_later",
        )
    now, label = timezone.now(), actor_label(actor)
    dossiers = Dossier.objects.filter(call_id=step.flow.call_id).select_related("organisation")
    if organisations is None:
        procedural.end = end
        procedural.save(update_fields=["end"])
        Extension.objects.filter(step=step, end__lte=end).delete()
        bodies = [d.organisation for d in dossiers]
    else:
        bodies = list(organisations)
        if not bodies:
            raise DomainError(_("Kies minstens één bestuur."), code="no_bodies")
        existing = dict(
            Extension.objects.filter(step=step, organisation__in=bodies).values_list("organisation_id", "end")
        )
        Extension.objects.filter(step=step, organisation__in=bodies).delete()
        Extension.objects.bulk_create(
            [Extension(step=step, organisation=body, end=max(end, existing.get(body.pk, end))) for body in bodies]
        )
        dossiers = dossiers.filter(organisation__in=bodies)
    detail = rules.brussels(end)
    DossierEvent.objects.bulk_create(
        [
            DossierEvent(
                dossier=d,
                at=now,
                kind=DossierEvent.Kind.EXTENDED,
                step=step,
                actor_label=label,
                reason=reason,
                detail=detail,
            )
            for d in dossiers
        ]
    )
    audit_record(
        action="subsidies.deadline_extended",
        actor=actor,
        step=step.procedural_step.name,
        call=step.flow.call.title,
        end=detail,
        bodies=len(bodies) if organisations is not None else "alle",
        reason=reason,
    )
    with override("nl"):
        mail_bodies(
            bodies,
            subject=_("Subsidiebeheer: deadline verlengd"),
            lines=[
                _("De deadline van de stap '%(step)s' van '%(call)s' werd verlengd tot %(end)s.")
                % {"step": procedural.name, "call": str(step.flow.call), "end": detail},
                _("Reden: %(reason)s") % {"reason": reason},
            ],
        )
    return len(bodies)


def _renamed_source(sent: ApplicationForm, copy: ApplicationForm) -> str:
    """The sent form's data about the copy's own node (the form engine works from the form's URI)."""
    from rdflib import Graph

    old, new = formengine.node_of(sent), formengine.node_of(copy)
    renamed = Graph()
    for subject, predicate, obj in formengine.context_of(sent).source:
        renamed.add((new if subject == old else subject, predicate, new if obj == old else obj))
    return formengine.serialize(renamed)


@transaction.atomic
def step_reopen(
    *, dossier: Dossier, step: Step, reason: str, actor: Any, end: datetime | None = None
) -> ApplicationForm:
    """Reopen one body's sent step: the sent form stays (and stays in the ledger), a concept copy of it opens, the
    step becomes active again. `end` gives the body a later deadline for it at the same time."""
    reason = _reason(reason)
    locked = _lock(dossier)
    _check_step_of(locked, step)
    sent = _live_form(locked, step)
    if sent is None or not sent.is_sent:
        raise ConflictError(_("Alleen een verstuurde stap kan heropend worden."))
    now, label = timezone.now(), actor_label(actor)
    sent.is_replaced = True
    sent.save(update_fields=["is_replaced"])
    copy = ApplicationForm(
        dossier=locked,
        step=step,
        form_version=sent.form_version,
        status=FormStatus.CONCEPT,
        created_at=now,
        modified_at=now,
    )
    copy.source_ttl = _renamed_source(sent, copy)
    copy.save()
    if end is not None:
        Extension.objects.update_or_create(step=step, organisation=locked.organisation, defaults={"end": end})
    locked.active_step = step
    locked.status = DossierStatus.ACTIVE
    locked.modified_at = now
    locked.save(update_fields=["active_step", "status", "modified_at"])
    DossierEvent.objects.create(
        dossier=locked,
        at=now,
        kind=DossierEvent.Kind.REOPENED,
        step=step,
        actor_label=label,
        reason=reason,
        detail=rules.brussels(end) if end else "",
    )
    audit_record(
        action="subsidies.step_reopened",
        actor=actor,
        organisation=locked.organisation,
        step=step.procedural_step.name,
        reason=reason,
    )
    with override("nl"):
        mail_bodies(
            [locked.organisation],
            subject=_("Subsidiebeheer: stap heropend"),
            lines=[
                _("De stap '%(step)s' van '%(call)s' werd heropend: u kan ze aanpassen en opnieuw versturen.")
                % {"step": step.procedural_step.name, "call": str(locked.call)},
                _("Reden: %(reason)s") % {"reason": reason},
            ],
        )
    return copy


@transaction.atomic
def step_append(
    *,
    call: Call,
    name: str,
    step_type: str,
    start: datetime,
    end: datetime | None,
    form_version: FormVersion,
    reason: str,
    actor: Any,
) -> Step:
    """Append a step to a running flow: dossiers that finished the old last step (no active step, something sent)
    get it as active step."""
    reason = _reason(reason)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Geef de stap een naam."), code="no_name")
    if step_type not in StepType.values:
        raise DomainError(_("Kies een type stap."), code="no_type")
    if end is not None and end <= start:
        raise DomainError(_("Het einde moet na het begin liggen."), code="end_before_start")
    flow = Flow.objects.get_or_create(call=call)[0]  # a call defined without steps gets its flow here
    last = flow.steps.aggregate(last=Max("order"))["last"]
    procedural = ProceduralStep.objects.create(name=name, type=step_type, start=start, end=end)
    step = Step.objects.create(
        flow=flow, order=0 if last is None else last + 1, procedural_step=procedural, form_version=form_version
    )
    now, label = timezone.now(), actor_label(actor)
    finished = list(
        Dossier.objects.select_for_update(of=("self",))
        .filter(call=call, active_step__isnull=True)
        .exclude(status=DossierStatus.CONCEPT)
        .select_related("organisation")
    )
    for dossier in finished:  # saved one by one: the change feed of the public data sees the new modified date
        dossier.active_step, dossier.modified_at = step, now
        dossier.save(update_fields=["active_step", "modified_at"])
    DossierEvent.objects.bulk_create(
        [
            DossierEvent(
                dossier=d,
                at=now,
                kind=DossierEvent.Kind.STEP_ADDED,
                step=step,
                actor_label=label,
                reason=reason,
                detail=name,
            )
            for d in finished
        ]
    )
    audit_record(
        action="subsidies.step_appended", actor=actor, call=call.title, step=name, reason=reason, dossiers=len(finished)
    )
    with override("nl"):
        mail_bodies(
            [d.organisation for d in finished],
            subject=_("Subsidiebeheer: nieuwe stap"),
            lines=[
                _("Aan '%(call)s' werd de stap '%(step)s' toegevoegd, te versturen tot %(end)s.")
                % {"call": str(call), "step": name, "end": rules.brussels(end) or "—"},
                _("Reden: %(reason)s") % {"reason": reason},
            ],
        )
    return step
