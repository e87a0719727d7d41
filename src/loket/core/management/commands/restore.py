"""`manage.py restore [BACKUP] --database-url URL --media-root DIR`: put a backup back into an empty database and
an empty media directory, then check every file's hash and every table's row count against the manifest.

`manage.py restore --drill` (what `make restore-drill` runs): restore the latest backup into a new database on the
same server and a new temporary directory, run `manage.py ledger verify --content` against the restored copy, check
hashes and row counts, print how long it took, and remove the copy again (`--keep` leaves it)."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from loket.core.backup import BackupError, _connect, backup_restore, database_url, latest_backup


class Command(BaseCommand):
    help = "Herstel een back-up in een lege databank en een lege bestandsmap, en controleer ze tegen het manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", nargs="?", type=Path, help="A backup directory (default: the latest one).")
        parser.add_argument("--dir", type=Path, default=None, help="Where backups are (default: LOKET_BACKUP_DIR).")
        parser.add_argument("--database-url", help="The empty database to restore into (postgres://…).")
        parser.add_argument("--media-root", type=Path, help="The empty directory to restore the files into.")
        parser.add_argument(
            "--drill",
            action="store_true",
            help="Restore into a new database and temporary directory, verify the ledger, time it, then remove them.",
        )
        parser.add_argument("--keep", action="store_true", help="With --drill: keep the restored database and files.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup = options["backup"] or latest_backup(options["dir"])
            if options["drill"]:
                self._drill(backup, keep=options["keep"])
                return
            if not options["database_url"] or not options["media_root"]:
                raise CommandError("Geef --database-url en --media-root (of --drill).")
            report = backup_restore(backup, url=options["database_url"], media_root=options["media_root"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self._report(backup, report)

    def _report(self, backup: Path, report: Any) -> None:
        for problem in report.problems:
            self.stderr.write(f"AFWIJKING: {problem}")
        self.stdout.write(
            f"Hersteld: {backup} — {report.tables} tabellen ({report.rows} rijen) en {report.files} bestanden "
            "gecontroleerd tegen het manifest"
        )
        if report.problems:
            raise CommandError(f"{len(report.problems)} afwijking(en) tegenover het manifest.")

    def _drill(self, backup: Path, *, keep: bool) -> None:
        started = time.monotonic()
        name = f"{settings.DATABASES['default']['NAME']}_drill_{timezone.now():%Y%m%d%H%M%S}"
        url = database_url(name=name)
        media_root = Path(tempfile.mkdtemp(prefix="loket-restore-drill-")) / "media"
        admin = _connect(database_url(name="postgres"))
        try:
            admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            admin.close()
        self.stdout.write(f"Oefening: {backup} herstellen in databank {name} en {media_root}")
        try:
            report = backup_restore(backup, url=url, media_root=media_root)
            self._report(backup, report)
            environment = {**os.environ, "DATABASE_URL": url, "LOKET_MEDIA_ROOT": str(media_root)}
            environment.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
            verify = subprocess.run(
                [sys.executable, "-m", "django", "ledger", "verify", "--content"],
                env={
                    **environment,
                    "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "loket.settings"),
                },
                capture_output=True,
                text=True,
            )
            self.stdout.write(verify.stdout.strip())
            if verify.returncode != 0:
                self.stderr.write(verify.stderr.strip())
                raise CommandError("ledger verify faalt op de herstelde kopie.")
        finally:
            if not keep:
                admin = _connect(database_url(name="postgres"))
                try:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                finally:
                    admin.close()
                shutil.rmtree(media_root.parent, ignore_errors=True)
        self.stdout.write(f"Hersteloefening geslaagd in {time.monotonic() - started:.1f} s")
