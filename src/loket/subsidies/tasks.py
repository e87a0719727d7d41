"""Background work of Subsidiebeheer: the reminders, for a scheduler that enqueues tasks instead of running the
command (`manage.py subsidies_reminders` does the same from cron). Mails go through the core e-mail task."""

from django_tasks import task

from loket.subsidies.reminders import reminders_send


@task()
def send_reminders() -> int:
    return reminders_send()
