"""The XBRL check: Arelle (XBRL 2.1 and Dimensions) with internet connectivity off, in a process of its own.

When the taxonomy the instance's `link:schemaRef` names is available offline (a taxonomy package in
`LOKET_BBCDR_TAXONOMY_DIR`), Arelle validates the instance fully against it. When it is not, Arelle cannot load the
schema: the check then says "taxonomie niet offline beschikbaar" (a warning, or an error with
`LOKET_BBCDR_REQUIRE_TAXONOMY=true`) and leaves out the findings that only follow from the missing schema; what
XBRL 2.1 says about the instance itself (contexts, units, periods) is still reported.
"""

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# Findings that only say the schema could not be loaded (already said once, as the taxonomy warning).
_MISSING_SCHEMA_CODES = {"IOerror", "xbrl:schemaImportMissing", "xmlSchema:syntax", "xbrl.5.1.1:schemaRefLoadable"}
MAX_FINDINGS = 50


@dataclass(frozen=True)
class XbrlFinding:
    level: str  # "error" or "warning"
    code: str
    text: str
    line: int | None


@dataclass(frozen=True)
class XbrlVerdict:
    findings: list[XbrlFinding]
    taxonomy_missing: bool
    failed: str = ""  # Arelle could not run at all (timeout, crash): the reason


def taxonomy_packages() -> list[Path]:
    """The taxonomy packages: zip files in LOKET_BBCDR_TAXONOMY_DIR, and folders there that are unpacked packages
    (with META-INF/taxonomyPackage.xml; zipped once into the var folder, as Arelle reads zips)."""
    folder = settings.LOKET_BBCDR_TAXONOMY_DIR
    if not folder or not Path(folder).is_dir():
        return []
    found = []
    for path in sorted(Path(folder).iterdir()):
        if path.is_file() and path.suffix.lower() == ".zip":
            found.append(path)
        elif path.is_dir() and (path / "META-INF" / "taxonomyPackage.xml").is_file():
            found.append(_zipped(path))
    return found


def _zipped(folder: Path) -> Path:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    target = Path(settings.VAR_DIR) / "arelle" / "packages" / f"{folder.name}-{digest.hexdigest()[:16]}.zip"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, f"{folder.name}/{path.relative_to(folder)}")
        partial.replace(target)
    return target


def taxonomy_fingerprint() -> str:
    """Changes when a taxonomy package is added, removed or replaced (a check made before is then redone)."""
    parts = [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in taxonomy_packages()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def validate_xbrl(path: Path) -> XbrlVerdict:
    command = [sys.executable, "-m", "loket.reports.arelle_run", str(path), *map(str, taxonomy_packages())]
    environment = dict(os.environ)
    arelle_home = Path(settings.VAR_DIR) / "arelle"
    arelle_home.mkdir(parents=True, exist_ok=True)
    environment["XDG_CONFIG_HOME"] = str(arelle_home)  # Arelle's own settings and cache, never the user's home
    try:
        completed = subprocess.run(  # noqa: S603 - our own module, arguments are paths
            command,
            capture_output=True,
            timeout=settings.LOKET_BBCDR_ARELLE_TIMEOUT,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return XbrlVerdict([], False, failed="timeout")
    if completed.returncode != 0:
        return XbrlVerdict([], False, failed=completed.stderr.decode("utf-8", "replace")[-500:])
    records = []
    for line in completed.stdout.decode("utf-8", "replace").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    taxonomy_missing = any(
        record["code"] == "IOerror" and record.get("url", "").lower().endswith(".xsd") for record in records
    )
    findings = []
    for record in records:
        if taxonomy_missing and record["code"] in _MISSING_SCHEMA_CODES:
            continue
        level = "warning" if record["level"] == "warning" else "error"
        findings.append(XbrlFinding(level, record["code"], record["text"], record.get("line")))
    return XbrlVerdict(findings, taxonomy_missing)
