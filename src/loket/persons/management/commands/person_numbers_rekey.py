"""`manage.py person_numbers_rekey`: after a new key was put first in LOKET_PERSON_NUMBER_KEYS, move every national
register number, and every back-office authenticator app's sealed key (`accounts/second_factor_keys.py`), to it;
then the old key can be dropped from the list (docs/operations.md). Audited, counts only."""

from django.core.management.base import BaseCommand, CommandError

from loket.accounts.second_factor_keys import app_keys_rekey
from loket.persons.services import person_numbers_rekey


class Command(BaseCommand):
    help = (
        "Re-index and re-seal every national register number (in batches) and re-seal every second-factor app key "
        "not under the current key of LOKET_PERSON_NUMBER_KEYS. Audited."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        counts = person_numbers_rekey(batch_size=options["batch_size"])
        self.stdout.write(f"{counts.rekeyed} rijksregisternummer(s) naar de huidige sleutel gebracht.")
        apps = app_keys_rekey(actor_label="manage.py person_numbers_rekey")
        self.stdout.write(f"{apps.rekeyed} sleutel(s) van de tweede aanmeldstap naar de huidige sleutel gebracht.")
        if counts.unreadable:
            self.stderr.write(
                f"{counts.unreadable} rijksregisternummer(s) opent geen enkele ingestelde sleutel: laat hun oude "
                "sleutel in LOKET_PERSON_NUMBER_KEYS staan."
            )
        if apps.unreadable:
            self.stderr.write(
                f"{apps.unreadable} sleutel(s) van de tweede aanmeldstap opent geen enkele ingestelde sleutel: laat "
                "hun oude sleutel in LOKET_PERSON_NUMBER_KEYS staan, of laat die personen hun app opnieuw instellen "
                "(manage.py second_factor_reset)."
            )
        if counts.unreadable or apps.unreadable:
            raise CommandError("Niet alles staat onder de huidige sleutel.")
