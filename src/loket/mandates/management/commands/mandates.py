"""`manage.py mandates organs`: the decretal organs, organs-in-time and mandates of every gemeente, OCMW,
district, provincie and politiezone (idempotent). `manage.py mandates report [--period 2024]`: the nightly
validation report of every unit (with its OCMW), for cron. `manage.py mandates ratify`: holders named with
`mandaat:bekrachtigtAanstellingVan` in sent decisions become Bekrachtigd (cron, e.g. every 5 minutes)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from loket.mandates.organs import decretal_organs_create


class Command(BaseCommand):
    help = "Mandatenbeheer: decretale organen en mandaten aanmaken (organs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["organs", "report", "ratify"])
        parser.add_argument("--period", default="2024")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "ratify":
            from loket.mandates.ratification import decisions_ratify_all

            self.stdout.write(f"bekrachtigd door besluiten: {decisions_ratify_all()}")
            return
        if options["action"] == "report":
            from loket.mandates.validation import reports_all

            self.stdout.write(f"validatierapporten: {reports_all(period=options['period'])}")
            return
        counts = decretal_organs_create()
        self.stdout.write(
            f"organen: {counts['organs']} nieuw, in de tijd: {counts['terms']} nieuw, "
            f"mandaten: {counts['mandates']} nieuw, OCMW-paren: {counts['pairs']} nieuw"
        )
