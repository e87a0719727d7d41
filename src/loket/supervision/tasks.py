"""Background work for Toezicht: delivery into the supervisor's inbox, and cached copies of linked decisions."""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from loket.core.fetch import FetchError, backoff_delays, fetch
from loket.core.files import safe_filename, sniff_content_type
from loket.supervision.models import SubmissionFile

MAX_CACHE_ATTEMPTS = 5


@task()
def deliver_submission(*, submission_id: int) -> None:
    from loket.supervision.services import submission_deliver

    submission_deliver(submission_id=submission_id)


@task()
def cache_remote_file(*, file_id: int) -> str:
    """Fetch a linked decision once and keep it; retry later on a passing fault, say why on a final one."""
    record = SubmissionFile.objects.filter(pk=file_id, kind=SubmissionFile.Kind.LINK).first()
    if record is None or record.cache_status == SubmissionFile.CacheStatus.DONE:
        return "nothing to do"
    try:
        result = fetch(record.url, max_bytes=settings.LOKET_MAX_UPLOAD_BYTES, timeout=settings.LOKET_FETCH_TIMEOUT)
    except FetchError as error:
        return _failed(record, error)
    content_type = sniff_content_type(result.body[:8192], record.url) or result.content_type
    name = default_storage.save(
        f"submissions/{record.submission.uuid}/links/{record.uuid}/{safe_filename('besluit', content_type)}",
        ContentFile(result.body),
    )
    SubmissionFile.objects.filter(pk=record.pk).update(
        storage_name=name,
        size=len(result.body),
        sha256=result.sha256,
        content_type=content_type,
        original_name=record.url.rsplit("/", 1)[-1][:255] or "besluit",
        cache_status=SubmissionFile.CacheStatus.DONE,
        cache_attempts=record.cache_attempts + 1,
        cache_error="",
    )
    return "done"


def _failed(record: SubmissionFile, error: FetchError) -> str:
    attempts = record.cache_attempts + 1
    final = not error.retryable or attempts >= MAX_CACHE_ATTEMPTS
    with transaction.atomic():
        SubmissionFile.objects.filter(pk=record.pk).update(
            cache_attempts=attempts,
            cache_error=str(error.message)[:500],
            cache_status=SubmissionFile.CacheStatus.FAILED if final else SubmissionFile.CacheStatus.PENDING,
        )
        if not final:
            delay = backoff_delays(attempts)[-1]
            cache_remote_file.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(file_id=record.pk)
    return "failed" if final else "retry"
