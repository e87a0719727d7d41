"""Background work of BBC-DR: checking the files, packaging and delivering a sent report. Each task is idempotent
(the services check what is already done), so recovery may run one again safely."""

from django_tasks import task

from loket.core.scanwait import register_file_owner


class WorkerLost(Exception):
    """The worker stopped while running this task (recorded by recovery)."""


@task()
def check_report(*, report_id: int) -> str:
    from loket.reports.services import report_check

    report = report_check(report_id=report_id)
    return report.check_status if report is not None else "gone"


@task()
def package_report(*, report_id: int) -> str:
    from loket.reports.services import report_package

    return report_package(report_id=report_id).delivery_status


@task()
def deliver_report(*, report_id: int) -> str:
    from loket.reports.services import report_deliver

    return report_deliver(report_id=report_id).delivery_status


@register_file_owner("bbcdr")
def remove_infected_file(storage_name: str) -> list[str]:
    """A report file that waited for the virus scan was infected: out of its concept (core.scanwait)."""
    from loket.reports.services import report_file_remove_infected

    return report_file_remove_infected(storage_name)
