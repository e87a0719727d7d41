"""Retention of backups (core.backup.backup_prune, run by `manage.py backup` after each new backup): whole backups
past LOKET_BACKUP_RETENTION_DAYS go, never the newest LOKET_BACKUP_KEEP_AT_LEAST; a killed run's `.partial`
directory goes after a day; anything not named as a backup stays."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from loket.core.backup import STAMP, backup_prune


def _backup(folder: Path, days_ago: float, *, whole: bool = True, partial: bool = False) -> Path:
    stamp = (datetime.now(UTC) - timedelta(days=days_ago)).strftime(STAMP)
    path = folder / (stamp + (".partial" if partial else ""))
    path.mkdir(parents=True)
    (path / "database.pgdump").write_bytes(b"PGDMP")
    if whole:
        (path / "manifest.json").write_text("{}")
    return path


def test_backups_past_their_days_go_but_never_the_newest(tmp_path):  # type: ignore[no-untyped-def]
    ages = [100, 90, 60, 40, 36, 20, 1]
    made = {age: _backup(tmp_path, age) for age in ages}
    gone = backup_prune(tmp_path, days=35, keep_at_least=2)
    assert sorted(gone) == sorted(made[age] for age in (100, 90, 60, 40, 36))
    assert sorted(path for path in tmp_path.iterdir()) == [made[20], made[1]]


def test_the_newest_are_kept_however_old(tmp_path):  # type: ignore[no-untyped-def]
    made = [_backup(tmp_path, age) for age in (400, 300, 200)]
    assert backup_prune(tmp_path, days=35, keep_at_least=2) == [made[0]]
    assert backup_prune(tmp_path, days=35, keep_at_least=0) == [made[1]]  # at least the newest one, always
    assert [path for path in tmp_path.iterdir()] == [made[2]]


def test_zero_days_keeps_every_backup(tmp_path):  # type: ignore[no-untyped-def]
    made = [_backup(tmp_path, age) for age in (400, 300)]
    assert backup_prune(tmp_path, days=0, keep_at_least=1) == []
    assert sorted(tmp_path.iterdir()) == made


def test_a_killed_runs_partial_directory_goes_after_a_day_and_a_running_one_stays(tmp_path):  # type: ignore[no-untyped-def]
    killed = _backup(tmp_path, 2, whole=False, partial=True)
    running = _backup(tmp_path, 0.01, whole=False, partial=True)
    kept = _backup(tmp_path, 1)
    assert backup_prune(tmp_path, days=35, keep_at_least=1) == [killed]
    assert sorted(tmp_path.iterdir()) == sorted([running, kept])


def test_what_is_not_a_backup_is_never_touched(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "README").write_text("ours")
    (tmp_path / "archive-2019").mkdir()
    (tmp_path / "20190101T000000000000Z.txt").write_text("a file, not a backup")
    old = _backup(tmp_path, 500)
    _backup(tmp_path, 1)
    assert backup_prune(tmp_path, days=35, keep_at_least=1) == [old]
    assert (tmp_path / "README").is_file() and (tmp_path / "archive-2019").is_dir()
    assert (tmp_path / "20190101T000000000000Z.txt").is_file()
    assert backup_prune(tmp_path / "absent", days=35, keep_at_least=1) == []
