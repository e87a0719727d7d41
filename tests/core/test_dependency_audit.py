"""scripts/audit_dependencies.py: the real pip-audit, asked through its OSV client.

PyPI's per-release vulnerability data is not served by this project's build machines' package index (see
docs/security/dependencies.md), so these tests give pip-audit an OSV API on loopback that knows one advisory with a
fix (django 4.2.0, fixed in 4.2.1) and one without (six); every other package is clean. The verdicts, exceptions,
the lock check and an unreachable service are then exercised end to end, each in a new process as `make` runs it.
"""

import datetime
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "audit_dependencies.py"

ADVISORIES = {
    ("django", "4.2.0"): {
        "id": "GHSA-test-fixd-0001",
        "aliases": ["CVE-2099-0001"],
        "summary": "A test advisory with a fix",
        "affected": [
            {
                "package": {"name": "django", "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "4.2"}, {"fixed": "4.2.1"}]}],
            }
        ],
    },
    ("six", "1.17.0"): {
        "id": "GHSA-test-nofx-0002",
        "summary": "A test advisory without a fix",
        "affected": [{"package": {"name": "six", "ecosystem": "PyPI"}, "ranges": []}],
    },
}


class _OSV(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        found = ADVISORIES.get((query["package"]["name"], query["version"]))
        body = json.dumps({"vulns": [found]} if found else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def osv_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OSV)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    server.shutdown()


def _audit(tmp_path: Path, lock: str, *args: str, exceptions: str = "") -> subprocess.CompletedProcess[str]:
    (tmp_path / "requirements.lock").write_text(lock)
    (tmp_path / "exceptions.toml").write_text(exceptions)
    return subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--lock",
            str(tmp_path / "requirements.lock"),
            "--exceptions",
            str(tmp_path / "exceptions.toml"),
            "--pyproject",
            str(tmp_path / "absent-pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "cache"),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _in(days: int) -> str:
    """A date `days` from today as the script counts days: in UTC. (date.today() is Brussels time once Django has
    set the time zone, a day ahead of the script between 23:00 and 24:00 UTC: "yesterday" was then today.)"""
    return (datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=days)).isoformat()


def test_a_vulnerability_with_a_fix_fails(tmp_path, osv_url):  # type: ignore[no-untyped-def]
    result = _audit(tmp_path, "django==4.2.0\nsix==1.17.0\nidna==3.10\n", "--osv-url", osv_url)
    assert result.returncode == 1, result.stdout + result.stderr
    # pip-audit names the advisory by one of its ids and lists the others
    assert "FAIL django 4.2.0: CVE-2099-0001 (GHSA-test-fixd-0001): fixed in 4.2.1" in result.stderr
    assert "no fix yet: six 1.17.0: GHSA-test-nofx-0002" in result.stdout  # printed, not failed on
    assert "3 locked packages, 1 failing" in result.stdout


def test_without_a_fix_it_passes_and_says_so(tmp_path, osv_url):  # type: ignore[no-untyped-def]
    result = _audit(tmp_path, "six==1.17.0\nidna==3.10\n", "--osv-url", osv_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no fix yet: six 1.17.0: GHSA-test-nofx-0002" in result.stdout


def test_an_exception_with_reason_and_future_expiry_accepts_it_by_any_alias(tmp_path, osv_url):  # type: ignore[no-untyped-def]
    exceptions = (
        f'[[exception]]\nid = "CVE-2099-0001"\npackage = "Django"\nreason = "Not reached."\nexpires = {_in(30)}\n'
    )
    result = _audit(tmp_path, "django==4.2.0\n", "--osv-url", osv_url, exceptions=exceptions)
    assert result.returncode == 0, result.stdout + result.stderr
    accepted = f"accepted until {_in(30)}: django 4.2.0: CVE-2099-0001 (GHSA-test-fixd-0001) — Not reached."
    assert accepted in result.stdout


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (f'id = "CVE-2099-0001"\npackage = "django"\nreason = "Old."\nexpires = {_in(-1)}', "expired on"),
        (f'id = "CVE-2099-0001"\npackage = "django"\nexpires = {_in(30)}', "needs reason"),
        ('id = "CVE-2099-0001"\npackage = "django"\nreason = "R."\nexpires = "soon"', "expires must be a date"),
        (f'id = "CVE-2099-0001"\npackage = "flask"\nreason = "R."\nexpires = {_in(30)}', "flask is not in the lock"),
    ],
)
def test_a_bad_or_expired_exception_fails_without_asking_anyone(tmp_path, entry, message):  # type: ignore[no-untyped-def]
    closed = "http://127.0.0.1:9/v1/query"  # never asked: the file alone decides
    result = _audit(tmp_path, "django==4.2.0\n", "--osv-url", closed, exceptions=f"[[exception]]\n{entry}\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr


def test_an_unreachable_service_is_no_pass(tmp_path):  # type: ignore[no-untyped-def]
    result = _audit(tmp_path, "django==4.2.0\n", "--osv-url", "http://127.0.0.1:9/v1/query", "--allow-no-data")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "could not get PyPI's vulnerability data (2 attempts)" in result.stderr


def test_a_lock_that_misses_a_dependency_of_pyproject_fails(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "l.lock").write_text("django==5.2.0\n")
    lock, pyproject = str(tmp_path / "l.lock"), str(REPO / "pyproject.toml")
    command = [sys.executable, str(SCRIPT), "--lock", lock, "--pyproject", pyproject]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "l.lock does not pin" in result.stderr and "django-csp" in result.stderr


def test_the_committed_lock_pins_every_dependency_exactly():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        from audit_dependencies import locked_packages, missing_from_lock
    finally:
        sys.path.remove(str(SCRIPT.parent))
    pins = locked_packages(REPO / "requirements.lock")
    assert missing_from_lock(REPO / "pyproject.toml", pins) == []
    assert pins["django"].startswith("5.2.") and "pip-audit" in pins
