"""The check of a report: each file on its own (well-formed, XSD, Arelle for the XBRL), then the pair (same
organisation, fiscal year, period and report type, and that organisation is the report's own).

A finding is stored as data — level, file, code, parameters — and put into words when shown (`finding_text`), so
the same finding reads in Dutch or English. `check_report_files` is what the worker runs after an upload and what
the sending service relies on (it refuses a check that was not made on exactly the files and settings of now).
"""

import hashlib
import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loket.reports import formats, xbrl, xmlscan
from loket.reports.models import ReportFile

CHECK_VERSION = "2026-12-05.1"  # bump when a rule changes: earlier checks are then made again before sending

ERROR, WARNING = "error", "warning"
XSD_LINE_LIMIT = 64 * 1024 * 1024  # up to this size the line of a schema error is looked up

MESSAGES = {
    "not_well_formed": gettext_lazy(
        "%(file)s is geen goedgevormde XML: %(reason)s (regel %(line)s, kolom %(column)s)."
    ),
    "entity_declaration": gettext_lazy(
        "%(file)s declareert entiteiten (regel %(line)s, kolom %(column)s); dat wordt om veiligheidsredenen "
        "niet aanvaard."
    ),
    "external_entity": gettext_lazy(
        "%(file)s verwijst naar een externe entiteit (regel %(line)s, kolom %(column)s); die wordt nooit opgehaald."
    ),
    "xsd_invalid": gettext_lazy("%(file)s voldoet niet aan het XML-schema: %(text)s (regel %(line)s)."),
    "xsd_unusable": gettext_lazy("Het XML-schema voor %(namespace)s kon niet gelezen worden: %(text)s."),
    "arelle": gettext_lazy("XBRL-validatie (%(code)s): %(text)s%(where)s"),
    "arelle_failed": gettext_lazy("De XBRL-validatie kon niet uitgevoerd worden (%(reason)s)."),
    "taxonomy_missing": gettext_lazy(
        "De taxonomie %(refs)s is niet offline beschikbaar: taxonomie niet offline beschikbaar. Het XBRL-bestand "
        "werd enkel volgens XBRL 2.1 gecontroleerd, niet volgens zijn taxonomie."
    ),
    "no_schema_ref": gettext_lazy("Het XBRL-bestand verwijst naar geen enkele taxonomie (link:schemaRef ontbreekt)."),
    "unknown_xml_format": gettext_lazy(
        "Het XML-formaat (%(root)s) is niet gekend: organisatie, boekjaar, periode en soort konden er niet uit "
        "gelezen worden, dus ook niet vergeleken met het XBRL-bestand."
    ),
    "several_entities": gettext_lazy("Het XBRL-bestand spreekt over meer dan één organisatie: %(values)s."),
    "no_entity": gettext_lazy("%(file)s vermeldt geen KBO-nummer van een organisatie."),
    "mismatch": gettext_lazy("De bestanden horen niet bij elkaar: XBRL: %(what)s %(xbrl)s, XML: %(what)s %(xml)s."),
    "not_own_organisation": gettext_lazy(
        "%(file)s is van een andere organisatie (KBO-nummer %(found)s) dan uw bestuur (KBO-nummer %(own)s)."
    ),
    "organisation_without_kbo": gettext_lazy(
        "Uw bestuur heeft geen (geldig) KBO-nummer in het Loket: de bestanden kunnen niet aan uw bestuur gekoppeld "
        "worden en het rapport kan niet verstuurd worden. Contacteer de helpdesk."
    ),
    "missing_file": gettext_lazy("Het %(kind)s-bestand ontbreekt: een rapport bestaat uit één XML en één XBRL."),
    "unreadable_file": gettext_lazy("%(file)s kon niet gelezen worden uit de opslag."),
}
WHAT = {
    "kbo": gettext_lazy("KBO-nummer"),
    "fiscal_year": gettext_lazy("boekjaar"),
    "period": gettext_lazy("periode"),
    "report_type": gettext_lazy("soort"),
}


def finding(level: str, code: str, /, **params: Any) -> dict[str, Any]:
    return {"level": level, "code": code, "params": params}


def finding_text(item: dict[str, Any]) -> str:
    params = dict(item.get("params") or {})
    if "what" in params:
        params["what"] = str(WHAT.get(params["what"], params["what"]))
    if item.get("code") == "arelle":
        params["where"] = (_(" (regel %(line)s)") % {"line": params["line"]}) if params.get("line") else ""
    template = MESSAGES.get(item.get("code", ""))
    if template is None:
        return str(item.get("code", ""))
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def xsd_for(namespace: str) -> str:
    return (settings.LOKET_BBCDR_XSD or {}).get(namespace, "")


