"""Write the vendor API's OpenAPI description (committed as docs/openapi-vendor.json; a test compares)."""

from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand

from loket.vendors.api import openapi_document


class Command(BaseCommand):
    help = "Schrijf de OpenAPI-beschrijving van de leveranciers-API naar docs/openapi-vendor.json."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", default=str(settings.REPO_DIR / "docs" / "openapi-vendor.json"))

    def handle(self, *args: object, **options: object) -> None:
        with open(str(options["output"]), "w", encoding="utf-8") as output:
            output.write(openapi_document())
        self.stdout.write(f"OpenAPI geschreven naar {options['output']}")
