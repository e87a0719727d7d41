"""`manage.py mandates organs`: the decretal organs, organs-in-time and mandates of every gemeente, OCMW,
district, provincie and politiezone (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from loket.mandates.organs import decretal_organs_create


class Command(BaseCommand):
    help = "Mandatenbeheer: decretale organen en mandaten aanmaken (organs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["organs"])

    def handle(self, *args: Any, **options: Any) -> None:
        counts = decretal_organs_create()
        self.stdout.write(
            f"organen: {counts['organs']} nieuw, in de tijd: {counts['terms']} nieuw, "
            f"mandaten: {counts['mandates']} nieuw"
        )