def fingerprint(files: list[ReportFile], organisation_kbo: str) -> str:
    """What a check depends on: the files' bytes, the organisation's KBO number, the rules and their settings."""
    basis = {
        "version": CHECK_VERSION,
        "files": sorted(f"{f.kind}:{f.sha256}" for f in files),
        "kbo": organisation_kbo,
        "taxonomy": xbrl.taxonomy_fingerprint(),
        "require_taxonomy": settings.LOKET_BBCDR_REQUIRE_TAXONOMY,
        "xsd": sorted((settings.LOKET_BBCDR_XSD or {}).items()),
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()


@dataclass
class FileCheck:
    facts: formats.ReportFacts
    findings: list[dict[str, Any]] = field(default_factory=list)
    root: xmlscan.Name = ("", "")


@contextmanager
def local_copy(storage_name: str) -> Iterator[Path]:
    """The stored file as a local path (Arelle and lxml read paths); a temporary copy when storage is remote."""
    try:
        yield Path(default_storage.path(storage_name))
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=Path(storage_name).suffix) as copy:
        with default_storage.open(storage_name, "rb") as source:
            while chunk := source.read(xmlscan.CHUNK):
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def check_file(report_file: ReportFile) -> FileCheck:
    label = report_file.file_name
    try:
        with local_copy(report_file.storage_name) as path:
            return check_path(path, label=label, is_xbrl=report_file.kind == ReportFile.Kind.XBRL)
    except OSError:
        return FileCheck(facts=formats.ReportFacts(), findings=[finding(ERROR, "unreadable_file", file=label)])


def check_path(path: Path, *, label: str, is_xbrl: bool, arelle: bool = True) -> FileCheck:
    """The pre-checks of one file on disk (well-formed, no entities, root, facts, XSD; Arelle for XBRL unless
    `arelle` is off, as in the fuzzing harness): findings, never an exception but OSError."""
    try:
        with path.open("rb") as stream:
            root = xmlscan.root_element(stream)
        reader = formats.reader_for(root, is_xbrl=is_xbrl)
        with path.open("rb") as stream:
            xmlscan.scan(stream, reader)
        result = FileCheck(facts=reader.facts(), root=root)
        if is_xbrl:
            if arelle:
                result.findings += _xbrl_findings(path, result.facts)
        else:
            result.findings += _xsd_findings(path, root, label)
            if isinstance(reader, formats.UnknownXmlReader):
                shown = f"{{{root[0]}}}{root[1]}" if root[0] else root[1]
                result.findings.append(finding(WARNING, "unknown_xml_format", root=shown))
    except xmlscan.NotXml as error:
        code = error.reason if error.reason in {"entity_declaration", "external_entity"} else "not_well_formed"
        return FileCheck(
            facts=formats.ReportFacts(),
            findings=[
                finding(
                    ERROR, code, file=label, reason=error.reason, line=error.line or "?", column=error.column or "?"
                )
            ],
        )
    return result


def _xsd_findings(path: Path, root: xmlscan.Name, label: str) -> list[dict[str, Any]]:
    schema_file = xsd_for(root[0])
    if not schema_file:
        return []
    from lxml import etree

    try:
        schema = compile_xsd(schema_file)
    except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as error:
        return [finding(ERROR, "xsd_unusable", namespace=root[0], text=str(error)[:300])]
    try:
        for _event, element in etree.iterparse(
            str(path), events=("end",), schema=schema, resolve_entities=False, no_network=True, huge_tree=True
        ):
            if element.getparent() is not None:
                element.clear(keep_tail=True)
    except etree.XMLSyntaxError as error:  # a schema violation is reported as a syntax error by iterparse
        return [finding(ERROR, "xsd_invalid", file=label, text=error.msg[:300], line=_xsd_error_line(path, schema))]
    return []


def _xsd_error_line(path: Path, schema: Any) -> int | str:
    """The line of the first schema error: lxml's streamed validation does not give it, so a file of a size that
    fits is validated once more as a whole (which does); a larger one is named without a line."""
    from lxml import etree

    if path.stat().st_size > XSD_LINE_LIMIT:
        return "?"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as error:
        return error.lineno or "?"
    if schema.validate(tree) or not schema.error_log:
        return "?"
    return schema.error_log[0].line or "?"


_XSD_COMPILING = threading.Lock()
_SMALLEST_SCHEMA = (
    b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:string"/></xs:schema>'
)


