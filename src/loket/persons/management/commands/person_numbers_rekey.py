"""`manage.py person_numbers_rekey`: after a new key was put first in LOKET_PERSON_NUMBER_KEYS, move every national
register number, and every back-office authenticator app's sealed key (`accounts/second_factor_keys.py`), to it;
then the old key can be dropped from the list (docs/operations.md). Audited, counts only.

The back office's passwords are peppered with the same keys (`accounts/passwords.py`) but cannot be moved here: only
the person's next sign-in hashes a password again. The command names those still under an old key (and those whose
key is gone already); it ends with an error as long as there are any, so a zero exit still means the old key may go."""

from django.core.management.base import BaseCommand, CommandError

from loket.accounts.second_factor_keys import app_keys_rekey
from loket.accounts.selectors import password_keys_report
from loket.persons.services import person_numbers_rekey


class Command(BaseCommand):
    help = (
        "Re-index and re-seal every national register number (in batches) and re-seal every second-factor app key "
        "not under the current key of LOKET_PERSON_NUMBER_KEYS; name the back-office passwords still peppered with "
        "an old key (they move at the person's next sign-in). Audited."
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
        passwords = password_keys_report()
        if passwords.unpeppered:
            self.stdout.write(
                f"{len(passwords.unpeppered)} wachtwoord(en) van de backoffice nog zonder pepper, die krijgen het bij "
                f"de volgende aanmelding: {', '.join(passwords.unpeppered)}."
            )
        if passwords.old_key:
            self.stderr.write(
                f"{len(passwords.old_key)} wachtwoord(en) van de backoffice nog onder een oude sleutel: "
                f"{', '.join(passwords.old_key)}. Laat die sleutel in LOKET_PERSON_NUMBER_KEYS staan tot zij zich "
                "opnieuw aangemeld hebben, of geef hen een nieuw wachtwoord."
            )
        if passwords.unknown_key:
            self.stderr.write(
                f"{len(passwords.unknown_key)} wachtwoord(en) van de backoffice onder een sleutel die niet meer in "
                f"LOKET_PERSON_NUMBER_KEYS staat: {', '.join(passwords.unknown_key)}. Zij kunnen zich niet aanmelden: "
                "zet die sleutel terug, of geef hen een nieuw wachtwoord."
            )
        if counts.unreadable or apps.unreadable or passwords.old_key or passwords.unknown_key:
            raise CommandError("Niet alles staat onder de huidige sleutel.")
