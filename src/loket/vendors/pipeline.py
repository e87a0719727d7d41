"""Running a job: register (done when the melding was accepted) → download → import → validate → send.

One background task runs the remaining steps of a job in order; each step is recorded as a `JobTask`
(scheduled / busy / success / failed) with a message a vendor can act on. Every change of the job's status is a
compare-and-set (transitions.py): the worker holds a lease on the job, renewed with its heartbeat in the
transaction that commits each step's effects; when the vendor withdrew the melding, or another worker took the job
over, that renewal fails and the worker stops without writing anything (a withdrawn job never reaches the ledger).
A task that finds its job busy with a recent heartbeat leaves it alone (another worker has it); with a stale
heartbeat (a worker died mid-job) it takes the job over and re-runs the unfinished step. Steps are idempotent:
the import creates the submission in the same transaction that marks the step done, sending likewise.
A passing download fault (timeout, 5xx) is retried later with backoff; a final fault fails the job, releases the
decision's URI (the vendor may submit it again once fixed) and leaves no submission behind.
"""

import datetime
import logging
import random
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from loket.core.errors import ConflictError, NotFoundError
from loket.core.fetch import FetchError, backoff_delays
from loket.core.files import HTML, XML, sniff_content_type
from loket.core.quota import QuotaExceeded, Uploader, charged_save, quota_refund
from loket.core.statements import Columns, columns, instances, quote, table
from loket.core.statements import cursor as statements_cursor
from loket.organisations.models import Organisation
from loket.supervision.models import Submission
from loket.vendors import conf
from loket.vendors.credentials import Credentials, credentials_decrypt
from loket.vendors.downloads import HTML_ACCEPT, download, oauth2_token, same_origin
from loket.vendors.importer import Imported, ImportRefused, page_import
from loket.vendors.models import Job, JobCredential, JobTask, Vendor
from loket.vendors.rdfa import RDFaUnreadable, rdfa_graph
from loket.vendors.transitions import JobMovedOn, JobState, job_claim, job_renew, job_transition

logger = logging.getLogger(__name__)
Operation = JobTask.Operation
Status = Job.Status
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_NEXT = {
    Operation.DOWNLOAD: (Operation.IMPORT, 2),
    Operation.IMPORT: (Operation.VALIDATE, 3),
    Operation.VALIDATE: (Operation.SEND, 4),
}
RETRY = "retry"
FAILED = "failed"
DONE = "done"
MAX_STEP_ATTEMPTS = 3
_CONFLICT_SQLSTATES = {"40P01", "40001"}  # deadlock detected, serialization failure
# What a step tells job_run: go on with the next step (its task, or NEXT: read it), retry later, or the job ended.
NEXT = "next"
END = "end"
Outcome = str | JobTask


class StepFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def job_run(*, job_id: int) -> str:
    jobs_recover_stale(throttled=True)
    claimed = _claim(job_id)
    if claimed is None:
        return "nothing to do"
    job, task = claimed
    try:
        while task is not None:
            outcome = _run_step(job, task)
            if outcome == RETRY:
                return RETRY
            if outcome == END:
                return job.status  # written by this step's committed transaction (_finish)
            task = outcome if isinstance(outcome, JobTask) else _next_task(job)
        with transaction.atomic():
            return _finish(job)
    except JobMovedOn:
        logger.info("Vendor job %s changed while this worker ran it (withdrawn or taken over); stopped", job.uuid)
        return _status_of(job)
    except StepFailed as failure:
        job_fail(job=job, task=task, message=failure.message)
        return FAILED
    except Exception:
        logger.exception("Vendor job %s failed unexpectedly in step %s", job.uuid, task.operation if task else "-")
        step = task.get_operation_display() if task else "verwerken"
        job_fail(
            job=job,
            task=task,
            message=f"Er ging iets mis bij het {step} in het Loket. Probeer het later "
            "opnieuw met een nieuwe melding; blijft het misgaan, contacteer dan digitaalABB@vlaanderen.be.",
        )
        return FAILED


