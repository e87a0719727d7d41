"""`manage.py reports sample --kbo 0207437468 [--year 2025] [--type jaarrekening] [--out FOLDER]`: write a matching
XML + XBRL pair in the Loket's test formats, to try BBC-DR by hand (`make run` validates it against the bundled
test taxonomy)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from loket.reports.formats import REPORT_TYPES, normalise_kbo
from loket.reports.samples import sample_xbrl, sample_xml


class Command(BaseCommand):
    help = "BBC-DR: write a sample report pair (XML + XBRL) in the Loket's test formats."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sample = sub.add_parser("sample", help="write a sample pair")
        sample.add_argument("--kbo", required=True)
        sample.add_argument("--year", type=int, default=2025)
        sample.add_argument("--type", default="jaarrekening", choices=sorted(REPORT_TYPES))
        sample.add_argument("--out", default=".")

    def handle(self, *args: Any, **options: Any) -> None:
        kbo = normalise_kbo(options["kbo"])
        if len(kbo) != 10:
            raise CommandError(f"'{options['kbo']}' is geen KBO-nummer (10 cijfers).")
        folder = Path(options["out"])
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{options['type']}-{options['year']}-{kbo}"
        xml_path, xbrl_path = folder / f"{stem}.xml", folder / f"{stem}.xbrl"
        xml_path.write_bytes(sample_xml(kbo=kbo, year=options["year"], report_type=options["type"]))
        xbrl_path.write_bytes(sample_xbrl(kbo=kbo, year=options["year"], report_type=options["type"]))
        self.stdout.write(f"{xml_path}\n{xbrl_path}")
