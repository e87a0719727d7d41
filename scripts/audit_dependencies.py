"""Dependency audit: pip-audit over the locked dependencies (requirements.lock), run by `make lint` and `make test`.

Exit 1 on a known vulnerability that has a fixed version, unless security/pip-audit-exceptions.toml accepts it with
a reason and an expiry date that has not passed; an expired or malformed exception, a package that could not be
audited, or a lock that misses a dependency pyproject.toml names (refresh it: `make lock`) fail too. A vulnerability
without a fix is printed, not failed on (there is nothing to upgrade to; it is watched: docs/security/asvs-l2.md).

Never a silent pass when there is no verdict:
- exit 2: PyPI's vulnerability data cannot be reached (network down, time-out; after one retry);
- exit 3: the package index answers but has no vulnerability data for the pinned releases (pip-audit reports every
  package "not found on PyPI": an index that serves only the simple API and the latest-release JSON, as the one of
  this project's build machines does). With --allow-no-data (used by `make lint` and `make test`, see
  docs/security/dependencies.md) this prints DEPENDENCY AUDIT NOT DONE and exits 0, so CI on such a machine is not
  red forever; the checks that need no network (lock, exceptions) still fail as above.

    python scripts/audit_dependencies.py [--allow-no-data] [--lock requirements.lock] [--exceptions FILE]
                                         [--osv-url URL (or LOKET_AUDIT_OSV_URL): an OSV API instead of PyPI's data]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements.lock"
EXCEPTIONS = REPO / "security" / "pip-audit-exceptions.toml"
TIMEOUT_SECONDS = 240  # the whole pip-audit run (about 150 packages, one request each, cached between runs)
NETWORK_ATTEMPTS = 2


class AuditError(Exception):
    """The audit could not be done (exit 2): no verdict, and never a pass."""

    exit_code = 2


class NoVulnerabilityData(AuditError):
    """The index answered, but holds no vulnerability data for any pinned release (exit 3)."""

    exit_code = 3


NOT_ON_INDEX = "Dependency not found on PyPI"


@dataclass(frozen=True)
class Exception_:
    id: str
    package: str
    reason: str
    expires: datetime.date


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_packages(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;]+)(\s*;.*)?", line)
        if not match:
            raise AuditError(f"{lock.name}: not an exact pin: {line!r} (regenerate it with `make lock`)")
        pins[_normalise(match.group(1))] = match.group(3)
    return pins


def missing_from_lock(pyproject: Path, pins: dict[str, str]) -> list[str]:
    """The runtime and test dependencies named in pyproject.toml that the lock does not pin."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    named = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    names = {_normalise(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]) for requirement in named}
    return sorted(name for name in names if name not in pins)


def load_exceptions(path: Path, pins: dict[str, str], today: datetime.date) -> tuple[list[Exception_], list[str]]:
    """The accepted vulnerabilities, and the problems with the file (each one fails the audit)."""
    if not path.exists():
        return [], []
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("exception", [])
    accepted, problems = [], []
    for number, entry in enumerate(entries, start=1):
        label = f"{path.name}, exception {number} ({entry.get('id', '?')})"
        absent = [key for key in ("id", "package", "reason", "expires") if not entry.get(key)]
        if absent:
            problems.append(f"{label}: needs {', '.join(absent)}")
            continue
        if not isinstance(entry["expires"], datetime.date) or isinstance(entry["expires"], datetime.datetime):
            problems.append(f"{label}: expires must be a date (expires = 2027-01-31)")
            continue
        if entry["expires"] < today:
            problems.append(
                f"{label}: expired on {entry['expires']} — upgrade {entry['package']} or renew with a reason"
            )
            continue
        if _normalise(entry["package"]) not in pins:
            problems.append(f"{label}: {entry['package']} is not in the lock (remove the exception)")
            continue
        accepted.append(Exception_(entry["id"], _normalise(entry["package"]), entry["reason"], entry["expires"]))
    return accepted, problems


