"""The form engine's HTML, pinned byte for byte: every form the project ships (the Toezicht forms v1 and v2, the
example form, the subsidy forms) and a form with every display type (`data/every-widget.ttl`), each empty, filled
with realistic data (values with <, >, &, quotes and non-ASCII), and with validation errors shown, in Dutch and in
English. The golden files in `golden/` were written by the template-based renderer; any other renderer must
produce the same bytes.

Rewrite them (only when a change of the output is intended, and read the diff):
`LOKET_WRITE_GOLDEN=1 .venv/bin/python -m pytest tests/forms/test_render_golden.py`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from rdflib import BNode, Graph, Literal, URIRef

from loket.forms.decide import applicable_fields
from loket.forms.loader import load_form, load_form_text
from loket.forms.model import Field, FormDefinition
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_file
from loket.forms.render import render_form
from loket.forms.validate import FormReport, validate_form
from loket.forms.vocabulary import DISPLAY, NFO, NIE, RDF, SH, SKOS, XSD
from loket.forms.widgets import (
    ADDITIONAL_TAX_RATE,
    BESLUIT,
    DOCUMENT_TYPE_SCHEME,
    DOCUMENTS_SCHEME,
    ELI,
    MANDAAT,
    TAX_RATE_PATH,
    range_paths,
)

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
SRC = Path(settings.REPO_DIR) / "src" / "loket"
TOEZICHT = SRC / "supervision" / "forms_data"
CODELISTS = Path(settings.REPO_DIR) / "data" / "codelists"
NODE = URIRef("http://data.lblod.info/form-data/00000000-0000-4000-8000-000000000001")
W = "http://example.org/w/"
# Text a clerk may type: markup characters, both quotes, an entity-like run, non-ASCII (also outside the BMP).
NASTY = 'Zoë\'s <b>besluit</b> & "quotes" — &amp; café ∑ 𝔘'
GOVERNING_BODY_SCHEME = URIRef("http://data.lblod.info/loket/concept-schemes/bestuursorganen-van-het-bestuur")
ORGANS_IN_TIME_SCHEME = URIRef("http://data.lblod.info/concept-schemes/481c03f0-d07f-424e-9c2b-8d4cfb141c72")
KIND_OF_BODY = URIRef("http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000001")


# -- the code lists and the body's own part of the meta graph (as supervision.form.meta_graph makes it) ----------
def toezicht_meta() -> Graph:
    meta = Graph(bind_namespaces="core")
    for name in ("document-types.ttl", "toezicht-form-codelists.ttl", "legislature-periods.ttl"):
        parse_turtle_file(CODELISTS / name, meta)
    body = URIRef("http://data.lblod.info/id/bestuurseenheden/golden")
    meta.add((body, BESLUIT.classificatie, KIND_OF_BODY))
    years = sorted(int(str(y)) for y in meta.objects(None, URIRef("http://lblod.data.gift/vocabularies/lmb/startYear")))
    for number, label in enumerate(["Gemeenteraad <Zoë> & co", "College van burgemeester en schepenen"], start=1):
        organ = URIRef(f"http://data.lblod.info/id/bestuursorganen/golden-{number}")
        meta.add((organ, RDF.type, SKOS.Concept))
        meta.add((organ, SKOS.inScheme, GOVERNING_BODY_SCHEME))
        meta.add((organ, SKOS.prefLabel, Literal(label)))
        meta.add((organ, BESLUIT.classificatie, URIRef(f"http://example.org/organ-kind/{number}")))
        meta.add((organ, BESLUIT.bestuurt, body))
        for year in (y for y in years if y >= 2019):
            in_time = URIRef(f"{organ}/{year}")
            meta.add((in_time, RDF.type, SKOS.Concept))
            meta.add((in_time, SKOS.inScheme, ORGANS_IN_TIME_SCHEME))
            meta.add((in_time, SKOS.prefLabel, Literal(f"{label} ({year} - heden)")))
            meta.add((in_time, MANDAAT.isTijdspecialisatieVan, organ))
    for number, label in enumerate(["Besluitenlijst — 2026-01-05", 'Notulen <vorige> & "oude"'], start=1):
        document = URIRef(f"http://data.lblod.info/form-data/golden-document-{number}")
        meta.add((document, SKOS.inScheme, DOCUMENTS_SCHEME))
        meta.add((document, SKOS.prefLabel, Literal(label)))
    return meta


def every_widget_meta() -> Graph:
    meta = toezicht_meta()
    for number, label in enumerate(["Alfa <a>", 'Bèta & "b"', "Gamma"], start=1):
        concept = URIRef(f"{W}kind/{number}")
        meta.add((concept, SKOS.inScheme, URIRef(W + "kinds")))
        meta.add((concept, SKOS.prefLabel, Literal(label)))
        thing = URIRef(f"{W}thing/{number}")
        meta.add((thing, RDF.type, URIRef(W + "Thing")))
        meta.add((thing, SKOS.prefLabel, Literal(f"Ding {label}")))
        meta.add((thing, URIRef("http://schema.org/name"), Literal(f"Naam {label}")))
        organ = URIRef(f"{W}organ/{number}")
        meta.add((organ, SKOS.inScheme, URIRef(W + "organs")))
        meta.add((organ, SKOS.prefLabel, Literal(f"Orgaan {label}")))
    return meta


def example_meta() -> Graph:
    meta = Graph(bind_namespaces="core")
    for scheme, labels in {
        "types": ["Besluitenlijst", "Reglement <en> verordening"],
        "themes": ["Cultuur & sport", "Wonen", 'Zorg — "welzijn"'],
        "authenticity": ["Authentiek", "Kopie"],
    }.items():
        for number, label in enumerate(labels, start=1):
            concept = URIRef(f"http://example.org/concepts/{scheme}/{number}")
            meta.add((concept, SKOS.inScheme, URIRef(f"http://example.org/schemes/{scheme}")))
            meta.add((concept, SKOS.prefLabel, Literal(label)))
            meta.add((concept, URIRef("http://purl.org/linked-data/cube#order"), Literal(10 - number)))
    return meta


# -- filling a form as a clerk would: round by round, as conditional groups open --------------------------------
class Filler:
    def __init__(self, definition: FormDefinition, meta: Graph, *, invalid: bool = False) -> None:
        self.definition, self.meta, self.invalid = definition, meta, invalid
        self.source = Graph(bind_namespaces="core")
        self.count = 0

    def mint(self, kind: str) -> URIRef:
        self.count += 1
        return URIRef(f"http://data.lblod.info/golden/{kind}/{self.count}")

    def fill(self, node: URIRef, types: tuple[str, ...] = ()) -> Graph:
        for kind in types:
            self.source.add((node, RDF.type, URIRef(kind)))
        done: set[URIRef] = set()
        for _round in range(4):
            context = DataContext(source=self.source, meta=self.meta)
            for field in applicable_fields(self.definition, context, node):
                if field.node in done or field.is_hidden or field.listing is not None or field.scope is not None:
                    continue
                done.add(field.node)
                self.fill_field(field, node)
        return self.source

    def parent(self, node: URIRef, field: Field) -> URIRef:
        current = node
        for step in field.path[:-1]:
            found = self.source.value(current, step.predicate) if not step.inverse else None
            if found is None:
                found = self.mint("part")
                self.source.add((current, step.predicate, found))
            current = found
        return current

    def add(self, node: URIRef, field: Field, *values) -> None:  # type: ignore[no-untyped-def]
        if not field.path:
            return
        parent, step = self.parent(node, field), field.path[-1]
        for value in values:
            self.source.add((value, step.predicate, parent) if step.inverse else (parent, step.predicate, value))

    def concepts(self, field: Field, count: int) -> list[URIRef]:
        found = sorted(self.meta.subjects(SKOS.inScheme, field.concept_scheme), key=str) if field.concept_scheme else []
        return found[-count:]

    def fill_field(self, field: Field, node: URIRef) -> None:
        display, number = field.display_type, self.count
        bad = self.invalid
        if field.path and field.path[-1].predicate == RDF.type:
            return  # the document type: set by the case
        if display in {DISPLAY.conceptSchemeSelector, DISPLAY.conceptSchemeRadioButtons}:
            self.add(node, field, *([URIRef("http://example.org/not-in-the-list")] if bad else self.concepts(field, 1)))
        elif display in {DISPLAY.conceptSchemeMultiSelector, DISPLAY.conceptSchemeMultiSelectCheckboxes}:
            self.add(node, field, *self.concepts(field, 2))
        elif display == DISPLAY.bestuursorgaanSelector:
            organs = sorted(self.meta.subjects(SKOS.inScheme, field.concept_scheme or ORGANS_IN_TIME_SCHEME), key=str)
            self.add(node, field, *organs[:1])
        elif display in {DISPLAY.instanceSelector, DISPLAY.instanceMultiSelector}:
            things = sorted(self.meta.subjects(RDF.type, URIRef(W + "Thing")), key=str)
            self.add(node, field, *(things[:2] if display == DISPLAY.instanceMultiSelector else things[:1]))
        elif display == DISPLAY.decisionDocuments:
            self.add(node, field, *sorted(self.meta.subjects(SKOS.inScheme, DOCUMENTS_SCHEME), key=str)[:1])
        elif display == DISPLAY.decisionArticles:
            documents = sorted(self.meta.subjects(SKOS.inScheme, DOCUMENTS_SCHEME), key=str)
            types = sorted(self.meta.subjects(SKOS.inScheme, DOCUMENT_TYPE_SCHEME), key=str)
            for order in (2, 1):
                article = self.mint("artikel")
                self.add(node, field, article)
                self.source.add((article, RDF.type, BESLUIT.Artikel))
                self.source.add((article, SH.order, Literal(order)))
                self.source.add((article, ELI.refers_to, documents[order - 1]))
                self.source.add((article, ELI.type_document, types[order]))
        elif display == DISPLAY.vLabelOpcentiem:
            rate = self.mint("tax-rate")
            self.source.add((node, TAX_RATE_PATH[0].predicate, rate))
            for price in ("12,5", "7 <x>" if bad else "7"):
                self.source.add((rate, TAX_RATE_PATH[1].predicate, Literal(price)))
        elif display == DISPLAY.dateRange:
            start, end = range_paths(self.definition.graph, field)
            if start is not None and end is not None:
                self.source.add((node, start, Literal("2025-12-31T23:00:00.000Z")))
                self.source.add((node, end, Literal("2026-06-30T21:59:59.059Z")))
        elif display is not None and "files" in str(display):
            for index in (2, 1):
                file = URIRef(f"http://data.lblod.info/files/golden-{number}-{index}")
                self.add(node, field, file)
                self.source.add((file, RDF.type, NFO.FileDataObject))
                self.meta.add((file, NFO.fileName, Literal(f'besluit {index} <def> & "échte".pdf')))
        elif display is not None and "remoteUrls" in str(display):
            link = URIRef(f"http://data.lblod.info/remote-urls/golden-{number}")
            self.add(node, field, link)
            self.source.add((link, RDF.type, NFO.RemoteDataObject))
            url = "javascript:alert(1)" if bad else 'https://example.org/besluit?a=1&b="2"&c=<3>'
            self.source.add((link, NIE.url, Literal(url)))
        elif display in {DISPLAY.date, DISPLAY.datePicker}:
            self.add(node, field, Literal("2026-13-45 <x>") if bad else Literal("2026-03-15", datatype=XSD.date))
        elif display == DISPLAY.dateTime:
            self.add(
                node, field, Literal("gisteren <x>") if bad else Literal("2026-03-15T10:30:00Z", datatype=XSD.dateTime)
            )
        elif display == DISPLAY.numericalInput:
            self.add(node, field, Literal("12,5 <x>") if bad else Literal("42", datatype=XSD.integer))
        elif display == DISPLAY.currencyInput:
            self.add(node, field, Literal("1.234,56 & <€>") if bad else Literal("1234.56", datatype=XSD.decimal))
        elif display in {DISPLAY.checkbox, DISPLAY.switch}:
            self.add(node, field, Literal("true", datatype=XSD.boolean))
        elif display in {DISPLAY.heading, DISPLAY.alert}:
            return
        else:  # text inputs, text areas, unknown display types
            text = NASTY + ("\nTweede regel\t& meer" if display == DISPLAY.textArea else "")
            self.add(node, field, Literal(text * 3 if bad else text))


def every_widget_data(definition: FormDefinition, meta: Graph, *, invalid: bool) -> Graph:
    filler = Filler(definition, meta, invalid=invalid)
    source = filler.fill(NODE)
    source.add((NODE, URIRef(W + "unknown"), Literal("tweede <waarde>")))
    for index, email in enumerate(["a@example.org", "niet <een> adres" if invalid else "b@example.org"], start=1):
        point = URIRef(f"http://data.lblod.info/golden/contact/{index}")
        source.add((NODE, URIRef("http://schema.org/contactPoint"), point))
        source.add((point, URIRef("http://schema.org/email"), Literal(email)))
        if invalid and index == 2:
            source.remove((point, URIRef("http://schema.org/email"), None))
    source.add((NODE, ADDITIONAL_TAX_RATE[0].predicate, Literal("false", datatype=XSD.boolean)))
    return source


# -- the cases -------------------------------------------------------------------------------------------------
@dataclass
class Case:
    definition: FormDefinition
    context: DataContext
    node: URIRef
    report: FormReport | None


def _toezicht(name: str, english: bool = False) -> FormDefinition:
    text = (TOEZICHT / name).read_text(encoding="utf-8")
    if english:
        text += "\n" + (TOEZICHT / name.replace(".ttl", ".en.ttl")).read_text(encoding="utf-8")
    return load_form_text(text, source=name)


def _case(definition: FormDefinition, meta: Graph, state: str, types: tuple[str, ...] = ()) -> Case:
    if state == "empty":
        source = Graph(bind_namespaces="core")
        for kind in types:
            source.add((NODE, RDF.type, URIRef(kind)))
    else:
        source = Filler(definition, meta, invalid=state == "invalid").fill(NODE, types)
    context = DataContext(source=source, meta=meta)
    report = validate_form(definition, context, NODE) if state in {"errors", "invalid"} else None
    return Case(definition, context, NODE, report)


DOCUMENT_TYPE = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/"
DECISION_TYPE = "https://data.vlaanderen.be/id/concept/BesluitType/"
BESLUITENLIJST = DOCUMENT_TYPE + "3fa67785-ffdc-4b30-8880-2b99d97b4dee"
V2_TYPES = {  # the load test's type, and types chosen so that every display type of the v2 form is rendered
    "besluitenlijst": (BESLUITENLIJST,),
    "belastingreglement": (
        DECISION_TYPE + "67378dd0-5413-474b-8996-d992ef81637a",
        DECISION_TYPE + "efa4ec5a-b006-453f-985f-f986ebae11bc",
    ),
    "lekp-rapport": (DOCUMENT_TYPE + "275b452e-8e9e-40c5-a1e1-4a34a9f04e62",),
    "meerjarenplan": (DECISION_TYPE + "2f189152-1786-4b55-a3a9-d7f06de63f1c",),
    "budget-representatief-orgaan": (DOCUMENT_TYPE + "18833df2-8c9e-4edd-87fd-b5c252337349",),
    "inlichtingen-eredienst": (DOCUMENT_TYPE + "24743b26-e0fb-4c14-8c82-5cd271289b0e",),
    "samenvoeging": (DECISION_TYPE + "95c671c2-3ab7-43e2-a90d-9b096c84bfe7",),
}

CASES: dict[str, Callable[[str], Case]] = {}


def _register() -> None:
    for state in ("empty", "errors", "filled", "invalid"):
        CASES[f"every-widget-{state}"] = lambda s, st=state: _every_widget(st)
        CASES[f"example-{state}"] = lambda s, st=state: _case(
            load_form(SRC / "forms" / "examples" / "voorbeeld-toezicht.ttl"), example_meta(), st
        )
        CASES[f"toezicht-v1-{state}"] = lambda s, st=state: _case(
            _toezicht("toezicht-v1.ttl", english=True), toezicht_meta(), st, (BESLUITENLIJST,)
        )
        for form in ("aanvraag-v1", "opvolging-v1"):
            CASES[f"subsidie-{form}-{state}"] = lambda s, st=state, f=form: _case(
                load_form(SRC / "subsidies" / "fixtures" / "forms" / f"{f}.ttl"), Graph(bind_namespaces="core"), st
            )
        for kind, uri in V2_TYPES.items():
            CASES[f"toezicht-v2-{kind}-{state}"] = lambda s, st=state, u=uri: _case(
                _toezicht_v2(), toezicht_meta(), st, u
            )


@functools.cache
def _toezicht_v2() -> FormDefinition:  # 6,000 lines: loaded once for its 28 cases
    return _toezicht("toezicht-v2.ttl")


def _every_widget(state: str) -> Case:
    definition = load_form(DATA / "every-widget.ttl")
    meta = every_widget_meta()
    if state == "empty":
        source = Graph(bind_namespaces="core")
    else:
        source = every_widget_data(definition, meta, invalid=state == "invalid")
    if state == "errors":
        source = Graph(bind_namespaces="core")
        source.add((NODE, URIRef("http://schema.org/contactPoint"), BNode("contact")))
    context = DataContext(source=source, meta=meta)
    report = validate_form(definition, context, NODE) if state in {"errors", "invalid"} else None
    return Case(definition, context, NODE, report)


_register()


def _render(case: Case) -> str:
    return str(render_form(case.definition, case.context, case.node, case.report))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_form_html_is_byte_identical_to_the_golden_file(name: str, language: str) -> None:
    with translation.override(language):
        html = _render(CASES[name](language))
    golden = GOLDEN / f"{name}.{language}.html"
    if os.environ.get("LOKET_WRITE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_the_cases_render_every_widget_and_the_tricky_values() -> None:
    """What the golden files are worth: together they show every widget, state and escaping case."""
    seen = "".join(path.read_text(encoding="utf-8") for path in GOLDEN.glob("*.html"))
    for widget in (
        "input", "textarea", "checkbox", "select", "choices", "articles", "opcentiem", "daterange", "files", "urls",
        "heading", "alert", "readonly", "listing",
    ):  # fmt: skip
        assert f"form-field form-field-{widget}" in seen, widget
    for marker in (
        "has-error", "form-warning", "form-summary", "aria-required", "(verplicht: dit of", "(required", " disabled",
        ' lang="fr"', ' lang="nl"', "&lt;b&gt;besluit&lt;/b&gt; &amp; &quot;quotes&quot;", "&amp;amp;", "𝔘",
        'type="search"', 'type="number"', 'type="date"', 'type="datetime-local"', "form-prefix", 'accept=".pdf,.docx"',
        "form-alert-warning", "<h5", "weergavetype http://example.org/display-types/kaart?x=1&amp;y=2",
        "Contactpunt &lt;toevoegen&gt;", "Er zijn nog geen items.", "There are no items yet.", "selected", "checked",
        "<strong>opmaak</strong>", "Help in <em>English</em>", "Hulp met",
    ):  # fmt: skip
        assert marker in seen, marker
