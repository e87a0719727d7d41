"""`manage.py forms validate|show`: check data against a semantic form, or outline a form."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loket.forms.cli import dumps, outline, validate_files
from loket.forms.errors import FormLoadError
from loket.forms.loader import load_form


class Command(BaseCommand):
    help = "Valideer gegevens tegen een semantisch formulier, of toon de opbouw van een formulier."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        validate = commands.add_parser("validate", help="valideer gegevens (JSON-rapport)")
        validate.add_argument("--form", required=True, help="formulierdefinitie (Turtle)")
        validate.add_argument(
            "--data", action="append", default=[], help="brongegevens (Turtle), herhaalbaar; zonder: lege gegevens"
        )
        validate.add_argument("--meta", action="append", default=[], help="codelijsten (Turtle), herhaalbaar")
        validate.add_argument("--node", help="het te valideren onderwerp (URI)")
        validate.add_argument(
            "--form-data", action="store_true", help="ook de geselecteerde formuliergegevens (N-Triples-regels)"
        )
        show = commands.add_parser("show", help="toon velden en voorwaarden")
        show.add_argument("--form", required=True, help="formulierdefinitie (Turtle)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "show":
                self.stdout.write(outline(load_form(options["form"])))
                return
            outcome = validate_files(
                options["form"],
                options["data"],
                options["meta"],
                options.get("node"),
                with_form_data=options["form_data"],
            )
        except FormLoadError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(dumps(outcome.report))
        if not outcome.valid:
            sys.exit(1)
