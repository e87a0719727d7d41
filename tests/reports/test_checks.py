"""The check's verdicts on sample pairs in the Loket's test formats: well-formedness with line and column, no entity
ever expanded or fetched, the XSD of the XML, Arelle on the XBRL with and without the taxonomy offline (no connection
attempted), and the matching of the two files with each other and with the body."""

import http.server
import threading

import pytest

from loket.core.quota import Uploader
from loket.reports.models import Report
from loket.reports.samples import sample_xbrl, sample_xml
from loket.reports.services import receive_files, report_check, report_create
from tests.reports.conftest import AALST_KBO, BERLARE_KBO, pair, upload

pytestmark = pytest.mark.django_db


def _checked(clerk, organisation, files):  # type: ignore[no-untyped-def]
    report = report_create(
        actor=clerk, organisation=organisation, received=receive_files(files, uploader=Uploader(organisation, clerk))
    )
    return report_check(report_id=report.pk)


def _texts(report: Report) -> list[str]:
    from loket.reports.checks import finding_text

    return [finding_text(item) for item in report.check_findings]


def test_a_matching_pair_is_in_order_and_says_what_it_is(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    report = _checked(bbcdr_clerk, municipality, pair())
    assert report.check_findings == []
    assert report.check_status == Report.Check.VALID
    assert (report.report_type, report.fiscal_year, report.period) == ("Jaarrekening", 2025, "2025-01-01/2025-12-31")
    assert report.checked_at is not None and report.check_fingerprint


def test_the_taxonomy_not_offline_is_a_warning_or_with_the_setting_an_error(bbcdr_clerk, municipality, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_BBCDR_TAXONOMY_DIR = ""
    report = _checked(bbcdr_clerk, municipality, pair())
    assert report.check_status == Report.Check.WARNINGS
    [text] = _texts(report)
    assert "taxonomie niet offline beschikbaar" in text
    assert "http://taxonomy.bbcdr.test/2025/jaarrekening.xsd" in text
    settings.LOKET_BBCDR_REQUIRE_TAXONOMY = True
    report = _checked(bbcdr_clerk, municipality, pair())
    assert report.check_status == Report.Check.INVALID
    assert report.check_findings[0]["level"] == "error"


def test_years_that_differ_are_named_both(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    files = [upload("r.xml", sample_xml(kbo=AALST_KBO, year=2024)), upload("r.xbrl", sample_xbrl(kbo=AALST_KBO))]
    report = _checked(bbcdr_clerk, municipality, files)
    assert report.check_status == Report.Check.INVALID
    assert "De bestanden horen niet bij elkaar: XBRL: boekjaar 2025, XML: boekjaar 2024." in _texts(report)
    assert any("XBRL: periode 2025-01-01/2025-12-31, XML: periode 2024-01-01/2024-12-31" in t for t in _texts(report))


def test_report_types_that_differ_are_named_both(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    files = [
        upload("r.xml", sample_xml(kbo=AALST_KBO, report_type="meerjarenplan")),
        upload("r.xbrl", sample_xbrl(kbo=AALST_KBO)),
    ]
    report = _checked(bbcdr_clerk, municipality, files)
    assert "De bestanden horen niet bij elkaar: XBRL: soort Jaarrekening, XML: soort Meerjarenplan." in _texts(report)


def test_another_bodys_kbo_number_is_refused_naming_both(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    report = _checked(bbcdr_clerk, municipality, pair(kbo=BERLARE_KBO))
    assert report.check_status == Report.Check.INVALID
    texts = _texts(report)
    assert (
        f"XBRL is van een andere organisatie (KBO-nummer {BERLARE_KBO}) dan uw bestuur (KBO-nummer {AALST_KBO})."
        in texts
    )
    assert f"XML is van een andere organisatie (KBO-nummer {BERLARE_KBO}) dan uw bestuur (KBO-nummer {AALST_KBO})." in (
        texts
    )


def test_files_of_two_bodies_do_not_belong_together(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    files = [upload("r.xml", sample_xml(kbo=AALST_KBO)), upload("r.xbrl", sample_xbrl(kbo=BERLARE_KBO))]
    report = _checked(bbcdr_clerk, municipality, files)
    assert f"De bestanden horen niet bij elkaar: XBRL: KBO-nummer {BERLARE_KBO}, XML: KBO-nummer {AALST_KBO}." in (
        _texts(report)
    )


def test_malformed_xml_is_located_by_line_and_column(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    broken = sample_xml(kbo=AALST_KBO).replace(b"<Boekjaar>2025</Boekjaar>", b"<Boekjaar>2025</Boekjar>")
    files = [upload("kapot.xml", broken), upload("r.xbrl", sample_xbrl(kbo=AALST_KBO))]
    report = _checked(bbcdr_clerk, municipality, files)
    [finding] = [f for f in report.check_findings if f["code"] == "not_well_formed"]
    assert (finding["params"]["line"], finding["params"]["column"]) == (4, 19)  # the name in the closing tag
    assert "kapot.xml is geen goedgevormde XML: mismatched tag (regel 4, kolom 19)." in _texts(report)


def test_the_xml_is_checked_against_the_schema_of_its_namespace(bbcdr_clerk, municipality, settings):  # type: ignore[no-untyped-def]
    wrong = sample_xml(kbo=AALST_KBO).replace(b'<Post code="P0001">1001.50', b'<Post code="P0001">veel')
    files = [upload("r.xml", wrong), upload("r.xbrl", sample_xbrl(kbo=AALST_KBO))]
    report = _checked(bbcdr_clerk, municipality, files)
    [finding] = [f for f in report.check_findings if f["code"] == "xsd_invalid"]
    assert finding["params"]["line"] == 7 and "veel" in finding["params"]["text"]
    settings.LOKET_BBCDR_XSD = {}  # no schema configured for the namespace: not checked against one
    report = _checked(bbcdr_clerk, municipality, files)
    assert [f["code"] for f in report.check_findings] == []


def test_arelle_finds_what_breaks_xbrl(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    broken = sample_xbrl(kbo=AALST_KBO).replace(b'unitRef="EUR" decimals="2">1000.50', b'decimals="2">1000.50')
    files = [upload("r.xml", sample_xml(kbo=AALST_KBO)), upload("r.xbrl", broken)]
    report = _checked(bbcdr_clerk, municipality, files)
    codes = {f["params"].get("code") for f in report.check_findings if f["code"] == "arelle"}
    assert "xbrl.4.6.2:numericUnit" in codes
    assert report.check_status == Report.Check.INVALID


def test_several_organisations_in_one_xbrl(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    mixed = sample_xbrl(kbo=AALST_KBO).replace(
        f'<xbrli:identifier scheme="http://www.fgov.be">{AALST_KBO}</xbrli:identifier></xbrli:entity>\n'
        "    <xbrli:period><xbrli:startDate>2025-01-01</xbrli:startDate><xbrli:endDate>2025-12-31</xbrli:endDate>"
        '</xbrli:period>\n  </xbrli:context>\n  <xbrli:context id="c1">'.encode(),
        f'<xbrli:identifier scheme="http://www.fgov.be">{AALST_KBO}</xbrli:identifier></xbrli:entity>\n'
        "    <xbrli:period><xbrli:startDate>2025-01-01</xbrli:startDate><xbrli:endDate>2025-12-31</xbrli:endDate>"
        '</xbrli:period>\n  </xbrli:context>\n  <xbrli:context id="c1x">'.encode(),
        1,
    )
    mixed = mixed.replace(f">{AALST_KBO}</xbrli:identifier>".encode(), f">{BERLARE_KBO}</xbrli:identifier>".encode(), 2)
    files = [upload("r.xml", sample_xml(kbo=AALST_KBO)), upload("r.xbrl", mixed)]
    report = _checked(bbcdr_clerk, municipality, files)
    assert f"Het XBRL-bestand spreekt over meer dan één organisatie: {BERLARE_KBO}, {AALST_KBO}." in _texts(report)


def test_an_unknown_xml_format_is_a_warning_not_a_silent_pass(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    other = b'<?xml version="1.0"?>\n<begroting xmlns="urn:voorbeeld">' + b"<post>1</post>" * 100 + b"</begroting>\n"
    files = [upload("r.xml", other), upload("r.xbrl", sample_xbrl(kbo=AALST_KBO))]
    report = _checked(bbcdr_clerk, municipality, files)
    assert report.check_status == Report.Check.WARNINGS
    assert [f["code"] for f in report.check_findings] == ["unknown_xml_format"]
    assert "{urn:voorbeeld}begroting" in _texts(report)[0]


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Counting.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        return None


def test_a_schema_ref_on_the_internet_is_never_fetched(bbcdr_clerk, municipality):  # type: ignore[no-untyped-def]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Counting.hits = []
    try:
        href = f"http://127.0.0.1:{server.server_address[1]}/taxonomie/jaarrekening.xsd"
        files = [
            upload("r.xml", sample_xml(kbo=AALST_KBO)),
            upload("r.xbrl", sample_xbrl(kbo=AALST_KBO, schema_ref=href)),
        ]
        report = _checked(bbcdr_clerk, municipality, files)
    finally:
        server.shutdown()
    assert _Counting.hits == []
    assert report.check_status == Report.Check.WARNINGS
    assert any("taxonomie niet offline beschikbaar" in t and href in t for t in _texts(report))
