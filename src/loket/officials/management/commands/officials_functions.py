"""`manage.py officials_functions`: make the leading functions of every body by its classification (idempotent)."""

from django.core.management.base import BaseCommand

from loket.officials.services import functions_create


class Command(BaseCommand):
    help = "Maak de leidinggevende functies van elk bestuur volgens zijn classificatie (veilig om te herhalen)."

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        self.stdout.write(f"Nieuwe functies: {functions_create()}")
