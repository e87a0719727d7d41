"""Put work that a dead worker left half done back on the queue (every module). Run it from cron."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from loket.core.recovery import run_recoveries

DEFAULT_STALLED_AFTER = 900


class Command(BaseCommand):
    help = "Plan werk opnieuw in dat een gecrashte taakverwerker half af liet (alle modules)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=DEFAULT_STALLED_AFTER,
            metavar="SECONDS",
            help="A running task older than this counts as abandoned (default: %(default)s).",
        )

    def handle(self, *args: object, older_than: int, **options: object) -> None:
        for name, summary in run_recoveries(older_than=timedelta(seconds=older_than)):
            self.stdout.write(f"{name}: {summary}")
