"""Send the reminder mails that are due (14 and 3 days before a deadline). Idempotent; run it from cron."""

from typing import Any

from django.core.management.base import BaseCommand

from loket.subsidies.reminders import reminders_send


class Command(BaseCommand):
    help = "Herinneringen 14 en 3 dagen voor een deadline (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send()
        self.stdout.write(f"{count} herinnering(en) verstuurd.")
