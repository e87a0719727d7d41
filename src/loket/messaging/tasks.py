"""Background work of the Berichtencentrum: circulars, delivery of replies, notification mails."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from loket.core.fetch import backoff_delays
from loket.core.scanwait import register_file_owner


@task()
def run_circular(*, circular_id: int) -> str:
    from loket.messaging.services import circular_run

    circular = circular_run(circular_id=circular_id)
    return f"{circular.done}/{circular.total}"


@task()
def deliver_reply(*, message_id: int) -> None:
    from loket.messaging.services import reply_deliver

    reply_deliver(message_id=message_id)


@task()
def send_notification(*, notification_id: int) -> str:
    from loket.messaging.models import Notification
    from loket.messaging.notifications import notification_send

    outcome = notification_send(notification_id=notification_id)
    if outcome == "retry":
        attempts = Notification.objects.get(pk=notification_id).attempts
        delay = backoff_delays(attempts)[-1]
        send_notification.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            notification_id=notification_id
        )
    return outcome


@register_file_owner("berichtencentrum")
def remove_infected_attachment(storage_name: str) -> list[str]:
    """An attachment that waited for the virus scan was infected: off its messages (core.scanwait)."""
    from loket.messaging.services import attachment_remove_infected

    return attachment_remove_infected(storage_name)