def _run_step(job: Job, task: JobTask) -> Outcome:
    """Run one step; again when PostgreSQL aborted its transaction to break a deadlock (or a serialization
    conflict) with another worker's: the transaction was rolled back whole, and running it again is the remedy."""
    for attempt in range(1, MAX_STEP_ATTEMPTS + 1):
        try:
            return _STEPS[task.operation](job, task)
        except OperationalError as error:
            conflict = getattr(error.__cause__, "sqlstate", None) in _CONFLICT_SQLSTATES
            if not conflict or attempt == MAX_STEP_ATTEMPTS:
                raise
            logger.warning("Vendor job %s: step %s rolled back by a lock conflict; again", job.uuid, task.operation)
            time.sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")


def _claim(job_id: int) -> tuple[Job, JobTask | None] | None:
    """Take the job (busy under a new lease) and start its first unfinished step, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        job = _locked_job(job_id)
        if job is None or job.status in (Status.SUCCESS, Status.FAILED):
            return None
        stale = now - datetime.timedelta(seconds=conf.stale_seconds())
        if job.status == Status.BUSY and job.heartbeat_at is not None and job.heartbeat_at > stale:
            return None  # another worker is running it
        try:
            job_claim(job=job, stale_before=stale)
        except JobMovedOn:
            return None  # withdrawn or taken by another worker between the read and the write
        task = _next_task(job)
        if task is not None and task.status != Status.BUSY:
            JobTask.objects.filter(pk=task.pk).update(status=Status.BUSY, modified_at=now)
    return job, task


def _locked_job(job_id: int) -> Job | None:
    """The job, locked (PostgreSQL), with its vendor, organisation, submission and credentials: what the ORM's
    `select_for_update(of=("self",)).select_related("vendor", "organisation", "submission", "credential")` reads, as
    one statement of its own (`core.statements`; every job's claim asks it, and the ORM spent about 1 ms of CPU
    building that query and its instances). tests/vendors/test_pipeline.py compares it with the ORM's answer."""
    sql, read = _locked_job_statement(connection.vendor, connection.features.has_select_for_update_of)
    with statements_cursor() as cursor:
        cursor.execute(sql, [job_id])
        row = cursor.fetchone()
    if row is None:
        return None
    job, vendor, organisation, submission, credential = instances(row, read)
    job.vendor = vendor
    job.organisation = organisation
    Job._meta.get_field("submission").set_cached_value(job, submission)  # None too: loaded, and absent
    Job.credential.related.set_cached_value(job, credential)  # None: `job.credential` raises DoesNotExist
    if credential is not None:
        JobCredential._meta.get_field("job").set_cached_value(credential, job)
    return job


@lru_cache(maxsize=4)
def _locked_job_statement(vendor: str, lock_of: bool) -> tuple[str, tuple[Columns, ...]]:
    read = (
        columns(Job, "j"),
        columns(Vendor, "v"),
        columns(Organisation, "o"),
        columns(Submission, "s"),
        columns(JobCredential, "c"),
    )
    key = quote("id")
    # Only the models' own table and column names, quoted; the job's id is a parameter.
    sql = (
        f"SELECT {', '.join(part.sql for part in read)} FROM {table(Job)} j "  # noqa: S608
        f"JOIN {table(Vendor)} v ON v.{key} = j.{quote('vendor_id')} "
        f"JOIN {table(Organisation)} o ON o.{key} = j.{quote('organisation_id')} "
        f"LEFT JOIN {table(Submission)} s ON s.{key} = j.{quote('submission_id')} "
        f"LEFT JOIN {table(JobCredential)} c ON c.{quote('job_id')} = j.{key} "
        f"WHERE j.{key} = %s"
    )
    return sql + (" FOR UPDATE OF j" if lock_of else ""), read


