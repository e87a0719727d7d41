"""`manage.py backup [--dir DIR]`: the database (pg_dump --format=custom) and the file storage, with a SHA-256
manifest and the row count of every table (see loket.core.backup). Run it from cron; restore with `manage.py
restore`, and prove the backups work with `make restore-drill`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loket.core.backup import BackupError, backup_create, read_manifest


class Command(BaseCommand):
    help = "Maak een back-up van de databank (pg_dump) en de bestanden, met een SHA-256-manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="Where backups go (default: LOKET_BACKUP_DIR).")

    def handle(self, *args: Any, dir: Path | None, **options: Any) -> None:
        try:
            backup = backup_create(dir)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = read_manifest(backup)
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Back-up: {backup} ({len(tables)} tabellen, {sum(tables.values())} rijen, "
            f"{len(manifest['files'])} bestanden)"
        )
