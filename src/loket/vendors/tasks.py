"""Background work of the vendor API: one task runs a job's remaining steps (see pipeline.py)."""

import datetime
from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from loket.core.recovery import register_recovery
from loket.supervision.tasks import link_copier_register


@task()
def process_job(*, job_id: int) -> str:
    from loket.vendors.pipeline import job_run

    return job_run(job_id=job_id)


def _submissions_of_jobs(job_ids: set[int]) -> set[int]:
    """The submissions `job_ids` made: a live job's task copies the links of its send itself (pipeline.py)."""
    from loket.vendors.models import Job

    if not job_ids:
        return set()
    return set(Job.objects.filter(pk__in=job_ids, submission__isnull=False).values_list("submission_id", flat=True))


link_copier_register(process_job.module_path, "job_id", _submissions_of_jobs)


@task()
def process_message_job(*, job_id: int) -> str:
    from loket.vendors.berichten import message_job_run

    return message_job_run(job_id=job_id)


@register_recovery("vendors")
def recover_vendor_jobs(older_than: timedelta) -> str:
    """Settle task rows a killed worker left RUNNING (their job's lease ran out), then run again the jobs left busy
    by a worker that died (no renewal for LOKET_VENDOR_JOB_STALE_SECONDS)."""
    from loket.vendors.pipeline import jobs_recover_stale

    settled = settle_orphaned_task_rows()
    return f"{settled} vastgelopen taak/taken afgesloten; {jobs_recover_stale()} job(s) opnieuw ingepland."


def settle_orphaned_task_rows() -> int:
    """Mark FAILED the RUNNING `process_job` rows whose job nobody holds anymore: started longer than a lease ago,
    and the job not busy under a lease renewed within it (a live worker renews at every step)."""
    from loket.vendors import conf
    from loket.vendors.models import Job

    cutoff = timezone.now() - datetime.timedelta(seconds=conf.stale_seconds())
    running = DBTaskResult.objects.running().filter(task_path=process_job.module_path, started_at__lt=cutoff)
    orphaned = []
    for row_id, arguments in running.values_list("pk", "args_kwargs"):
        job_id = (arguments or {}).get("kwargs", {}).get("job_id")
        alive = Job.objects.filter(pk=job_id, status=Job.Status.BUSY, heartbeat_at__gte=cutoff).exists()
        if not alive:
            orphaned.append(row_id)
    return DBTaskResult.objects.filter(pk__in=orphaned, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="loket.vendors.tasks.WorkerLost",
        traceback="The worker stopped while running this job (its lease ran out); the job is run again.",
    )


import loket.vendors.retention  # noqa: E402,F401 - registers its purge (core.retention)
