"""The package ABB's MFT receives: `BBCDR_<KBO>_<timestamp>_<uuid>.zip` with the two files and `borderel.xml`,
compressed with deflate level 9, exactly as the real Loket's packaging service names and writes it — with one
difference on purpose: the real name cleaning keeps `/` and `\\` (an accident of a character range), ours drops them.

The zip is written as a stream to a temporary file (a 1 GB report never sits in memory), hashed, and only then
stored; the borderel is checked against `borderel.xsd` first.
"""

import hashlib
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.files import File
from django.core.files.storage import default_storage

from loket.reports.checks import compile_xsd
from loket.reports.models import Report, ReportFile

BORDEREL_NAMESPACE = "http://MFT-01-00.abb.vlaanderen.be/Borderel"
XSD_PATH = Path(__file__).with_name("borderel.xsd")
FALLBACK_NAMES: dict[str, str] = {ReportFile.Kind.XML: "rapport.xml", ReportFile.Kind.XBRL: "rapport.xbrl"}
COPY_CHUNK = 1024 * 1024


class BorderelInvalid(Exception):
    pass


def clean_name(name: str, *, fallback: str) -> str:
    """Keep ASCII letters, digits and the characters from "." to "_" (as the real service), but not "/" or "\\"."""
    kept = "".join(c for c in name if c.isascii() and (c.isalnum() or "." <= c <= "_") and c not in "/\\")
    return kept or fallback


def package_file_names(files: list[ReportFile]) -> list[tuple[ReportFile, str]]:
    """The name of each file in the package, XML first; two files never get the same name."""
    named, taken = [], set()
    for report_file in sorted(files, key=lambda f: 0 if f.kind == ReportFile.Kind.XML else 1):
        name = clean_name(report_file.file_name, fallback=FALLBACK_NAMES[report_file.kind])
        if name in taken:
            name = f"{name}.{report_file.kind}"
        taken.add(name)
        named.append((report_file, name))
    return named


def zip_timestamp(moment: datetime) -> str:
    """JavaScript's `toISOString()` (UTC, milliseconds, Z) with '.' and ':' replaced by '_', as the real one."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return text.replace(".", "_").replace(":", "_")


def package_name(*, kbo: str, moment: datetime, package_uuid: str) -> str:
    return f"BBCDR_{kbo}_{zip_timestamp(moment)}_{package_uuid}.zip"


def borderel_xml(*, kbo: str, names: list[str]) -> bytes:
    """The borderel, element for element and indented as the real service's xmlbuilder writes it."""
    lines = [
        '<?xml version="1.0"?>',
        f'<ns1:Borderel xsi:schemaLocation="{BORDEREL_NAMESPACE} Borderel.xsd" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="{BORDEREL_NAMESPACE}">',
        "  <ns1:Bestanden>",
    ]
    for name in names:
        lines += ["    <Bestand>", f"      <Bestandsnaam>{escape(name)}</Bestandsnaam>", "    </Bestand>"]
    lines += [
        "  </ns1:Bestanden>",
        "  <ns1:RouteringsMetadata>",
        "    <Entiteit>ABB</Entiteit>",
        "    <Toepassing>BBC DR</Toepassing>",
        "    <ParameterSet>",
    ]
    for parameter, value in (("SLEUTEL", kbo), ("FLOW", "AANLEVERING GEDAAN")):
        lines += [
            "      <ParameterParameterWaarde>",
            f"        <Parameter>{parameter}</Parameter>",
            f"        <ParameterWaarde>{escape(value)}</ParameterWaarde>",
            "      </ParameterParameterWaarde>",
        ]
    lines += ["    </ParameterSet>", "  </ns1:RouteringsMetadata>", "</ns1:Borderel>"]
    return "\n".join(lines).encode("utf-8")


def borderel_problems(document: bytes) -> list[str]:
    """What is wrong with a borderel according to `borderel.xsd` ([] when valid)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    schema = compile_xsd(XSD_PATH)
    try:
        tree = etree.fromstring(document, parser=parser)
    except etree.XMLSyntaxError as error:
        return [str(error)]
    if schema.validate(tree):
        return []
    return [f"{error.line}: {error.message}" for error in schema.error_log]


@dataclass(frozen=True)
class BuiltPackage:
    name: str
    storage_name: str
    sha256: str
    size: int


def build_package(
    *, report: Report, files: list[ReportFile], kbo: str, moment: datetime, package_uuid: str
) -> BuiltPackage:
    name = package_name(kbo=kbo, moment=moment, package_uuid=package_uuid)
    named = package_file_names(files)
    borderel = borderel_xml(kbo=kbo, names=[entry for _f, entry in named])
    problems = borderel_problems(borderel)
    if problems:
        raise BorderelInvalid("; ".join(problems))
    stamp = moment.astimezone(UTC).timetuple()[:6]
    with tempfile.NamedTemporaryFile(suffix=".zip") as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for report_file, entry in named:
                info = zipfile.ZipInfo(entry, date_time=stamp)  # type: ignore[arg-type]
                info.compress_type = zipfile.ZIP_DEFLATED
                info._compresslevel = 9  # type: ignore[attr-defined] # ZipFile.open ignores the archive's level
                with default_storage.open(report_file.storage_name, "rb") as source:
                    with archive.open(info, "w", force_zip64=True) as target:
                        shutil.copyfileobj(source, target, COPY_CHUNK)
            borderel_info = zipfile.ZipInfo("borderel.xml", date_time=stamp)  # type: ignore[arg-type]
            borderel_info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(borderel_info, borderel, compresslevel=9)
        temporary.flush()
        temporary.seek(0)
        digest = hashlib.sha256()
        while chunk := temporary.read(COPY_CHUNK):
            digest.update(chunk)
        size = temporary.tell()
        temporary.seek(0)
        storage_name = default_storage.save(f"bbcdr/pakketten/{report.uuid}/{name}", File(temporary, name=name))
    return BuiltPackage(name=name, storage_name=storage_name, sha256=digest.hexdigest(), size=size)
