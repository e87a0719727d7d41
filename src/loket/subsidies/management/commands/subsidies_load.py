"""Load subsidy definitions (criteria, offers, calls, flows, steps, forms) from Turtle. Idempotent."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loket.forms.errors import FormLoadError
from loket.subsidies.loader import LoadError, definitions_load

BUILT_IN = Path(__file__).resolve().parents[2] / "fixtures"


class Command(BaseCommand):
    help = "Laad subsidiedefinities uit Turtle (zonder bestand: de 7 echte criteria)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="Turtle-bestanden (standaard: criteria.ttl)")
        parser.add_argument("--demo", action="store_true", help="ook de voorbeeldmaatregel (demo.ttl)")

    def handle(self, *args: Any, **options: Any) -> None:
        files = [Path(f) for f in options["files"]] or [BUILT_IN / "criteria.ttl"]
        if options["demo"]:
            files.append(BUILT_IN / "demo.ttl")
        for path in files:
            try:
                report = definitions_load(path=path)
            except (OSError, LoadError, FormLoadError, ValueError) as error:
                raise CommandError(f"{path}: {error}") from error
            self.stdout.write(
                f"{path.name}: {report.criteria} criteria, {report.offers} aanbod, {report.calls} reeksen, "
                f"{report.steps} stappen."
            )
            for uri in report.kept_windows:
                self.stdout.write(f"  periode niet gewijzigd (reeks heeft dossiers; gebruik een verlenging): {uri}")
            for uri in report.unknown_bodies:
                self.stdout.write(f"  onbekend bestuur: {uri}")
