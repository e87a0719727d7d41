"""`manage.py person_numbers_rekey`: after a new key was put first in LOKET_PERSON_NUMBER_KEYS, move every national
register number to it; then the old key can be dropped from the list (docs/operations.md). Audited, counts only."""

from django.core.management.base import BaseCommand, CommandError

from loket.persons.services import person_numbers_rekey


class Command(BaseCommand):
    help = "Re-index and re-seal every national register number not under the current key (in batches). Audited."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        counts = person_numbers_rekey(batch_size=options["batch_size"])
        self.stdout.write(f"{counts.rekeyed} rijksregisternummer(s) naar de huidige sleutel gebracht.")
        if counts.unreadable:
            self.stderr.write(
                f"{counts.unreadable} rijksregisternummer(s) opent geen enkele ingestelde sleutel: laat hun oude "
                "sleutel in LOKET_PERSON_NUMBER_KEYS staan."
            )
            raise CommandError("Niet elk rijksregisternummer staat onder de huidige sleutel.")
