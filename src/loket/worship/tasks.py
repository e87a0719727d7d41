"""Background work for worship: the nightly report on involved local governments."""

from django_tasks import task


@task()
def involvement_report() -> int:
    """Judge every unit's involvements; returns the report's id (run nightly by `manage.py worship report`)."""
    from loket.worship.services import involvement_report_create

    return involvement_report_create().pk
