"""Background work for Toezicht: delivery into the supervisor's inbox, and cached copies of linked decisions."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from loket.core.fetch import FetchError, backoff_delays, fetch
from loket.core.files import safe_filename, sniff_content_type
from loket.core.quota import QuotaExceeded, Uploader, charged_save
from loket.core.recovery import register_recovery
from loket.core.scanwait import register_file_owner
from loket.core.taskqueue import fail_stalled_tasks, live_task_arguments
from loket.supervision.models import SubmissionFile

MAX_CACHE_ATTEMPTS = 5


@task()
def deliver_submission(*, submission_id: int) -> None:
    """Deliver a sent submission, then keep a copy of each of its links: one task (one claim) per send for both. The
    copies are made after the delivery committed, so a slow or failing link never holds it up; a passing fault
    queues the link's own retry (`cache_remote_file`)."""
    from loket.supervision.services import submission_deliver

    submission_deliver(submission_id=submission_id)
    links_copy(submission_id=submission_id)


def links_copy(*, submission_id: int) -> None:
    """Keep a copy of each link of a sent submission still waiting for one (a failed one stays failed); call after
    the send committed, in a task: by the delivery, and by a task that sent and delivered at once (the vendor job,
    registered with `link_copier_register` so that recovery counts its links covered while it is live)."""
    waiting = _links(SubmissionFile.objects.filter(submission_id=submission_id))
    for record in waiting.filter(cache_status=SubmissionFile.CacheStatus.PENDING).order_by("pk"):
        _cache(record)


# Tasks of other modules that send with `deliver_now` and then copy the links themselves (`links_copy`): task path
# → (the keyword argument that names their work, a function from those values to the submissions they sent).
_LINK_COPIERS: dict[str, tuple[str, Callable[[set[int]], set[int]]]] = {}


def link_copier_register(task_path: str, argument: str, submissions_of: Callable[[set[int]], set[int]]) -> None:
    _LINK_COPIERS[task_path] = (argument, submissions_of)


@task()
def cache_remote_file(*, file_id: int) -> str:
    """Fetch a linked decision once and keep it; retry later on a passing fault, say why on a final one. Queued for
    a retry and by recovery; the links of a send are copied by its delivery, or by the task that sent and delivered
    at once (the vendor job)."""
    record = _links(SubmissionFile.objects.filter(pk=file_id)).first()
    return "nothing to do" if record is None else _cache(record)


def _links(files: Any) -> Any:
    """The links among `files` still waiting for their copy, with their submission's key (the copy's folder)."""
    waiting = files.filter(kind=SubmissionFile.Kind.LINK).exclude(cache_status=SubmissionFile.CacheStatus.DONE)
    return waiting.annotate(submission_key=F("submission__uuid")).select_related("submission__organisation")


def _cache(record: SubmissionFile) -> str:
    try:
        result = fetch(record.url, max_bytes=settings.LOKET_MAX_UPLOAD_BYTES, timeout=settings.LOKET_FETCH_TIMEOUT)
    except FetchError as error:
        return _failed(record, error)
    content_type = sniff_content_type(result.body[:8192], record.url) or result.content_type
    folder = f"submissions/{record.submission_key}/links/{record.uuid}"  # type: ignore[attr-defined]
    _remove_partial_copies(folder)
    try:
        name = charged_save(
            ContentFile(result.body),
            name=f"{folder}/{safe_filename('besluit', content_type)}",
            size=len(result.body),
            uploader=Uploader(record.submission.organisation),
            source="link",
            file_name=record.url,
            storage=default_storage,
        )
    except QuotaExceeded as refused:  # final: the link stays the decision, the copy is only a convenience
        return _failed(record, FetchError(refused.message_nl, code=refused.code))
    SubmissionFile.objects.filter(pk=record.pk).update(
        storage_name=name,
        size=len(result.body),
        sha256=result.sha256,
        content_type=content_type,
        original_name=record.url.rsplit("/", 1)[-1][:255] or "besluit",
        cache_status=SubmissionFile.CacheStatus.DONE,
        cache_attempts=record.cache_attempts + 1,
        cache_error="",
        cache_error_reason={},
    )
    return "done"