def prepare_schema_types() -> None:
    """Let libxml2 set its built-in XSD types up now, in the one thread of a starting process. libxml2 (2.14) does
    that on a process's first schema compile without a lock: threads compiling their first schemas at once (several
    BBC-DR reports checked together, or Arelle) can leave every later compile in the process failing ("the given
    type is not a built-in type", "not valid XML Schema") or free memory twice (tests/reports/test_xsd_threads.py)."""
    from lxml import etree

    with _XSD_COMPILING:
        etree.XMLSchema(etree.fromstring(_SMALLEST_SCHEMA, parser=_safe_parser()))


def compile_xsd(path: str | Path) -> Any:
    """The one way an XML schema file is read and compiled: without entities or network, one compile at a time."""
    from lxml import etree

    document = etree.parse(str(path), parser=_safe_parser())
    with _XSD_COMPILING:
        return etree.XMLSchema(document)


def _safe_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _xbrl_findings(path: Path, facts: formats.ReportFacts) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if not facts.schema_refs:
        found.append(finding(ERROR, "no_schema_ref"))
    verdict = xbrl.validate_xbrl(path)
    if verdict.failed:
        return [*found, finding(ERROR, "arelle_failed", reason=verdict.failed[:300])]
    if verdict.taxonomy_missing:
        level = ERROR if settings.LOKET_BBCDR_REQUIRE_TAXONOMY else WARNING
        found.append(finding(level, "taxonomy_missing", refs=", ".join(facts.schema_refs)))
    for item in verdict.findings[: xbrl.MAX_FINDINGS]:
        found.append(finding(item.level, "arelle", code=item.code, text=item.text[:500], line=item.line))
    return found


@dataclass
class PairVerdict:
    findings: list[dict[str, Any]]
    report_type: str
    fiscal_year: int | None
    period: str

    @property
    def has_errors(self) -> bool:
        return any(item["level"] == ERROR for item in self.findings)


def compare(
    checks: dict[str, FileCheck], *, organisation_kbo: str, complete_required: bool = False
) -> list[dict[str, Any]]:
    """The rules across the two files and against the report's organisation."""
    found: list[dict[str, Any]] = []
    if not organisation_kbo:
        found.append(finding(ERROR, "organisation_without_kbo"))
    for kind in (ReportFile.Kind.XML, ReportFile.Kind.XBRL):
        if kind not in checks and complete_required:
            found.append(finding(ERROR, "missing_file", kind=kind.upper()))
    xbrl_check, xml_check = checks.get(ReportFile.Kind.XBRL), checks.get(ReportFile.Kind.XML)
    if xbrl_check is not None and len(xbrl_check.facts.kbo_numbers) > 1:
        found.append(finding(ERROR, "several_entities", values=", ".join(xbrl_check.facts.kbo_numbers)))
    for kind, check in ((ReportFile.Kind.XBRL, xbrl_check), (ReportFile.Kind.XML, xml_check)):
        if check is None or not check.facts.format_name or _has_syntax_error(check):
            continue
        label = kind.upper()
        if not check.facts.kbo_numbers:
            found.append(finding(ERROR, "no_entity", file=label))
        elif organisation_kbo and organisation_kbo not in check.facts.kbo_numbers:
            found.append(
                finding(
                    ERROR,
                    "not_own_organisation",
                    file=label,
                    found=", ".join(check.facts.kbo_numbers),
                    own=organisation_kbo,
                )
            )
    if xbrl_check and xml_check and xbrl_check.facts.format_name and xml_check.facts.format_name:
        a, b = xbrl_check.facts, xml_check.facts
        pairs = [
            ("kbo", ", ".join(a.kbo_numbers), ", ".join(b.kbo_numbers)),
            ("fiscal_year", a.fiscal_year or "", b.fiscal_year or ""),
            ("period", a.period, b.period),
            ("report_type", a.report_type, b.report_type),
        ]
        for what, left, right in pairs:
            if left != right:
                found.append(finding(ERROR, "mismatch", what=what, xbrl=left or "?", xml=right or "?"))
    return found


def _has_syntax_error(check: FileCheck) -> bool:
    return any(item["code"] in {"not_well_formed", "entity_declaration", "external_entity"} for item in check.findings)


def check_report_files(
    files: list[ReportFile], *, organisation_kbo: str, complete_required: bool = False
) -> PairVerdict:
    checks: dict[str, FileCheck] = {f.kind: check_file(f) for f in files}
    findings = [item for check in checks.values() for item in check.findings]
    findings += compare(checks, organisation_kbo=organisation_kbo, complete_required=complete_required)
    primary = checks.get(ReportFile.Kind.XBRL) or checks.get(ReportFile.Kind.XML)
    facts = primary.facts if primary is not None else formats.ReportFacts()
    if not facts.fiscal_year and ReportFile.Kind.XML in checks:
        facts = checks[ReportFile.Kind.XML].facts
    return PairVerdict(findings, facts.report_type, facts.fiscal_year, facts.period)
