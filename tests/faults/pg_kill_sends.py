"""The three kinds of send that tests/faults/pg_kill.py interrupts with a kill -9 of PostgreSQL: a Toezicht
submission, a BBC-DR report and a subsidy step. Each kind prepares 20 items that are complete and ready to send (with
the clerk who sends them and the page the clerk posts), and afterwards reads every item again and says whether it was
sent and what is wrong with it:

- sent: exactly one ledger entry 'sent' naming it, which the item points to; its receipt (the module's own receipt
  function) verifies as "echt" against the register and the stored content; the work it queues (Toezicht: the
  delivery task; BBC-DR: the packaging task) once; the module's other writes of the same transaction (BBC-DR: the
  audit event; subsidies: the dossier on to the next step, its history event, the audit event);
- not sent: still the concept it was, with none of those.

Whether the client was told "verstuurd" is judged by pg_kill.py from each kind's success message."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

CLIENTS = 20
GEMEENTE = "5ab0e9b8a3b2ca7c5e000001"  # the classification Gemeente
KBO = "0207451227"  # a valid KBO number (Aalst), the one the sample BBC-DR files name


@dataclass(frozen=True)
class Send:
    """One client's send: who posts what to which page; `key` names the item in problems."""

    key: str
    user: Any
    url: str
    data: dict[str, str]


@dataclass
class Outcome:
    sent: bool
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    name: str
    success: str  # the start of the message that tells the clerk the item was sent
    prepare: Callable[[int], list[Send]]
    check: Callable[[list[str]], dict[str, Outcome]]


def _municipality(round_number: int, n: int = 0, kbo: str = ""):  # type: ignore[no-untyped-def]
    from tests.conftest import _kind, make_organisation

    return make_organisation(
        key=f"aaaa{n:04d}-0000-0000-0000-{round_number:012d}",
        name=f"Gemeente {round_number}-{n}",
        kbo=kbo,
        kind=_kind(GEMEENTE, "Gemeente", "municipality"),
        target_group=None,
    )


def _clerk(name: str, organisation, role):  # type: ignore[no-untyped-def]
    from tests.conftest import grant, make_user

    user = make_user(name)
    grant(user, organisation, [role])
    return user


def _queued(task_suffix: str, argument: str) -> Counter[Any]:
    """How many task rows of this task name each object (by the keyword argument that holds its id)."""
    from django_tasks_db.models import DBTaskResult

    return Counter(
        (row.args_kwargs or {}).get("kwargs", {}).get(argument)
        for row in DBTaskResult.objects.filter(task_path__endswith=task_suffix)
    )


def _sent_entries(uri: str) -> list[Any]:
    from loket.core.ledger_models import LedgerEntry

    return list(LedgerEntry.objects.filter(kind="sent", subject_uri=uri))


def _audited(action: str, *, organisation_id: int | None = None, **details: Any) -> int:
    """How many audit events of this action name the item (by a detail, or by its organisation)."""
    from loket.core.models import AuditEvent

    events = AuditEvent.objects.filter(action=action, **{f"details__{k}": v for k, v in details.items()})
    return (events if organisation_id is None else events.filter(organisation_id=organisation_id)).count()


def _entry_problems(key: str, entries: list[Any], pointed_to: int | None) -> list[str]:
    if len(entries) != 1 or pointed_to != entries[0].pk:
        return [f"{key}: sent, but its ledger entries are {[e.pk for e in entries]} (it names {pointed_to})"]
    return []


def _receipt_problems(key: str, build: Callable[[Any], dict[str, Any]], item: Any) -> list[str]:
    """The module's own receipt of a sent item, checked as the public check page does."""
    from loket.core.receipts import receipt_verify

    try:
        verdict = receipt_verify(build(item))
    except Exception as error:  # a sent item whose receipt cannot be built is the problem reported
        return [f"{key}: sent, but its receipt cannot be built: {error!r}"]
    return [] if verdict.ok else [f"{key}: sent, but its receipt does not verify: {verdict.message}"]


def _expect(key: str, what: str, found: int, wanted: int) -> list[str]:
    return [] if found == wanted else [f"{key}: {what}: {found}, expected {wanted}"]


# Toezicht: the confirmation page ("Versturen") of a complete concept -------------------------------------------------