def _next_task(job: Job) -> JobTask | None:
    return job.tasks.exclude(status=Status.SUCCESS).order_by("index").first()


def _status_of(job: Job) -> str:
    return Job.objects.filter(pk=job.pk).values_list("status", flat=True).get()


def _succeed(job: Job, task: JobTask, *, message: str = "", then: Operation | None = None) -> Outcome:
    """Mark the step done and start the next one (busy, with a fresh heartbeat), or finish the job when there is
    none; call inside the step's transaction, after its `job_renew` (which raised JobMovedOn when the job moved
    on). The next step's task (the one job_run runs next, not read again), or END when the job ended here."""
    now = timezone.now()
    JobTask.objects.filter(pk=task.pk).update(
        status=Status.SUCCESS, error_message="", message=message[:4000], modified_at=now
    )
    if then is None:
        _finish(job)
        return END
    operation, index = _NEXT[Operation(task.operation)]
    # One per operation. A successor is only ever created in the transaction that marks this step done, so it
    # cannot exist yet while this step runs; should one be there all the same, the insert leaves its status alone
    # (only modified_at) and returns its id, on PostgreSQL and SQLite alike.
    (following,) = JobTask.objects.bulk_create(
        [JobTask(job=job, operation=operation, index=index, status=Status.BUSY, created_at=now, modified_at=now)],
        update_conflicts=True,
        unique_fields=["job", "operation"],
        update_fields=["modified_at"],
    )
    return following


def _finish(job: Job) -> str:
    """busy → success; inside a transaction (JobMovedOn when the job moved on)."""
    job_transition(job=job, source=JobState.running(job), target=Status.SUCCESS)
    _forget_credentials(job)
    return DONE


def job_fail(*, job: Job, task: JobTask | None, message: str) -> None:
    """Fail the job with `message`, release the decision's URI and remove what it had stored; nothing when the job
    moved on meanwhile (withdrawn: that state and its message stand)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            job_transition(
                job=job,
                source=JobState.running(job),
                target=Status.FAILED,
                error_message=message,
                holds_resource=False,
                page_storage_name="",
            )
            if task is not None:
                JobTask.objects.filter(pk=task.pk).update(status=Status.FAILED, error_message=message, modified_at=now)
            _forget_credentials(job)
    except JobMovedOn:
        logger.info("Vendor job %s moved on before it could be failed (%s)", job.uuid, message)
        return
    delete_stored(job)


def delete_stored(job: Job) -> None:
    """The stored copy of the page and the attachments of a job that ended without a submission to keep them."""
    for name in [job.page_storage_name, *_attachment_names(job)]:
        if name and default_storage.exists(name):
            default_storage.delete(name)


def _attachment_names(job: Job) -> list[str]:
    folder = f"vendors/jobs/{job.uuid}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return []
    return [f"{folder}/{name}" for name in files if name.startswith("bijlage-")]


def _credentials(job: Job) -> Credentials | None:
    try:
        record = job.credential  # loaded with the job by _claim
    except JobCredential.DoesNotExist:
        return None
    return credentials_decrypt(record.secret)


def _forget_credentials(job: Job) -> None:
    """Delete the job's credentials. A job that came without any (loaded with the job by _claim; a melding's
    credentials are stored with its registration only, never later) costs no statement."""
    try:
        job.credential  # noqa: B018 - the access is the test
    except JobCredential.DoesNotExist:
        return
    JobCredential.objects.filter(job=job).delete()


# --- download -----------------------------------------------------------------------------------------------


def _download(job: Job, task: JobTask) -> Outcome:
    try:
        result = download(
            job.href,
            credentials=_credentials(job),
            credentials_origin=job.href,
            max_bytes=conf.max_page_bytes(),
            accept=HTML_ACCEPT,
            total_timeout=conf.attempt_seconds(),
        )
    except FetchError as error:
        return _download_failed(job, task, error)
    sniffed = sniff_content_type(result.body[:8192])
    is_html = sniffed == HTML or (result.content_type in _HTML_TYPES and sniffed in (None, XML))
    if not is_html:
        raise StepFailed(
            f"De pagina {job.href} is geen HTML-pagina (ontvangen: {result.content_type or 'onbekend type'}). "
            "Geef in href het adres van de gepubliceerde HTML-pagina met de RDFa-annotaties."
        )
    name = _save_for(job, f"vendors/jobs/{job.uuid}/pagina.html", result.body, file_name=job.href)
    try:
        with transaction.atomic():
            job_renew(job=job)
            Job.objects.filter(pk=job.pk).update(page_storage_name=name, download_attempts=job.download_attempts + 1)
            outcome = _succeed(job, task, then=Operation.IMPORT)
    except JobMovedOn:
        quota_refund([name])
        default_storage.delete(name)
        raise
    job.page_storage_name = name
    return outcome


def _save_for(job: Job, name: str, body: bytes, *, file_name: str) -> str:
    """Store a downloaded file, charged to the body's storage quota (`core.quota`); over it the job fails with
    the quota's message, nothing stored."""
    try:
        return charged_save(
            ContentFile(body),
            name=name,
            size=len(body),
            uploader=Uploader(job.organisation),
            source="leverancier",
            file_name=file_name,
            storage=default_storage,
        )
    except QuotaExceeded as refused:
        raise StepFailed(refused.message_nl) from None


