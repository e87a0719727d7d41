"""Retention of vendors' jobs (ASVS 8.3.8, `core.retention`, docs/security/retention.md).

A job (a Toezicht melding's, `Job`, or a Berichtencentrum melding's, `MessageJob`) answers the vendor's question
"what became of my melding": its status, its steps and their error texts, the page's address. Credentials go when the
job ends (`pipeline`, `berichten`); the rest stays, and so does the copy of the page and its attachments a
successful job downloaded (`vendors/jobs/<uuid>/`, read once by the import). A vendor asks within minutes to weeks;
LOKET_VENDOR_JOB_RETENTION_DAYS after the job ended (its last change) the row goes, with its steps and the stored
copies. A failed job gets the same period: its reason is for the vendor, whose fix is a new melding (the failed
job no longer holds the decision's URI).

What is kept: a job still scheduled or busy; a job whose submission is still a concept (the vendor may still withdraw
it or ask its status, `services.job_for_vendor`). A sent submission does not depend on its job: it carries its own
uuid, decision URI, page address and vendor, its register entry covers its content, and `melding_register` refuses a
decision already submitted by the submission itself. The audit trail keeps `vendor.melding_accepted` (job and
submission URIs, decision, address). A message job's message is known by its URI in the Berichtencentrum
(`messaging.selectors.message_uri_known`), which refuses the same melding again."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone

from loket.core.audit import audit_record
from loket.core.retention import Purge, in_chunks, register_purge
from loket.supervision.models import Submission
from loket.vendors.models import Job, MessageJob

ENDED = [Job.Status.SUCCESS, Job.Status.FAILED]
MESSAGE_JOB_ENDED = [MessageJob.Status.SUCCESS, MessageJob.Status.FAILED]


@register_purge("leveranciersjobs")
def vendor_jobs_purge(limit: int) -> Purge:
    days = settings.LOKET_VENDOR_JOB_RETENTION_DAYS
    before = timezone.now() - timedelta(days=days)
    jobs = message_jobs = 0
    with transaction.atomic():
        if days > 0:
            jobs = in_chunks(_ended_jobs(before), limit=limit, apply=lambda chunk: _jobs_delete(before, chunk))
            message_jobs = in_chunks(
                _ended_message_jobs(before),
                limit=limit - jobs,
                apply=lambda chunk: _deleted(_ended_message_jobs(before).filter(pk__in=chunk), MessageJob),
            )
        audit_record(
            action="vendor_job.purged",
            count=jobs + message_jobs,
            jobs=jobs,
            message_jobs=message_jobs,
            days=days,
            before=before.isoformat(),
        )
    return Purge(count=jobs + message_jobs, is_complete=jobs + message_jobs < limit)


def _ended_jobs(before: datetime) -> QuerySet[Job]:
    concept = Submission.objects.filter(pk=OuterRef("submission_id"), status=Submission.Status.CONCEPT)
    return Job.objects.filter(status__in=ENDED, modified_at__lt=before).exclude(Exists(concept))


def _ended_message_jobs(before: datetime) -> QuerySet[MessageJob]:
    return MessageJob.objects.filter(status__in=MESSAGE_JOB_ENDED, modified_at__lt=before)


def _jobs_delete(before: datetime, chunk: list[Any]) -> int:
    """The conditions again, in the statement, the rows locked (a vendor withdrawing a melding at this moment finds
    the job before or not at all); the stored page and attachments of the deleted jobs go after the commit."""
    from loket.vendors.pipeline import delete_stored

    due = list(_ended_jobs(before).filter(pk__in=chunk).select_for_update().only("pk", "uuid", "page_storage_name"))
    deleted = _deleted(Job.objects.filter(pk__in=[job.pk for job in due]), Job)
    for job in due:
        transaction.on_commit(lambda job=job: delete_stored(job))  # type: ignore[misc]
    return deleted


def _deleted(rows: QuerySet, model: type[Model]) -> int:
    """Delete `rows`; how many of `model` went (not the steps and credentials deleted with them)."""
    return rows.delete()[1].get(model._meta.label, 0)
