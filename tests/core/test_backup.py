"""`manage.py backup` and the restore drill (`manage.py restore --drill`, what `make restore-drill` runs) against
a throwaway PostgreSQL cluster (tests/support/pgcluster.py): real pg_dump/pg_restore, real files, real processes.
Runs in both CI passes (it starts its own server); about 40 s."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.pgcluster import Cluster, postgres_bin

pytestmark = pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL (initdb/pg_ctl) is not installed")

ROOT = Path(__file__).resolve().parents[2]

SEED = """
import hashlib
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from loket.core.ledger import ledger_append
for number in range(1, 6):
    with transaction.atomic():
        ledger_append(kind="drill-test", subject_uri=f"http://data.lblod.info/submissions/{number}",
            organisation_uri="http://data.lblod.info/id/bestuurseenheden/x", actor_label="Rita",
            content_hash=hashlib.sha256(str(number).encode()).hexdigest(), payload={"n": number}, stored_files=())
    default_storage.save(f"toezicht/{number}/notulen.pdf", ContentFile(b"%PDF-1.7 " + bytes([number]) * 5000))
"""


def manage(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("backup")
    with Cluster() as cluster:
        url = cluster.create_database("loket")
        env = {
            **os.environ,
            "LOKET_TESTING": "1",
            "DATABASE_URL": url,
            "LOKET_MEDIA_ROOT": str(base / "media"),
            "LOKET_BACKUP_DIR": str(base / "backups"),
            "LOKET_SIGNING_KEY_FILE": str(base / "ledger.pem"),
        }
        for step in (("migrate", "--noinput"), ("shell", "-c", SEED)):
            result = manage(*step, env=env)
            assert result.returncode == 0, result.stderr
        yield cluster, env, base


def test_backup_writes_a_dump_the_files_and_a_manifest_with_hashes_and_row_counts(seeded):  # type: ignore[no-untyped-def]
    _cluster, env, base = seeded
    result = manage("backup", env=env)
    assert result.returncode == 0, result.stderr
    backups = [path for path in (base / "backups").iterdir() if (path / "manifest.json").is_file()]
    manifest = json.loads((backups[-1] / "manifest.json").read_text())
    assert manifest["database"]["tables"]["public.core_ledgerentry"] == 5
    assert len(manifest["files"]) == 5
    assert all(len(file["sha256"]) == 64 for file in manifest["files"].values())
    assert (backups[-1] / "database.pgdump").read_bytes()[:5] == b"PGDMP"
    assert not [path for path in (base / "backups").iterdir() if path.name.endswith(".partial")]


def test_the_drill_restores_into_a_new_database_verifies_the_ledger_and_says_how_long(seeded):  # type: ignore[no-untyped-def]
    cluster, env, _base = seeded
    assert manage("backup", env=env).returncode == 0
    result = manage("restore", "--drill", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 5 entries verified" in result.stdout
    assert "5 bestanden gecontroleerd" in result.stdout
    assert "Hersteloefening geslaagd in" in result.stdout
    # The drill's copy is gone again; the source is untouched.
    assert cluster.psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'loket_drill_%'") == "0"


def test_a_restore_into_a_non_empty_database_is_refused_and_changes_nothing(seeded):  # type: ignore[no-untyped-def]
    cluster, env, base = seeded
    assert manage("backup", env=env).returncode == 0
    before = cluster.psql("SELECT count(*) FROM core_ledgerentry", database="loket")
    result = manage("restore", "--database-url", env["DATABASE_URL"], "--media-root", str(base / "empty"), env=env)
    assert result.returncode != 0
    assert "niet leeg" in result.stderr and "niets gewijzigd" in result.stderr
    assert cluster.psql("SELECT count(*) FROM core_ledgerentry", database="loket") == before
    assert not (base / "empty").exists()
    # A non-empty media directory likewise, before the database is touched.
    target = cluster.create_database("target")
    (base / "full").mkdir()
    (base / "full" / "keep.txt").write_text("mine")
    result = manage("restore", "--database-url", target, "--media-root", str(base / "full"), env=env)
    assert result.returncode != 0 and "niet leeg" in result.stderr
    assert cluster.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database="target") == "0"
    assert [path.name for path in (base / "full").iterdir()] == ["keep.txt"]


def test_a_file_changed_in_the_backup_fails_the_drill_by_name(seeded):  # type: ignore[no-untyped-def]
    cluster, env, base = seeded
    assert manage("backup", env=env).returncode == 0
    latest = sorted(path for path in (base / "backups").iterdir() if (path / "manifest.json").is_file())[-1]
    (latest / "media" / "toezicht" / "3" / "notulen.pdf").write_bytes(b"%PDF-1.7 changed")
    result = manage("restore", "--drill", env=env)
    assert result.returncode != 0
    assert "hash wijkt af: toezicht/3/notulen.pdf" in result.stderr
    assert cluster.psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'loket_drill_%'") == "0"


def test_without_a_backup_or_without_postgresql_the_message_says_what_to_do(tmp_path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "LOKET_TESTING": "1", "LOKET_BACKUP_DIR": str(tmp_path / "none")}
    env.pop("DATABASE_URL", None)
    result = manage("restore", "--drill", env=env)
    assert result.returncode != 0 and "Geen volledige back-up" in result.stderr
    result = manage("backup", env=env)
    assert result.returncode != 0 and "PostgreSQL" in result.stderr


def test_each_backup_deletes_those_past_their_retention_with_an_audit_event(seeded):  # type: ignore[no-untyped-def]
    _cluster, env, base = seeded
    folder = base / "backups"
    folder.mkdir(exist_ok=True)
    old = folder / "20200101T000000000000Z"  # a whole backup, six years old
    old.mkdir()
    (old / "manifest.json").write_text("{}")
    stray = folder / "notes"  # not a backup's name: never touched
    stray.mkdir()
    env = {**env, "LOKET_BACKUP_KEEP_AT_LEAST": "1"}
    result = manage("backup", env=env)
    assert result.returncode == 0, result.stderr
    assert not old.exists() and stray.is_dir()
    assert "20200101T000000000000Z" in result.stdout
    counted = manage(
        "shell", "-c",
        "from loket.core.models import AuditEvent; "
        "print(AuditEvent.objects.filter(action='backup.pruned').order_by('-pk').values_list('details', flat=True)[0])",
        env=env,
    )  # fmt: skip
    assert counted.returncode == 0, counted.stderr
    assert "'count': 1" in counted.stdout
