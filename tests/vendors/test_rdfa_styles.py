"""The import reads pages annotated in every style the vendor documentation (lblod/pages-vendors) shows, through
the real pipeline: prefix or vocab, property and typeof on one element or nested, about or resource, snippets
without <html>, relative and absolute IRIs (also against <base>), attachments (eli:related_to, dct:source, the
rev="dct:isPartOf" form), documents typed by their publication type (typeof or dct:type, also with the
documentation's prefix that lacks its final slash). Issue 11, the RDFa processor section."""

import datetime

import pytest

from loket.supervision.models import Submission
from loket.vendors.models import Job
from loket.vendors.rdfa import rdfa_graph
from tests.vendors.conftest import BODY_F7460, CONCEPT, body_for, post

pytestmark = pytest.mark.django_db
BUDGET_TYPE = "https://data.vlaanderen.be/id/concept/BesluitType/40831a2c-771d-4b41-9720-0399998f1873"
LIST_TYPE = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"
PREFIXES = (
    "eli: http://data.europa.eu/eli/ontology# prov: http://www.w3.org/ns/prov# "
    "besluit: http://data.vlaanderen.be/ns/besluit# dct: http://purl.org/dc/terms/ foaf: http://xmlns.com/foaf/0.1/ "
    "besluittype: https://data.vlaanderen.be/id/concept/BesluitType/"
)
SESSION = (
    '<div typeof="besluit:Zitting" resource="http://data.example.be/zittingen/1">'
    '<span property="prov:startedAtTime" content="2020-05-26T17:30:00.000Z" datatype="xsd:dateTime">26 mei</span>'
    "</div>"
)


def _html(body: str) -> str:
    head = '<head><meta charset="utf-8"><title>Besluit</title></head>'
    return f'<!DOCTYPE html><html lang="nl">{head}<body>{body}</body></html>'


# style → (page text with {doc} for the decision's IRI as written, how the decision's IRI is resolved)
STYLES = {
    "prefix, typeof and properties nested": _html(
        f'<div prefix="{PREFIXES}">{SESSION}'
        '<div resource="{doc}" typeof="besluit:Besluit besluittype:40831a2c-771d-4b41-9720-0399998f1873">'
        f'<h2 property="eli:title">Budget 2020</h2><span property="eli:passed_by" resource="{BODY_F7460}">raad</span>'
        "</div></div>"
    ),
    "vocab instead of prefixes": _html(
        '<div vocab="http://data.europa.eu/eli/ontology#">'
        '<div resource="{doc}" typeof="http://data.vlaanderen.be/ns/besluit#Besluit '
        f'{BUDGET_TYPE}"><h2 property="title">Budget 2020</h2><a property="passed_by" href="{BODY_F7460}">raad</a>'
        "</div></div>"
    ),
    "property and typeof on one element": _html(
        f'<div prefix="{PREFIXES}" resource="http://data.example.be/behandelingen/1" '
        'typeof="besluit:BehandelingVanAgendapunt">'
        '<div property="prov:generated" resource="{doc}" typeof="besluit:Besluit besluittype:'
        '40831a2c-771d-4b41-9720-0399998f1873"><h2 property="eli:title" datatype="xsd:string">Budget 2020</h2>'
        f'<span property="eli:passed_by" resource="{BODY_F7460}" typeof="besluit:Bestuursorgaan">raad</span>'
        "</div></div>"
    ),
    "about and rel": _html(
        f'<div prefix="{PREFIXES}" about="{{doc}}" typeof="besluit:Besluit">'
        f'<span rel="rdf:type" resource="{BUDGET_TYPE}"></span>'
        f'<a rel="eli:passed_by" href="{BODY_F7460}">de gemeenteraad</a><span property="eli:title">Budget</span>'
        "</div>"
    ),
    "a snippet without html, head or body": (
        f'<div prefix="{PREFIXES}" property="prov:generated" resource="{{doc}}" '
        f'typeof="besluit:Besluit {BUDGET_TYPE}"><h4 property="eli:title">Budget 2020</h4>'
        f'<span property="eli:passed_by" resource="{BODY_F7460}"></span></div>'
    ),
    "documents typed by publication type, prefix without its final slash": (
        '<div prefix="prov: http://www.w3.org/ns/prov# eli: http://data.europa.eu/eli/ontology# '
        'besluitDocumentType: https://data.vlaanderen.be/id/concept/BesluitDocumentType"/>'
        '<div resource="{doc}" typeof="foaf:Document besluitDocumentType:3fa67785-ffdc-4b30-8880-2b99d97b4dee">'
        f'<span property="eli:passed_by" resource="{BODY_F7460}"></span>'
        '<div property="prov:value">Besluitenlijst</div></div></div>'
    ),
    "documents typed by dct:type": _html(
        f'<div prefix="{PREFIXES}"><div typeof="foaf:Document" resource="{{doc}}">'
        f'<span property="dct:type" resource="{LIST_TYPE}">Besluitenlijst</span>'
        f'<span property="eli:passed_by" resource="{BODY_F7460}"></span></div></div>'
    ),
}