def _download_failed(job: Job, task: JobTask, error: FetchError) -> str:
    attempts = job.download_attempts + 1
    message = f"De pagina {job.href} kon niet worden opgehaald: {error.message}"
    if not error.retryable or attempts >= conf.download_attempts():
        raise StepFailed(message if attempts == 1 else f"{message} (na {attempts} pogingen)")
    from loket.vendors.tasks import process_job

    delay = backoff_delays(attempts, base=conf.backoff_base_seconds())[-1]
    now = timezone.now()
    with transaction.atomic():
        # Only a job still busy under this worker's lease goes back to scheduled: a withdrawn one stays withdrawn.
        job_transition(job=job, source=JobState.running(job), target=Status.SCHEDULED, download_attempts=attempts)
        JobTask.objects.filter(pk=task.pk).update(
            status=Status.SCHEDULED,
            modified_at=now,
            error_message=f"{message} Poging {attempts} van {conf.download_attempts()}; een volgende poging volgt.",
        )
        process_job.using(run_after=now + datetime.timedelta(seconds=delay)).enqueue(job_id=job.pk)
    return RETRY


# --- import -------------------------------------------------------------------------------------------------


def _import(job: Job, task: JobTask) -> Outcome:
    with default_storage.open(job.page_storage_name, "rb") as page_file:
        html = page_file.read().decode("utf-8", errors="replace")
    try:
        imported = page_import(
            page=rdfa_graph(html, base=job.href),
            submitted_resource=job.submitted_resource,
            organisation=job.organisation,
            href=job.href,
        )
    except (ImportRefused, RDFaUnreadable) as refusal:
        raise StepFailed(str(refusal.message)) from None
    notes = _download_attachments(job, imported)
    try:
        with transaction.atomic():
            job_renew(job=job)
            submission = _create_submission(job, imported)
            Job.objects.filter(pk=job.pk).update(submission=submission)
            _forget_credentials(job)  # page and attachments are in: the credentials go
            outcome = _succeed(job, task, message=" ".join(notes), then=Operation.VALIDATE)
    except ConflictError:
        raise StepFailed(
            f"The given submittedResource <{job.submitted_resource}> has already been submitted."
        ) from None
    job.submission = submission
    return outcome


