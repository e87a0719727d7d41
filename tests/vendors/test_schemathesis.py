"""Schemathesis against the committed OpenAPI file (docs/openapi-vendor.json) and the production server
(gunicorn serving loket.wsgi with DEBUG off) on loopback, with a seeded vendor key: every operation, every check,
the stateful links; no 5xx and no answer outside the documented schema.

The server reads the test database (committed: `transactional_db`), so it sees the seeded vendor. Bounded by
--max-time (LOKET_SCHEMATHESIS_SECONDS; 120 s on PostgreSQL, 60 s on SQLite) and by --max-examples per operation.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from loket.vendors.services import vendor_create

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[2]
BINARIES = Path(sys.executable).parent
KEY = "5c4e3a7f9b1d2e60.schemathesis-vendor-secret"  # `<key id>.<secret>`, as key_generate() makes
VENDOR = "http://data.lblod.info/vendors/schemathesis"
# CI runs the suite twice (SQLite, then PostgreSQL): the longer run on PostgreSQL, the production database.
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
SECONDS = os.environ.get("LOKET_SCHEMATHESIS_SECONDS", "120" if ON_POSTGRES else "60")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        f"/{settings['NAME']}"
    )


def _signing_key(directory: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = directory / "ledger-ed25519.pem"
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return path


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn ended with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not listen")


@pytest.fixture
def production_server(municipality, tmp_path):  # type: ignore[no-untyped-def]
    vendor_create(uri=VENDOR, name="Schemathesis", organisations=[municipality], key=KEY)
    port = _free_port()
    media = tmp_path / "media"
    media.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": "schemathesis-" * 4,
        "DEBUG": "0",
        "LOKET_DEV": "0",
        "LOKET_TESTING": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOKET_MEDIA_ROOT": str(media),
        "LOKET_VAR_DIR": str(tmp_path),
        "LOKET_SIGNING_KEY_FILE": str(_signing_key(tmp_path)),
        "LOKET_VENDOR_THROTTLE": "1000000",
        "LOKET_VENDOR_STATUS_THROTTLE": "1000000",
        "LOKET_VENDOR_AUTH_FAILURES_PER_ADDRESS": "1000000",
        "LOKET_VENDOR_AUTH_FAILURES_PER_VENDOR": "1000000",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(REPO / "src"),
        "DJANGO_SETTINGS_MODULE": "loket.settings",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    # As a deployment does (deploy/README.md): the pages' static files and their manifest, so that a page the
    # server answers (the 404 of a fuzzed address) renders as it would in production.
    subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "collectstatic", "--noinput", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
        timeout=120,
    )
    log = (tmp_path / "gunicorn.log").open("wb")
    command = [str(BINARIES / "gunicorn"), "loket.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"]
    process = subprocess.Popen(
        [*command, "--log-level", "error"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, process)
        yield port, municipality, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_the_vendor_api_keeps_to_its_openapi_description(production_server):
    port, municipality, tmp_path = production_server
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "SCHEMATHESIS_HOOKS": "tests.vendors.schemathesis_hooks",
        "LOKET_FUZZ_ORGANISATION": municipality.uri,
        "LOKET_FUZZ_VENDOR": VENDOR,
        "LOKET_FUZZ_KEY": KEY,
        "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'src'}",
    }
    # fmt: off
    command = [
        str(BINARIES / "st"), "run", str(REPO / "docs" / "openapi-vendor.json"),
        "--url", f"http://127.0.0.1:{port}",
        "--checks", "all",
        "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", "60",
        "--max-time", SECONDS,
        "--seed", os.environ.get("LOKET_SCHEMATHESIS_SEED", "1811"),
        "--header", f"Authorization: Bearer {KEY}",
        "--request-timeout", "20",
        "--workers", "2",
        "--suppress-health-check", "all",
        "--output-sanitize", "false",
    ]
    # fmt: on
    result = subprocess.run(
        command,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=int(SECONDS) + 240,
    )
    server_log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    (REPO / "var").mkdir(exist_ok=True)
    (REPO / "var" / "schemathesis-last-run.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, result.stdout[-15000:] + result.stderr[-3000:] + server_log[-5000:]
    assert "Traceback" not in server_log, server_log[-5000:]
