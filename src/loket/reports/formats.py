"""What a report's files say: the organisation (KBO number), report type, fiscal year and period, read while the
file is scanned. One rule per format, in a registry: the XBRL rule reads any XBRL 2.1 instance (entity identifiers
of its contexts, the schemaRef's entry point, a fiscal-year fact); an XML rule is registered per namespace.

The real BBC-DR taxonomy and XML schema are not in our reference: the rules here read the Loket's own test
taxonomy (`sample_taxonomy/`, namespace `http://taxonomy.bbcdr.test/…`) and test XML format
(`http://schemas.bbcdr.test/…/rapport`). Registering the real ones is adding a rule (see docs/bbcdr.md).
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from loket.reports.xmlscan import XBRLI, Name

LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
TEST_TAXONOMY = re.compile(r"^http://taxonomy\.bbcdr\.test/(\d{4})/core$")
TEST_XML = re.compile(r"^http://schemas\.bbcdr\.test/(\d{4})/rapport$")

# Entry points (file name of the schemaRef, without .xsd) and XML codes → report type shown to people.
REPORT_TYPES = {
    "jaarrekening": "Jaarrekening",
    "meerjarenplan": "Meerjarenplan",
    "meerjarenplanaanpassing": "Meerjarenplanaanpassing",
    "kwartaalrapportering": "Kwartaalrapportering",
}


@dataclass
class ReportFacts:
    """What one file says; empty values are unknown. `problems` are (code, params) the rule found itself."""

    format_name: str = ""
    kbo_numbers: list[str] = field(default_factory=list)
    report_type: str = ""
    fiscal_year: int | None = None
    period: str = ""
    schema_refs: list[str] = field(default_factory=list)
    problems: list[tuple[str, dict]] = field(default_factory=list)


def normalise_kbo(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits.zfill(10) if 9 <= len(digits) <= 10 else digits


def _year(text: str) -> int | None:
    match = re.match(r"^\s*(\d{4})", text or "")
    return int(match.group(1)) if match else None


class XbrlReader:
    """Reads an XBRL 2.1 instance: contexts (entity identifier, period), schemaRefs, and a `Boekjaar` fact."""

    format_name = "XBRL 2.1"

    def __init__(self) -> None:
        self.contexts: dict[str, dict[str, str]] = {}
        self.current: dict[str, str] | None = None
        self.schema_refs: list[str] = []
        self.year_fact: tuple[str, str] | None = None  # (value, contextRef)
        self.year_context = ""
        self.fact_contexts: Counter[str] = Counter()

    def start(self, path: tuple[Name, ...], attributes: dict[str, str]) -> None:
        name = path[-1]
        if len(path) == 2:
            if name == (LINK, "schemaRef"):
                self.schema_refs.append(attributes.get(f"{XLINK} href", ""))
            elif name == (XBRLI, "context"):
                self.current = {"id": attributes.get("id", "")}
            elif "contextRef" in attributes:
                self.fact_contexts[attributes["contextRef"]] += 1
                if name[1] == "Boekjaar" and TEST_TAXONOMY.match(name[0]):
                    self.year_context = attributes["contextRef"]

    def end(self, path: tuple[Name, ...], text: str) -> None:
        name = path[-1]
        if self.current is not None:
            if name == (XBRLI, "identifier"):
                self.current["identifier"] = text.strip()
            elif name[0] == XBRLI and name[1] in {"startDate", "endDate", "instant"}:
                self.current[name[1]] = text.strip()
            elif name == (XBRLI, "context") and len(path) == 2:
                self.contexts[self.current["id"]] = self.current
                self.current = None
        if len(path) == 2 and name[1] == "Boekjaar" and TEST_TAXONOMY.match(name[0]):
            self.year_fact = (text.strip(), self.year_context)

    def facts(self) -> ReportFacts:
        result = ReportFacts(format_name=self.format_name, schema_refs=[ref for ref in self.schema_refs if ref])
        identifiers = sorted({normalise_kbo(c.get("identifier", "")) for c in self.contexts.values()} - {""})
        result.kbo_numbers = identifiers
        for ref in result.schema_refs:
            stem = ref.rstrip("/").rsplit("/", 1)[-1].removesuffix(".xsd").lower()
            if stem in REPORT_TYPES:
                result.report_type = REPORT_TYPES[stem]
                break
        if self.year_fact is not None:
            value, context_id = self.year_fact
            result.fiscal_year = _year(value)
            context = self.contexts.get(context_id, {})
            result.period = _period(context)
        elif self.fact_contexts:  # no fiscal-year fact: the period of the context most facts use
            context = self.contexts.get(self.fact_contexts.most_common(1)[0][0], {})
            result.period = _period(context)
            result.fiscal_year = _year(context.get("endDate") or context.get("instant", ""))
        return result


def _period(context: dict[str, str]) -> str:
    if context.get("startDate") and context.get("endDate"):
        return f"{context['startDate']}/{context['endDate']}"
    return context.get("instant", "")


class TestXmlReader:
    """The Loket's test XML format: <Rapport soort="..">, <Bestuur><KBO/></Bestuur>, <Boekjaar/>, <Periode> with
    <Begin/> and <Einde/>."""

    format_name = "BBC-DR XML (testformaat)"

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.report_code = ""

    def start(self, path: tuple[Name, ...], attributes: dict[str, str]) -> None:
        if len(path) == 1:
            self.report_code = attributes.get("soort", "")

    def end(self, path: tuple[Name, ...], text: str) -> None:
        key = "/".join(local for _namespace, local in path[1:])
        if key in {"Bestuur/KBO", "Boekjaar", "Periode/Begin", "Periode/Einde"} and key not in self.values:
            self.values[key] = text.strip()

    def facts(self) -> ReportFacts:
        result = ReportFacts(format_name=self.format_name)
        if self.values.get("Bestuur/KBO"):
            result.kbo_numbers = [normalise_kbo(self.values["Bestuur/KBO"])]
        result.report_type = REPORT_TYPES.get(self.report_code.lower(), self.report_code)
        result.fiscal_year = _year(self.values.get("Boekjaar", ""))
        if self.values.get("Periode/Begin") and self.values.get("Periode/Einde"):
            result.period = f"{self.values['Periode/Begin']}/{self.values['Periode/Einde']}"
        return result


class UnknownXmlReader:
    """An XML format no rule knows: read nothing (the check says the pair could not be matched)."""

    format_name = ""

    def start(self, path: tuple[Name, ...], attributes: dict[str, str]) -> None:
        return None

    def end(self, path: tuple[Name, ...], text: str) -> None:
        return None

    def facts(self) -> ReportFacts:
        return ReportFacts()


# The registry: (test on the root element, reader class). The first that matches reads the file.
XML_RULES: list[tuple[re.Pattern[str], str, type]] = [(TEST_XML, "Rapport", TestXmlReader)]


def reader_for(root: Name, *, is_xbrl: bool) -> XbrlReader | TestXmlReader | UnknownXmlReader:
    if is_xbrl:
        return XbrlReader()
    for pattern, local, reader in XML_RULES:
        if pattern.match(root[0]) and root[1] == local:
            return reader()
    return UnknownXmlReader()
