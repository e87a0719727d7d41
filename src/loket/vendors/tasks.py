"""Background work of the vendor API: one task runs a job's remaining steps (see pipeline.py)."""

from django_tasks import task


@task()
def process_job(*, job_id: int) -> str:
    from loket.vendors.pipeline import job_run

    return job_run(job_id=job_id)