def toezicht_prepare(round_number: int) -> list[Send]:
    from django.urls import reverse

    from loket.accounts.roles import Role
    from loket.supervision.codelists import document_types_load
    from loket.supervision.governing_bodies import governing_bodies_of
    from loket.supervision.models import DocumentType
    from loket.supervision.services import submission_create, submission_update
    from loket.supervision.views import _fingerprint
    from tests.supervision.conftest import name_of

    document_types_load()
    organisation = _municipality(round_number)
    clerk = _clerk(f"clara-round{round_number}", organisation, Role.TOEZICHT)
    body = governing_bodies_of(organisation)[0]
    document_type = DocumentType.objects.get(label="Besluitenlijst")
    sends = []
    for n in range(CLIENTS):
        concept = submission_create(organisation=organisation, actor=clerk, document_type=document_type)
        submission_update(
            submission=concept,
            actor=clerk,
            data={
                name_of(concept, "documentType"): document_type.uri,
                name_of(concept, "governingBody"): body.uri,
                name_of(concept, "sessionDate"): "2026-01-05",
                name_of(concept, "links"): f"https://example.org/besluit-{round_number}-{n}.html",
            },
        )
        concept.refresh_from_db()
        url = reverse("supervision:confirm", kwargs={"submission": concept.uuid})
        sends.append(Send(str(concept.uuid), clerk, url, {"fingerprint": _fingerprint(concept)}))
    return sends


def toezicht_check(keys: list[str]) -> dict[str, Outcome]:
    from loket.supervision.models import Submission
    from loket.supervision.receipts import submission_receipt

    deliveries = _queued("deliver_submission", "submission_id")
    outcomes = {}
    for key in keys:
        stored = Submission.objects.get(uuid=key)
        entries = _sent_entries(stored.uri)
        outcome = outcomes[key] = Outcome(stored.is_sent)
        if stored.is_sent:
            outcome.problems += _entry_problems(key, entries, stored.sent_entry_id)
            outcome.problems += _expect(key, "delivery tasks", deliveries[stored.pk], 1)
            outcome.problems += _receipt_problems(key, submission_receipt, stored)
        else:
            if stored.status != Submission.Status.CONCEPT:
                outcome.problems.append(f"{key}: neither sent nor a concept: {stored.status}")
            if entries or deliveries[stored.pk]:
                outcome.problems.append(
                    f"{key}: a concept with {len(entries)} ledger entries, {deliveries[stored.pk]} delivery tasks"
                )
    return outcomes


# BBC-DR: the send page of a checked report (one XML and one XBRL file) ----------------------------------------------


def _checked(report_id: int):  # type: ignore[no-untyped-def]
    """The worker's check of one report (Arelle in its own process, about a second), on its own connection."""
    from django.db import connection

    from loket.reports.models import Report
    from loket.reports.services import report_check

    try:
        checked = report_check(report_id=report_id)
        if checked is None or checked.check_status != Report.Check.VALID:
            raise RuntimeError(f"the prepared report is not sendable: {checked and checked.check_findings}")
        return checked
    finally:
        connection.close()


def bbcdr_prepare(round_number: int) -> list[Send]:
    from concurrent.futures import ThreadPoolExecutor

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from loket.accounts.roles import Role
    from loket.core.quota import Uploader
    from loket.reports.samples import sample_xbrl, sample_xml
    from loket.reports.services import receive_files, report_create

    organisation = _municipality(round_number, kbo=KBO)
    clerk = _clerk(f"bea-round{round_number}", organisation, Role.BBCDR)
    reports = []
    for n in range(CLIENTS):
        pair = [
            SimpleUploadedFile(f"jaarrekening-{n}.xml", sample_xml(kbo=KBO, year=2025)),
            SimpleUploadedFile(f"jaarrekening-{n}.xbrl", sample_xbrl(kbo=KBO, year=2025)),
        ]
        reports.append(
            report_create(
                actor=clerk,
                organisation=organisation,
                received=receive_files(pair, uploader=Uploader(organisation, clerk)),
            )
        )
    with ThreadPoolExecutor(max_workers=4) as pool:  # the checks, as a few workers would run them
        checked = list(pool.map(_checked, [report.pk for report in reports]))
    return [Send(str(r.uuid), clerk, reverse("reports:send", kwargs={"report": r.uuid}), {}) for r in checked]


