"""Re-schedule vendor jobs left busy by a worker that died (run from cron, e.g. every five minutes)."""

from django.core.management.base import BaseCommand

from loket.vendors.pipeline import jobs_recover_stale


class Command(BaseCommand):
    help = "Plan vendor jobs opnieuw in die een gecrashte worker half af liet."

    def handle(self, *args: object, **options: object) -> None:
        count = jobs_recover_stale()
        self.stdout.write(f"{count} job(s) opnieuw ingepland.")
