"""The systemd units of deploy/systemd: systemd accepts them, the sandbox drop-in makes each one safe by systemd's
own rating, and they say what the README and docs/operations.md say (two pools, the pages below the worker's CPU
priority, web and worker under different accounts). Needs `systemd-analyze` (Debian's systemd); skipped without it.
These read the files; nothing here starts a service."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
NAMES = ("loket-web", "loket-api", "loket-worker")
ANALYZE = shutil.which("systemd-analyze") or "systemd-analyze"

needs_systemd = pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")


def service(path: Path) -> dict[str, list[str]]:
    """The [Service] settings of a unit or drop-in file, each key with every value it is given (systemd allows
    repeats, as the drop-in's two SystemCallFilter lines)."""
    found: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def install(tmp_path: Path, *, sandbox: bool) -> Path:
    """The units as an administrator installs them (deploy/README.md), with /opt/loket pointing at this checkout's
    virtual environment so that `verify` finds the commands."""
    venv = Path(sys.executable).parent.parent
    opt = tmp_path / "opt-loket"
    (opt / ".venv").mkdir(parents=True)
    (opt / ".venv" / "bin").symlink_to(venv / "bin")
    target = tmp_path / "units"
    target.mkdir()
    for name in NAMES:
        text = (UNITS / f"{name}.service").read_text(encoding="utf-8").replace("/opt/loket", str(opt))
        (target / f"{name}.service").write_text(text, encoding="utf-8")
        if sandbox:
            (target / f"{name}.service.d").mkdir()
            shutil.copy(UNITS / "loket-sandbox.conf", target / f"{name}.service.d" / "sandbox.conf")
    return target


def exposure(directory: Path, name: str) -> float:
    result = subprocess.run(
        [ANALYZE, "security", "--offline=true", "--no-pager", f"{name}.service"],
        cwd=directory, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", result.stdout)
    assert match, result.stdout + result.stderr
    return float(match.group(1))


@needs_systemd
def test_systemd_accepts_every_unit(tmp_path: Path) -> None:
    directory = install(tmp_path, sandbox=True)
    for name in NAMES:
        result = subprocess.run(
            [ANALYZE, "verify", "--no-pager", f"{name}.service"], cwd=directory, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert result.returncode == 0 and not result.stderr.strip(), (name, result.stderr)


@needs_systemd
def test_the_sandbox_makes_each_unit_safe_by_systemds_rating(tmp_path: Path) -> None:
    bare = install(tmp_path / "bare", sandbox=False)
    sandboxed = install(tmp_path / "sandboxed", sandbox=True)
    for name in NAMES:
        assert exposure(sandboxed, name) <= 2.0, name  # "OK" starts below 4.0; the drop-in gives 1.6
        assert exposure(bare, name) >= 9.0, name  # without it systemd rates the unit "UNSAFE"


def test_the_sandbox_drop_in_holds_the_settings_deploy_readme_names() -> None:
    settings = service(UNITS / "loket-sandbox.conf")
    assert settings["NoNewPrivileges"] == ["yes"]
    assert settings["ProtectSystem"] == ["strict"]
    assert settings["ReadWritePaths"] == ["/var/lib/loket"]
    assert settings["CapabilityBoundingSet"] == [""]
    assert settings["SystemCallFilter"] == ["@system-service", "~@privileged"]


def test_the_units_say_what_the_operations_docs_say() -> None:
    web, api, worker = (service(UNITS / f"{name}.service") for name in NAMES)
    # Two pools of the same application on the ports the proxy example in docs/operations.md names.
    for unit, port in ((web, 8000), (api, 8001)):
        (command,) = unit["ExecStart"]
        assert command.split()[:2] == ["/opt/loket/.venv/bin/gunicorn", "loket.wsgi:application"]
        assert f"127.0.0.1:{port}" in command
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "proxy_pass http://127.0.0.1:8001" in operations and "proxy_pass http://127.0.0.1:8000" in operations
    # The pages yield the CPU to the worker and the vendor API (README, "CPU priority"); those two keep the default.
    assert web["Nice"] == ["5"]
    assert "Nice" not in api and "Nice" not in worker
    assert worker["ExecStart"] == ["/opt/loket/.venv/bin/python manage.py worker"]
    # Web and worker under different accounts sharing one group (ASVS 1.2.1); the secrets come from a file.
    assert web["User"] != worker["User"]
    assert web["Group"] == worker["Group"] == api["Group"] == ["loket"]
    for unit in (web, api, worker):
        assert unit["EnvironmentFile"] == ["/etc/loket/loket.env"]
        assert "Environment" not in unit