def bbcdr_check(keys: list[str]) -> dict[str, Outcome]:
    from loket.reports.models import Report
    from loket.reports.receipts import report_receipt

    packagings = _queued("package_report", "report_id")
    outcomes = {}
    for key in keys:
        stored = Report.objects.select_related("organisation", "sent_entry").get(uuid=key)
        entries = _sent_entries(stored.uri)
        audited = _audited("bbcdr.sent", report=stored.uri)
        outcome = outcomes[key] = Outcome(stored.is_sent)
        if stored.is_sent:
            outcome.problems += _entry_problems(key, entries, stored.sent_entry_id)
            outcome.problems += _expect(key, "packaging tasks", packagings[stored.pk], 1)
            outcome.problems += _expect(key, "audit events 'bbcdr.sent'", audited, 1)
            if stored.delivery_status != Report.Delivery.QUEUED:
                outcome.problems.append(f"{key}: sent, but its delivery status is {stored.delivery_status}")
            outcome.problems += _receipt_problems(key, report_receipt, stored)
        else:
            if stored.status != Report.Status.CONCEPT or stored.sent_at or stored.content_hash:
                outcome.problems.append(f"{key}: not sent, but not the concept it was: {stored.status}")
            if entries or packagings[stored.pk] or audited:
                outcome.problems.append(
                    f"{key}: a concept with {len(entries)} ledger entries, {packagings[stored.pk]} packaging tasks, "
                    f"{audited} audit events"
                )
    return outcomes


# Subsidies: "Verstuur" on the first step of a dossier, one dossier per body, 20 bodies in one call -------------------


def subsidies_prepare(round_number: int) -> list[Send]:
    from django.urls import reverse
    from django.utils import timezone

    from loket.accounts.roles import Role
    from loket.subsidies.services import dossier_start, form_for, form_save
    from loket.subsidies.terms import StepType
    from tests.subsidies.conftest import make_call, valid_data

    now = timezone.now()
    call = make_call(
        kinds=[GEMEENTE],
        title=f"Oproep ronde {round_number}",
        steps=[
            ("Aanvraag", StepType.APPLICATION, now - timedelta(days=1), now + timedelta(days=30)),
            ("Opvolging", StepType.EXTERNAL, now - timedelta(days=1), now + timedelta(days=60)),
        ],
    )
    first = call.flow.steps.get(order=0)
    sends = []
    for n in range(CLIENTS):
        organisation = _municipality(round_number, n + 1)
        clerk = _clerk(f"sofie-round{round_number}-{n}", organisation, Role.SUBSIDIES)
        dossier = dossier_start(call=call, organisation=organisation, actor=clerk)
        data = valid_data(form_for(dossier=dossier, step=first))
        form_save(dossier=dossier, step=first, actor=clerk, data=data)  # the concept the clerk then sends
        url = reverse("subsidies:step", args=[dossier.uuid, first.uuid])
        sends.append(Send(str(dossier.uuid), clerk, url, {**data, "actie": "versturen"}))
    return sends


def subsidies_check(keys: list[str]) -> dict[str, Outcome]:
    from loket.subsidies.models import ApplicationForm, Dossier, DossierEvent
    from loket.subsidies.receipts import form_receipt
    from loket.subsidies.terms import DossierStatus, FormStatus

    outcomes = {}
    for key in keys:
        dossier = Dossier.objects.select_related("organisation", "active_step").get(uuid=key)
        form = ApplicationForm.objects.select_related("sent_entry", "step__procedural_step").get(
            dossier=dossier, step__order=0, is_replaced=False
        )
        entries = _sent_entries(form.uri)
        events = DossierEvent.objects.filter(dossier=dossier, kind=DossierEvent.Kind.SENT).count()
        audited = _audited("subsidies.step_sent", organisation_id=dossier.organisation_id)
        step = dossier.active_step.order if dossier.active_step else None
        outcome = outcomes[key] = Outcome(form.is_sent)
        if form.is_sent:
            outcome.problems += _entry_problems(key, entries, form.sent_entry_id)
            outcome.problems += _expect(key, "history events 'verstuurd'", events, 1)
            outcome.problems += _expect(key, "audit events 'subsidies.step_sent'", audited, 1)
            if dossier.status != DossierStatus.SUBMITTED or step != 1:
                outcome.problems.append(f"{key}: sent, but the dossier did not move on: {dossier.status}")
            outcome.problems += _receipt_problems(key, form_receipt, form)
        else:
            if form.status != FormStatus.CONCEPT or form.sent_at or form.content_hash:
                outcome.problems.append(f"{key}: not sent, but not the concept it was: {form.status}")
            if dossier.status != DossierStatus.CONCEPT or step != 0:
                outcome.problems.append(f"{key}: not sent, but the dossier moved on: {dossier.status}")
            if entries or events or audited:
                outcome.problems.append(
                    f"{key}: a concept with {len(entries)} ledger entries, {events} history events, {audited} audit "
                    "events"
                )
    return outcomes


KINDS = {
    "toezicht": Kind("toezicht", "De inzending is verstuurd", toezicht_prepare, toezicht_check),
    "bbcdr": Kind("bbcdr", "Rapport verstuurd", bbcdr_prepare, bbcdr_check),
    "subsidies": Kind("subsidies", "De stap werd verstuurd", subsidies_prepare, subsidies_check),
}