def _download_attachments(job: Job, imported: Imported) -> list[str]:
    credentials = _credentials(job)
    token = None
    notes = []
    for index, url in enumerate(imported.attachments):
        job_renew(job=job)  # still mine (not withdrawn)? and the lease stays fresh during a long series
        own_origin = same_origin(url, job.href)  # the vendor's credentials go nowhere else
        try:
            if own_origin and credentials is not None and credentials.scheme == "oauth2" and token is None:
                token = oauth2_token(credentials)
            result = download(
                url,
                credentials=credentials if own_origin else None,
                credentials_origin=job.href,
                max_bytes=conf.max_attachment_bytes(),
                token=token if own_origin else None,
                total_timeout=conf.attempt_seconds(),
            )
        except FetchError as error:
            notes.append(f"Bijlage {url} kon niet worden opgehaald: {error.message}")
            continue
        _save_for(job, f"vendors/jobs/{job.uuid}/bijlage-{index + 1}", result.body, file_name=url)
    return notes


def _create_submission(job: Job, imported: Imported) -> Submission:
    from loket.supervision.services import submission_create, submission_form_node

    node = submission_form_node(Submission(uuid=job.submission_uuid))
    source = imported.build.graph(node)
    arguments: dict[str, Any] = {
        "organisation": job.organisation,
        "document_type": imported.document_type,
        "actor": None,
        "submitted_resource": job.submitted_resource,
        "href": job.href,
        "provided_by": job.vendor.uri,
    }
    return submission_create(
        **arguments, uuid=job.submission_uuid, source_graph=source, governing_body=imported.governing_body
    )


# --- validate and send --------------------------------------------------------------------------------------


def _validate(job: Job, task: JobTask) -> Outcome:
    """Check the form data; a job that asked for sending (Inzendbaar) is validated and sent in one go: sending
    validates again, in the same transaction, so a separate check first would only do the work twice."""
    if job.requested_status == Job.RequestedStatus.SUBMITTABLE:
        return _validate_and_send(job, task)
    from loket.supervision.services import submission_validate

    outcome = submission_validate(submission=_submission_of(job))
    with transaction.atomic():
        job_renew(job=job)
        return _succeed(job, task, message="" if outcome.valid else _incomplete(outcome.errors))


def _incomplete(errors: dict[str, list[str]]) -> str:
    return "Nog niet volledig, blijft een concept dat een medewerker kan aanvullen: " + "; ".join(
        f"{label}: {' '.join(messages)}" for label, messages in errors.items()
    )


def _validate_and_send(job: Job, task: JobTask) -> Outcome:
    from loket.supervision.services import SubmissionInvalid, submission_send

    submission = _submission_of(job, fresh=False)
    try:
        with transaction.atomic():
            job_renew(job=job)  # first: the job is held (withdrawal waits) until the ledger entry is committed
            # delivered in the same transaction: this is the worker already, a separate task would only add a claim
            submission_send(submission=submission, actor=None, actor_label=job.vendor.name, deliver_now=True)
            _send_recorded(job, message="")
            outcome = _succeed(job, task)
        _copy_links(job, submission)
        return outcome
    except NotFoundError:
        raise JobMovedOn(f"The submission of job {job.pk} is gone.") from None
    except SubmissionInvalid as invalid:
        with transaction.atomic():
            job_renew(job=job)
            return _succeed(job, task, message=_incomplete(invalid.fields))
    except ConflictError:
        with transaction.atomic():
            job_renew(job=job)
            _send_recorded(job, message="Deze inzending was al verstuurd.")
            return _succeed(job, task)


def _copy_links(job: Job, submission: Submission) -> None:
    """After the send committed: the copies of the links it recorded, in this task, as a delivery task makes them
    (no task of their own to claim). A passing fault queues the link's own retry; should the copy fail otherwise,
    the link stays pending and recovery queues it once this task is no longer live (vendors/tasks.py registers
    process_job as a link copier), so the job's end state stands either way."""
    from loket.supervision.tasks import links_copy

    try:
        links_copy(submission_id=submission.pk)
    except Exception:
        logger.exception("Vendor job %s: the copy of its links failed; recovery queues it again", job.uuid)


