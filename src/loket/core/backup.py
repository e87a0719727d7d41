"""Backups and their restore: the database as `pg_dump --format=custom` and the file storage (media), with a
manifest of SHA-256 hashes (the dump, every file) and the row count of every table.

A backup is a directory `<LOKET_BACKUP_DIR>/<UTC time>/`: `database.pgdump`, `media/…`, `manifest.json`. It is
written under `<time>.partial` and renamed when complete, so a directory with a manifest is a whole backup. The row
counts are taken in the very snapshot pg_dump dumps (`pg_export_snapshot()`), so they match the dump exactly while
the portal keeps running. The ledger's signing key is configuration, not data: keep it with the other secrets.

A restore goes into an empty database and an empty media directory only (a non-empty target is refused before
anything is written), then checks every file's hash and every table's row count against the manifest."""

from __future__ import annotations

import glob
import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage

MANIFEST = "manifest.json"
DUMP = "database.pgdump"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Dutch, for the operator."""


@dataclass
class RestoreReport:
    files: int = 0
    tables: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)


def pg_program(name: str) -> str:
    if settings.LOKET_PG_BIN:
        return str(Path(settings.LOKET_PG_BIN) / name)
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parent.parent.name))
    if found:  # Debian: the newest client, which dumps every older server
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(f"{name} niet gevonden: installeer de PostgreSQL-client of zet LOKET_PG_BIN.")


def database_url(database: Mapping[str, Any] | None = None, *, name: str | None = None) -> str:
    """A libpq URL for Django's database settings (the default database unless given), optionally another name."""
    database = database or settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Back-ups en herstel vragen PostgreSQL (DATABASE_URL=postgres://…); SQLite wordt niet ondersteund."
        )
    user = quote(database.get("USER") or "", safe="")
    password = quote(database.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgresql://{credentials}{host}{port}/{quote(name or database['NAME'], safe='')}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def user_tables(connection: Any) -> list[str]:
    """Every ordinary table outside PostgreSQL's own schemas, as schema-qualified, quoted names."""
    rows = connection.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    ).fetchall()
    return [row[0] for row in rows]


def row_counts(connection: Any) -> dict[str, int]:
    return {
        table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (names from pg_tables)
        for table in user_tables(connection)
    }


def _storage_files(directory: str = "") -> Iterator[str]:
    """Every file name in the default storage (a local directory or S3), depth first."""
    try:
        subdirectories, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(subdirectories):
        yield from _storage_files(f"{directory}/{name}" if directory else name)