def run_pip_audit(lock: Path, *, osv_url: str = "", cache_dir: str = "") -> dict:  # type: ignore[type-arg]
    """pip-audit's JSON report; PyPI's vulnerability data, or an OSV API (`osv_url`, e.g. an organisation's mirror)."""
    service = (
        ["--vulnerability-service", "osv", "--osv-url", osv_url] if osv_url else ["--vulnerability-service", "pypi"]
    )
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(lock),
        "--no-deps",  # the lock pins every package: audit exactly those, resolve nothing
        "--disable-pip",
        *service,
        *(["--cache-dir", cache_dir] if cache_dir else []),
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--timeout",
        "20",
    ]
    last = ""
    for _attempt in range(NETWORK_ATTEMPTS):
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            last = f"no answer within {TIMEOUT_SECONDS} s"
            continue
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            last = (result.stderr or result.stdout).strip()[-2000:]
            continue
        dependencies = report.get("dependencies", [])
        if dependencies and all(NOT_ON_INDEX in d.get("skip_reason", "") for d in dependencies):
            raise NoVulnerabilityData(
                f"the package index holds no vulnerability data for any of the {len(dependencies)} pinned releases "
                "(pip-audit: every one 'not found on PyPI'; this index serves no /pypi/<name>/<version>/json)"
            )
        return report
    raise AuditError(f"pip-audit could not get PyPI's vulnerability data ({NETWORK_ATTEMPTS} attempts): {last}")


def verdict(
    report: dict,  # type: ignore[type-arg]
    accepted: list[Exception_],
) -> tuple[list[str], list[str], set[Exception_]]:
    """(failures, notes, exceptions used) for a pip-audit JSON report."""
    failures, notes, used = [], [], set()
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            failures.append(f"{dependency['name']}: not audited ({dependency['skip_reason']})")
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            name, version = _normalise(dependency["name"]), dependency["version"]
            aliases = sorted(ids - {vuln["id"]})
            label = f"{name} {version}: {vuln['id']}" + (f" ({', '.join(aliases)})" if aliases else "")
            match = next((e for e in accepted if e.package == name and e.id in ids), None)
            if match is not None:
                used.add(match)
                notes.append(f"accepted until {match.expires}: {label} — {match.reason}")
            elif vuln.get("fix_versions"):
                failures.append(f"{label}: fixed in {', '.join(vuln['fix_versions'])}")
            else:
                notes.append(f"no fix yet: {label}")
    return failures, notes, used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument("--exceptions", type=Path, default=EXCEPTIONS)
    parser.add_argument("--pyproject", type=Path, default=REPO / "pyproject.toml")
    parser.add_argument("--allow-no-data", action="store_true", help="exit 0, loudly, when the index has no data")
    parser.add_argument("--osv-url", default=os.environ.get("LOKET_AUDIT_OSV_URL", ""), help="an OSV API to ask")
    parser.add_argument("--cache-dir", default="", help="pip-audit's cache (default: its own)")
    args = parser.parse_args(argv)
    today = datetime.datetime.now(datetime.UTC).date()
    try:
        pins = locked_packages(args.lock)
        missing = missing_from_lock(args.pyproject, pins) if args.pyproject.exists() else []
        if missing:
            print(
                f"dependency audit: FAIL {args.lock.name} does not pin {', '.join(missing)}: run `make lock`",
                file=sys.stderr,
            )
            return 1
        accepted, problems = load_exceptions(args.exceptions, pins, today)
        if problems:  # no need to ask the network to know this fails
            for problem in problems:
                print(f"dependency audit: FAIL {problem}", file=sys.stderr)
            return 1
        report = run_pip_audit(args.lock, osv_url=args.osv_url, cache_dir=args.cache_dir)
    except NoVulnerabilityData as error:
        if args.allow_no_data:
            print(f"dependency audit: DEPENDENCY AUDIT NOT DONE — {error}", file=sys.stderr)
            return 0
        print(f"dependency audit: no verdict — {error}", file=sys.stderr)
        return error.exit_code
    except AuditError as error:
        print(f"dependency audit: FAIL {error}", file=sys.stderr)
        return error.exit_code
    failures, notes, used = verdict(report, accepted)
    notes += [
        f"unused exception {e.id} ({e.package}): remove it from {args.exceptions.name}"
        for e in accepted
        if e not in used
    ]
    for note in notes:
        print(f"dependency audit: {note}")
    for failure in failures:
        print(f"dependency audit: FAIL {failure}", file=sys.stderr)
    audited = len(report.get("dependencies", []))
    print(f"dependency audit: {audited} locked packages, {len(failures)} failing, {len(notes)} noted")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
