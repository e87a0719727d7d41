"""The task worker for `make run` and production: first put back what a previous worker left half done
(`recover`, every module), then run django-tasks-db's `db_worker` with the given options."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from loket.core.management.commands.recover import DEFAULT_STALLED_AFTER


class Command(BaseCommand):
    help = "Hervat half afgewerkte taken en start dan de taakverwerker (db_worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of an empty queue.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument(
            "--older-than",
            type=int,
            default=DEFAULT_STALLED_AFTER,
            metavar="SECONDS",
            help="Passed to recover (default: %(default)s). Use 0 only when this is the only worker.",
        )

    def handle(self, *args: object, interval: float, batch: bool, older_than: int, **options: object) -> None:
        call_command("recover", older_than=older_than, stdout=self.stdout, stderr=self.stderr)
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            startup_delay=not batch,
            verbosity=options.get("verbosity", 1),
            stdout=self.stdout,
            stderr=self.stderr,
        )
