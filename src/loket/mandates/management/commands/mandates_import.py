"""`manage.py mandates_import --organisation URI --period LABEL FILE`: import a legislature's holders from a CSV
file with LMB's columns (all or nothing; every bad row is reported with its line)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loket.mandates.codes import PERIODS
from loket.mandates.importer import holders_import
from loket.organisations.models import Organisation


class Command(BaseCommand):
    help = "Mandatarissen van een legislatuur importeren uit CSV (kolommen van LMB)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="URI van het bestuur")
        parser.add_argument("--period", required=True, help="bestuursperiode, bv. '2024 - heden' of 2024")
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(uri=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Onbekend bestuur: {options['organisation']}")
        period = next((p.key for p in PERIODS if options["period"] in (p.key, str(p.label))), None)
        if period is None:
            labels = ", ".join(str(p.label) for p in PERIODS)
            raise CommandError(f"Onbekende periode: {options['period']} (kies uit {labels})")
        text = Path(options["file"]).read_text(encoding="utf-8-sig")
        report = holders_import(organisation=organisation, period=period, text=text, actor=None)
        for line, reason in report.errors:
            self.stderr.write(f"regel {line}: {reason}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} foute regel(s); niets geïmporteerd.")
        self.stdout.write(
            f"{report.created} mandataris(sen) geïmporteerd; validatierapport: {report.findings} probleem/problemen"
        )