@pytest.fixture
def imported(client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker):  # type: ignore[no-untyped-def]
    def run(path: str, html: str, resource: str) -> tuple[Job, Submission | None]:
        href = pages.serve(path, html)
        response = post(client, "/melding", body_for(municipality, href=href, resource=resource, status=CONCEPT))
        assert response.status_code == 201, response.content
        run_worker()
        job = Job.objects.get(submitted_resource=resource)
        return job, Submission.objects.filter(uuid=job.submission_uuid).first()

    return run


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("written", ["absolute", "relative"])
def test_every_documented_style_is_imported(imported, pages, style, written):
    path = "/stijlen/pagina"
    resource = pages.url("/stijlen/besluiten/1") if written == "relative" else "http://data.example.be/besluiten/1"
    html = STYLES[style].replace("{doc}", "besluiten/1" if written == "relative" else resource)
    job, submission = imported(path, html, resource)
    assert job.status == "success", job.error_message
    expected_type = LIST_TYPE if "typed by" in style else BUDGET_TYPE
    assert submission.document_type.uri == expected_type
    assert submission.governing_body is not None and submission.governing_body.uri == BODY_F7460
    if "nested" in style:
        assert submission.session_date == datetime.date(2020, 5, 26)


def test_relative_iris_resolve_against_base(imported):
    html = _html(
        f'<base href="http://data.example.be/"><div prefix="{PREFIXES}"><div resource="besluiten/8" '
        f'typeof="besluit:Besluit {BUDGET_TYPE}"><span property="eli:passed_by" resource="{BODY_F7460}"></span>'
        "</div></div>"
    )
    job, submission = imported("/met-base", html, "http://data.example.be/besluiten/8")
    assert job.status == "success", job.error_message
    assert submission.submitted_resource == "http://data.example.be/besluiten/8"


def test_attachments_in_every_documented_form(imported, pages):
    for name in ("bijlage-1.pdf", "bijlage-2.pdf", "bijlage-3.pdf"):
        pages.serve(f"/stijlen/{name}", b"%PDF-1.7\n" + name.encode(), "application/pdf")
    html = _html(
        f'<div prefix="{PREFIXES}"><div resource="http://data.example.be/besluiten/9" '
        f'typeof="besluit:Besluit {BUDGET_TYPE}"><span property="eli:passed_by" resource="{BODY_F7460}"></span>'
        '<a property="eli:related_to" href="bijlage-1.pdf" typeof="foaf:Document">bestek</a>'
        '<a rev="dct:isPartOf" property="eli:related_to" href="bijlage-2.pdf" typeof="foaf:Document">onderdeel</a>'
        f'<a property="dct:source" href="{pages.url("/stijlen/bijlage-3.pdf")}">bron</a>'
        "</div></div>"
    )
    job, submission = imported("/stijlen/met-bijlagen", html, "http://data.example.be/besluiten/9")
    assert job.status == "success", job.error_message
    fetched = sorted(path for _m, path, _h in pages.requests if path.endswith(".pdf"))
    assert fetched == ["/stijlen/bijlage-1.pdf", "/stijlen/bijlage-2.pdf", "/stijlen/bijlage-3.pdf"]
    for name in ("bijlage-1.pdf", "bijlage-2.pdf", "bijlage-3.pdf"):
        assert pages.url(f"/stijlen/{name}") in submission.source_ttl
    assert job.tasks.get(operation="import").message == ""


def test_incomplete_data_becomes_a_concept_with_the_reason(imported):
    """The decision is on the page, its governing body is not: a concept for a clerk to complete."""
    html = _html(
        f'<div prefix="{PREFIXES}"><div resource="http://data.example.be/besluiten/10" '
        f'typeof="besluit:Besluit {BUDGET_TYPE}"><h2 property="eli:title">Budget</h2></div></div>'
    )
    job, submission = imported("/onvolledig", html, "http://data.example.be/besluiten/10")
    assert job.status == "success", job.error_message
    assert submission.status == "concept" and submission.governing_body is None
    assert job.tasks.get(operation="validate").message.startswith(
        "Nog niet volledig, blijft een concept dat een medewerker kan aanvullen: "
    )
    assert "Bestuursorgaan" in job.tasks.get(operation="validate").message


def test_a_page_nested_too_deeply_fails_with_a_message(imported):
    html = _html("<div>" * 5000 + "</div>" * 5000)
    job, submission = imported("/diep", html, "http://data.example.be/besluiten/11")
    assert job.status == "failed" and submission is None
    assert job.error_message == (
        "De RDFa-annotaties van de pagina werden niet gelezen: de pagina is te diep genest (meer dan 250 elementen "
        "in elkaar). Publiceer het besluit op een eenvoudiger pagina."
    )


def test_language_tags_and_datatypes_are_kept():
    graph = rdfa_graph(
        '<p about="http://x.example/b" property="http://purl.org/dc/terms/title" lang="nl">Titel</p>'
        '<p about="http://x.example/b" property="http://x.example/d" datatype="xsd:date">2020-05-26</p>',
        base="http://x.example/pagina",
    )
    values = sorted((str(o), o.language, str(o.datatype)) for o in graph.objects())
    assert values == [("2020-05-26", None, "http://www.w3.org/2001/XMLSchema#date"), ("Titel", "nl", "None")]
