"""Background work of the vendor API: one task runs a job's remaining steps (see pipeline.py)."""

from datetime import timedelta

from django_tasks import task

from loket.core.recovery import register_recovery


@task()
def process_job(*, job_id: int) -> str:
    from loket.vendors.pipeline import job_run

    return job_run(job_id=job_id)


@register_recovery("vendors")
def recover_vendor_jobs(older_than: timedelta) -> str:
    """Jobs left busy by a worker that died (heartbeat older than LOKET_VENDOR_JOB_STALE_SECONDS) run again."""
    from loket.vendors.pipeline import jobs_recover_stale

    return f"{jobs_recover_stale()} job(s) opnieuw ingepland."
