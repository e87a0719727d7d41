"""Work of the Berichtencentrum that a killed worker left behind, put back on the queue (see core.recovery)."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks.base import Task

from loket.core.recovery import register_recovery
from loket.core.taskqueue import fail_stalled_tasks, live_task_arguments
from loket.messaging import tasks
from loket.messaging.models import Circular, Message, Notification
from loket.messaging.notifications import MAX_ATTEMPTS


@register_recovery("berichtencentrum")
def recover_messaging(older_than: timedelta) -> str:
    paths = {tasks.run_circular.module_path, tasks.deliver_reply.module_path, tasks.send_notification.module_path}
    cutoff = timezone.now() - older_than
    stalled = fail_stalled_tasks(paths=paths, cutoff=cutoff, module="messaging")
    live = live_task_arguments(paths=paths, cutoff=cutoff)
    work: list[tuple[Task[..., Any], str, Iterable[int]]] = [
        (
            tasks.run_circular,
            "circular_id",
            Circular.objects.filter(status__in=Circular.UNFINISHED).values_list("pk", flat=True),
        ),
        (
            tasks.deliver_reply,
            "message_id",
            Message.objects.filter(from_agency=False, delivered_entry__isnull=True).values_list("pk", flat=True),
        ),
        (
            tasks.send_notification,
            "notification_id",
            Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True),
        ),
    ]
    counts = []
    for task, argument, ids in work:
        resumed = [pk for pk in ids if (task.module_path, argument, pk) not in live]
        for pk in resumed:
            task.enqueue(**{argument: pk})
        counts.append(len(resumed))
    return (
        f"{stalled} vastgelopen taak/taken afgesloten; opnieuw ingepland: {counts[0]} omzendbrief/-brieven, "
        f"{counts[1]} aflevering(en), {counts[2]} mail(s)."
    )
