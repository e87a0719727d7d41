"""`manage.py backup [--dir DIR]`: the database (pg_dump --format=custom) and the file storage, with a SHA-256
manifest and the row count of every table (see loket.core.backup); then the backups past their retention are deleted
(LOKET_BACKUP_RETENTION_DAYS, never the newest LOKET_BACKUP_KEEP_AT_LEAST), with an audit event. Run it from cron;
restore with `manage.py restore`, and prove the backups work with `make restore-drill`."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from loket.core.audit import audit_record
from loket.core.backup import BackupError, backup_create, backup_prune, read_manifest


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
        pruned = backup_prune(backup.parent)  # only after a whole new backup: a failing run never deletes one
        audit_record(
            action="backup.pruned",
            count=len(pruned),
            days=settings.LOKET_BACKUP_RETENTION_DAYS,
            keep=settings.LOKET_BACKUP_KEEP_AT_LEAST,
        )
        if pruned:
            self.stdout.write(
                f"{len(pruned)} oudere back-up(s) verwijderd (bewaartermijn): " + ", ".join(p.name for p in pruned)
            )
