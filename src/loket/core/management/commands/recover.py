"""Put work that a dead worker left half done back on the queue (every module). Run it from cron."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from loket.core.recovery import run_recoveries


class Command(BaseCommand):
    help = "Plan werk opnieuw in dat een gecrashte taakverwerker half af liet (alle modules)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="SECONDS",
            help="A running task older than this counts as abandoned (default: LOKET_TASK_LEASE, 300).",
        )

    def handle(self, *args: object, older_than: int | None, **options: object) -> None:
        lease = settings.LOKET_TASK_LEASE if older_than is None else older_than
        for name, summary in run_recoveries(older_than=timedelta(seconds=lease)):
            self.stdout.write(f"{name}: {summary}")