def _remove_partial_copies(folder: str) -> None:
    """The link's own folder holds only its copy; a file already there is what a worker killed while writing left
    (the copy is recorded only after the whole file is written). Removed, so the link keeps one copy, not a partial
    one beside a second under another name."""
    try:
        _, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        default_storage.delete(f"{folder}/{name}")


def _failed(record: SubmissionFile, error: FetchError) -> str:
    attempts = record.cache_attempts + 1
    final = not error.retryable or attempts >= MAX_CACHE_ATTEMPTS
    with transaction.atomic():
        SubmissionFile.objects.filter(pk=record.pk).update(
            cache_attempts=attempts,
            cache_error=str(error.message)[:500],
            cache_error_reason=error.reason,
            cache_status=SubmissionFile.CacheStatus.FAILED if final else SubmissionFile.CacheStatus.PENDING,
        )
        if not final:
            delay = backoff_delays(attempts)[-1]
            cache_remote_file.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(file_id=record.pk)
    return "failed" if final else "retry"


# Resuming work a dead worker left behind ----------------------------------------------------------------------
#
# django-tasks-db marks a task RUNNING when a worker claims it and only the same worker ever finishes it: a worker
# that is killed (OOM, deploy, power) leaves the row RUNNING forever, and the link it was fetching stays "pending".
# `resume_stalled_work` finds that work again. It is safe to run at any time and as often as wanted: both tasks
# are idempotent, and a task that is waiting (READY) or was claimed recently (RUNNING, younger than the limit)
# is left alone.

STALLED_AFTER = timedelta(minutes=15)  # well above fetch()'s whole-transfer bound (ten times the fetch timeout)


@dataclass(frozen=True)
class ResumeReport:
    stalled_tasks: int  # RUNNING task rows older than the limit, now marked FAILED
    links: int  # pending links whose cache task was enqueued again
    deliveries: int  # sent, undelivered submissions whose delivery was enqueued again


def resume_stalled_work(*, older_than: timedelta = STALLED_AFTER) -> ResumeReport:
    """Fail task rows a dead worker left RUNNING, then enqueue the work no live task covers anymore."""
    from loket.supervision.models import Submission

    paths = {cache_remote_file.module_path, deliver_submission.module_path}
    cutoff = timezone.now() - older_than
    stalled_count = fail_stalled_tasks(paths=paths, cutoff=cutoff, module="supervision")
    live = live_task_arguments(paths=paths | set(_LINK_COPIERS), cutoff=cutoff)
    links = SubmissionFile.objects.filter(
        kind=SubmissionFile.Kind.LINK, cache_status=SubmissionFile.CacheStatus.PENDING
    ).values_list("pk", "submission_id")
    undelivered = Submission.objects.filter(status=Submission.Status.SENT, delivered_at__isnull=True).values_list(
        "pk", flat=True
    )
    resumed_deliveries = [pk for pk in undelivered if (deliver_submission.module_path, "submission_id", pk) not in live]
    # a delivery, waiting, running or queued here, copies its submission's links after it
    delivering = {pk for path, _, pk in live if path == deliver_submission.module_path} | set(resumed_deliveries)
    for copier, (argument, submissions_of) in _LINK_COPIERS.items():  # a live vendor job copies its send's links
        delivering |= submissions_of({pk for path, name, pk in live if path == copier and name == argument})
    resumed_links = [
        pk
        for pk, submission_id in links
        if (cache_remote_file.module_path, "file_id", pk) not in live and submission_id not in delivering
    ]
    for pk in resumed_links:
        cache_remote_file.enqueue(file_id=pk)
    for pk in resumed_deliveries:
        deliver_submission.enqueue(submission_id=pk)
    return ResumeReport(stalled_tasks=stalled_count, links=len(resumed_links), deliveries=len(resumed_deliveries))


@register_recovery("toezicht")
def recover_toezicht(older_than: timedelta) -> str:
    report = resume_stalled_work(older_than=older_than)
    return (
        f"{report.stalled_tasks} vastgelopen taak/taken afgesloten; opnieuw ingepland: "
        f"{report.links} kopie(ën) van links, {report.deliveries} aflevering(en)."
    )


@register_file_owner("toezicht")
def remove_infected_upload(storage_name: str) -> list[str]:
    """An upload that waited for the virus scan was infected: out of its concept (core.scanwait)."""
    from loket.supervision.services import submission_file_remove_infected

    return submission_file_remove_infected(storage_name)