def backup_create(target_dir: Path | None = None) -> Path:
    """Write one whole backup and return its directory."""
    target_dir = Path(target_dir or settings.LOKET_BACKUP_DIR)
    url = database_url()
    stamp = datetime.now(UTC).strftime(STAMP)
    partial = target_dir / f"{stamp}.partial"
    partial.mkdir(parents=True)
    try:
        manifest = _write_backup(partial, url)
        manifest["created_at"] = stamp
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        final = target_dir / stamp
        partial.rename(final)
        return final
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _write_backup(directory: Path, url: str) -> dict[str, Any]:
    connection = _connect(url)
    try:
        connection.autocommit = False
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = row_counts(connection)
        dump = directory / DUMP
        result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
            [pg_program("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", f"--dbname={url}"],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump mislukte: {result.stderr.strip()}")
    finally:
        connection.close()
    files: dict[str, dict[str, Any]] = {}
    media = directory / "media"
    for name in _storage_files():
        destination = media / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(destination, "wb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
        files[name] = {"sha256": sha256_file(destination), "size": destination.stat().st_size}
    return {
        "format": FORMAT,
        "database": {"file": DUMP, "sha256": sha256_file(directory / DUMP), "tables": counts},
        "files": files,
    }


STAMP = "%Y%m%dT%H%M%S%fZ"  # a backup's directory name: when it was started, UTC
PARTIAL_GRACE = timedelta(days=1)  # a `.partial` directory this old belongs to a run that was killed


def _started(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.name.removesuffix(".partial"), STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None  # not one of ours: never touched


def backup_prune(
    backup_dir: Path | None = None, *, days: int | None = None, keep_at_least: int | None = None
) -> list[Path]:
    """Delete the whole backups started more than `days` ago (LOKET_BACKUP_RETENTION_DAYS; 0 keeps every one), never
    the newest `keep_at_least` (LOKET_BACKUP_KEEP_AT_LEAST), and the `.partial` directories of runs killed more than a
    day ago. A directory whose name is not a backup's stamp is never touched. Returns what was deleted."""
    backup_dir = Path(backup_dir or settings.LOKET_BACKUP_DIR)
    days = settings.LOKET_BACKUP_RETENTION_DAYS if days is None else days
    keep_at_least = settings.LOKET_BACKUP_KEEP_AT_LEAST if keep_at_least is None else keep_at_least
    if not backup_dir.is_dir():
        return []
    now = datetime.now(UTC)
    dated = sorted((started, path) for path in backup_dir.iterdir() if (started := _started(path)) and path.is_dir())
    complete = [(started, path) for started, path in dated if (path / MANIFEST).is_file()]
    doomed = [
        path
        for started, path in dated
        if path.name.endswith(".partial") and now - started > PARTIAL_GRACE and not (path / MANIFEST).is_file()
    ]
    if days > 0:
        older = complete[: max(len(complete) - max(keep_at_least, 1), 0)]
        doomed += [path for started, path in older if now - started > timedelta(days=days)]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def latest_backup(backup_dir: Path | None = None) -> Path:
    backup_dir = Path(backup_dir or settings.LOKET_BACKUP_DIR)
    complete = (
        sorted(path for path in backup_dir.glob("*") if (path / MANIFEST).is_file()) if backup_dir.is_dir() else []
    )
    if not complete:
        raise BackupError(f"Geen volledige back-up gevonden in {backup_dir} (maak er een met 'manage.py backup').")
    return complete[-1]


def read_manifest(backup: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(
            f"{backup} is geen volledige back-up: {MANIFEST} ontbreekt of is onleesbaar ({error})."
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{backup}: onbekend formaat van de back-up ({manifest.get('format')!r}).")
    return manifest


def backup_restore(backup: Path, *, url: str, media_root: Path) -> RestoreReport:
    """Restore `backup` into the empty database at `url` and the empty directory `media_root`, then check it."""
    manifest = read_manifest(backup)
    dump = backup / manifest["database"]["file"]
    # Every check on the input and the targets comes before the first write.
    if not dump.is_file() or sha256_file(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump}: de databankdump ontbreekt of wijkt af van het manifest; niets hersteld.")
    connection = _connect(url)
    try:
        existing = user_tables(connection)
    finally:
        connection.close()
    if existing:
        raise BackupError(
            f"De doeldatabank is niet leeg ({len(existing)} tabellen, bv. {existing[0]}): herstel gebeurt enkel in "
            "een lege databank. Maak een nieuwe aan (createdb); niets gewijzigd."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"De bestandsmap {media_root} is niet leeg: herstel enkel in een lege map; niets gewijzigd.")
    result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [pg_program("pg_restore"), "--exit-on-error", "--no-owner", "--no-privileges", f"--dbname={url}", str(dump)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore mislukte: {result.stderr.strip()}")
    report = RestoreReport()
    media_root.mkdir(parents=True, exist_ok=True)
    for name, expected in sorted(manifest["files"].items()):
        source, destination = backup / "media" / name, media_root / name
        if not source.is_file():
            report.problems.append(f"bestand ontbreekt in de back-up: {name}")
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        if sha256_file(destination) != expected["sha256"]:
            report.problems.append(f"hash wijkt af: {name}")
        report.files += 1
    connection = _connect(url)
    try:
        counts = row_counts(connection)
    finally:
        connection.close()
    for table, expected_count in sorted(manifest["database"]["tables"].items()):
        if counts.get(table) != expected_count:
            report.problems.append(f"tabel {table}: {counts.get(table)} rijen, manifest zegt {expected_count}")
        report.tables += 1
        report.rows += expected_count
    return report
