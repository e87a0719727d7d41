"""BBC-DR work a killed worker left behind, put back on the queue (see core.recovery): checks never finished,
sent reports never packaged, packages never delivered, and deliveries "bezig" that showed no progress for the
lease (LOKET_TASK_LEASE: the worker was killed, or its connection hangs)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from loket.core.recovery import register_recovery
from loket.core.taskqueue import fail_stalled_tasks, live_task_arguments
from loket.reports import tasks
from loket.reports.models import Report


@register_recovery("bbcdr")
def recover_reports(older_than: timedelta) -> str:
    paths = {tasks.check_report.module_path, tasks.package_report.module_path, tasks.deliver_report.module_path}
    now = timezone.now()
    cutoff = now - older_than
    stalled = fail_stalled_tasks(paths=paths, cutoff=cutoff, module="reports")
    live = live_task_arguments(paths=paths, cutoff=cutoff)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    work = [
        (
            tasks.check_report,
            Report.objects.filter(status=Report.Status.CONCEPT, check_status=Report.Check.PENDING),
        ),
        (
            tasks.package_report,
            Report.objects.filter(status=Report.Status.SENT, package_sha256="")
            .filter(delivery_status__in=[Report.Delivery.QUEUED, Report.Delivery.FAILED])
            .filter(due),
        ),
        (
            tasks.deliver_report,
            Report.objects.filter(status=Report.Status.SENT)
            .exclude(package_sha256="")
            .filter(
                Q(delivery_status__in=[Report.Delivery.PACKAGED, Report.Delivery.FAILED])
                | Q(delivery_status=Report.Delivery.DELIVERING)
            )
            .filter(due),
        ),
    ]
    counts = []
    for task, reports in work:
        resumed = 0
        rows = reports.values_list("pk", "delivery_status", "delivery_alive_at", "delivery_started_at")
        for pk, status, alive, started in rows:
            alive = alive or started
            hung = status == Report.Delivery.DELIVERING and (alive is None or alive < cutoff)
            if (task.module_path, "report_id", pk) in live and not hung:
                continue
            if status == Report.Delivery.DELIVERING and not hung:
                continue  # a worker is at it and its upload progressed within the lease
            if hung:
                Report.objects.filter(pk=pk, delivery_status=Report.Delivery.DELIVERING).update(
                    delivery_started_at=None, delivery_alive_at=None
                )
            task.enqueue(report_id=pk)
            resumed += 1
        counts.append(resumed)
    return (
        f"{stalled} vastgelopen taak/taken afgesloten; opnieuw ingepland: {counts[0]} controle(s), "
        f"{counts[1]} verpakking(en), {counts[2]} aflevering(en)."
    )