def _submission_of(job: Job, *, fresh: bool = True) -> Submission:
    """The job's submission as stored now; or, not `fresh`, as loaded with the job (_claim) or made by the import
    step, for sending, which locks and reads it again anyway (gone, deleted with a withdrawal, shows there)."""
    found = job.submission if job.submission_id is not None else None
    if fresh and found is not None:
        found = Submission.objects.select_related("organisation", "document_type").filter(pk=found.pk).first()
    if found is None:  # deleted with the withdrawal (the job then moved on too)
        raise JobMovedOn(f"The submission of job {job.pk} is gone.")
    return found


def _send_recorded(job: Job, *, message: str) -> None:
    """The send step, done together with validation."""
    now = timezone.now()
    operation, index = _NEXT[Operation.VALIDATE]
    done = JobTask(
        job=job,
        operation=operation,
        index=index,
        status=Status.SUCCESS,
        message=message,
        created_at=now,
        modified_at=now,
    )
    # one statement: inserted, or (a send task left from before validation and sending became one step) updated
    JobTask.objects.bulk_create(
        [done],
        update_conflicts=True,
        unique_fields=["job", "operation"],
        update_fields=["status", "message", "error_message", "modified_at"],
    )


def _send(job: Job, task: JobTask) -> Outcome:
    """Send a job validated before validation and sending became one step (a job left over from then)."""
    from loket.supervision.services import SubmissionInvalid, submission_send

    submission = _submission_of(job, fresh=False)
    try:
        with transaction.atomic():
            job_renew(job=job)
            submission_send(submission=submission, actor=None, actor_label=job.vendor.name, deliver_now=True)
            outcome = _succeed(job, task)
        _copy_links(job, submission)
        return outcome
    except NotFoundError:
        raise JobMovedOn(f"The submission of job {job.pk} is gone.") from None
    except SubmissionInvalid as invalid:
        details = "; ".join(f"{label}: {' '.join(m)}" for label, m in invalid.fields.items())
        message = f"Niet verstuurd, blijft een concept: {details}"
    except ConflictError:
        message = "Deze inzending was al verstuurd."
    with transaction.atomic():
        job_renew(job=job)
        return _succeed(job, task, message=message)


def _register(job: Job, task: JobTask) -> Outcome:
    JobTask.objects.filter(pk=task.pk).update(status=Status.SUCCESS, modified_at=timezone.now())
    return NEXT


_STEPS: dict[str, Callable[[Job, JobTask], Outcome]] = {
    Operation.DOWNLOAD: _download,
    Operation.IMPORT: _import,
    Operation.VALIDATE: _validate,
    Operation.SEND: _send,
    Operation.REGISTER: _register,
}


# --- recovering from crashed workers ------------------------------------------------------------------------


def jobs_recover_stale(*, throttled: bool = False, limit: int = 200) -> int:
    """Re-schedule jobs left busy by a worker that died (heartbeat older than the stale limit)."""
    from loket.vendors.tasks import process_job

    if throttled and not cache.add("vendors:recover-stale", 1, timeout=60):
        return 0
    cutoff = timezone.now() - datetime.timedelta(seconds=conf.stale_seconds())
    count = 0
    stale = Job.objects.filter(status=Status.BUSY, heartbeat_at__lt=cutoff).only(
        "pk", "status", "lease", "heartbeat_at"
    )
    for job in stale[:limit]:
        try:
            with transaction.atomic():
                job_transition(job=job, source=JobState.of(job, stale_before=cutoff), target=Status.SCHEDULED)
                process_job.enqueue(job_id=job.pk)
        except JobMovedOn:
            continue  # its worker renewed the lease, or the job ended, since the read
        logger.warning("Vendor job %s was abandoned by a worker; scheduled again", job.pk)
        count += 1
    return count
