"""`manage.py personnel_open_period 2026`: open a year for every eligible body (idempotent; run again to add bodies
that became eligible since)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loket.core.errors import DomainError
from loket.personnel.services import period_open


class Command(BaseCommand):
    help = "Open a personnel period (year) for every eligible body."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)

    def handle(self, *args: object, **options: object) -> None:
        try:
            created = period_open(year=options["year"])  # type: ignore[arg-type]
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Period {options['year']}: {created} new slices.")
