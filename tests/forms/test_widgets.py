"""The Loket's own display types: what each shows, and exactly which triples it writes (as the real widgets do)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from loket.forms.collect import collect_post
from loket.forms.loader import load_form_text
from loket.forms.model import FormDefinition
from loket.forms.names import FIELDS_MARKER, field_name
from loket.forms.paths import DataContext
from loket.forms.rdfio import literal
from loket.forms.render import render_form
from loket.forms.vocabulary import DISPLAY, LBLOD_BESLUIT, SCHEMA
from loket.forms.widgets import BESLUIT, DCT, DOCUMENTS_SCHEME, ELI, MANDAAT

from .conftest import PREFIXES, turtle

EX = "http://example.org/"
DOC = URIRef(EX + "doc")
FIELD = URIRef(EX + "x")


def form_with(field: str, extra: str = "") -> FormDefinition:
    return load_form_text(
        PREFIXES
        + "@prefix eli: <http://data.europa.eu/eli/ontology#> .\n"
        + "@prefix lb: <http://lblod.data.gift/vocabularies/besluit/> .\n"
        + "@prefix fo: <http://lblod.data.gift/vocabularies/form-field-options/> .\n"
        + "@prefix dr: <http://data.lblod.info/form-fields/date-range/> .\n"
        + 'ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .\nex:x sh:name "Veld" ; sh:order 1 ; '
        + field
        + " .\n"
        + extra
    )


def post(definition: FormDefinition, context: DataContext, values: dict[str, object]) -> None:
    name = field_name(FIELD, DOC)
    data = {FIELDS_MARKER: [name]} | {name + key: value for key, value in values.items()}
    collect_post(definition, context, DOC, data)


def triples(context: DataContext) -> set[tuple]:
    return set(context.source)


def test_opcentiem_writes_a_tax_rate_with_prices_then_differentiation_replaces_it():
    definition = form_with(
        "sh:path ( lb:taxRate <http://schema.org/price> ) ; form:displayType displayTypes:vLabelOpcentiem"
    )
    context = DataContext(source=turtle(""))
    html = render_form(definition, context, DOC)
    assert "Vink aan indien er sprake is van differentiatie" in html
    assert html.count('aria-labelledby="id-' + field_name(FIELD, DOC) + '-amount"') == 1  # one empty amount row

    post(definition, context, {"": ["12,5", " 7 ", ""]})
    rates = list(context.source.objects(DOC, LBLOD_BESLUIT.taxRate))
    assert len(rates) == 1 and str(rates[0]).startswith("http://data.lblod.info/tax-rates/")
    assert triples(context) == {
        (DOC, LBLOD_BESLUIT.taxRate, rates[0]),
        (rates[0], RDF.type, LBLOD_BESLUIT.TaxRate),
        (rates[0], SCHEMA.price, Literal("12,5")),
        (rates[0], SCHEMA.price, Literal("7")),
    }
    html = render_form(definition, context, DOC)
    assert 'value="12,5"' in html and 'value="7"' in html
    assert "Vink aan indien" not in html  # amounts exclude differentiation, as in the real widget

    post(definition, context, {"": [""], "__differentiatie": "1"})
    assert triples(context) == {(DOC, LBLOD_BESLUIT.hasAdditionalTaxRate, literal("1", XSD.boolean))}
    html = render_form(definition, context, DOC)
    assert 'value="1" checked' in html and "Bedrag" not in html

    post(definition, context, {"": ["3"]})
    rate = context.source.value(DOC, LBLOD_BESLUIT.taxRate)
    assert context.source.value(DOC, LBLOD_BESLUIT.hasAdditionalTaxRate) == literal("0", XSD.boolean)
    assert context.source.value(rate, SCHEMA.price) == Literal("3")


def test_date_range_writes_both_ends_as_iso_strings_in_utc():
    definition = form_with(
        "form:displayType displayTypes:dateRange ; dr:from [ sh:path ex:from ] ; dr:to [ sh:path ex:to ]"
    )
    context = DataContext(source=turtle(""))
    post(definition, context, {"__from": "2024-03-01", "__to": "2024-03-31"})
    assert triples(context) == {
        (DOC, URIRef(EX + "from"), Literal("2024-02-29T23:00:00.000Z")),
        (DOC, URIRef(EX + "to"), Literal("2024-03-31T21:59:59.059Z")),  # summer time began that night
    }
    html = render_form(definition, context, DOC)
    assert 'value="2024-03-01"' in html and 'value="2024-03-31"' in html
    post(definition, context, {"__from": "2024-03-01", "__to": ""})
    assert triples(context) == set()  # half a range is no range


def test_governing_body_selector_copies_the_organ_facts_and_removes_them_with_the_old_choice():
    scheme = "http://data.lblod.info/concept-schemes/481c03f0-d07f-424e-9c2b-8d4cfb141c72"
    definition = form_with(
        "sh:path eli:passed_by ; form:displayType displayTypes:bestuursorgaanSelector ; "
        f'form:options """{{"conceptScheme":"{scheme}"}}"""'
    )
    meta = turtle(
        f"""@prefix m: <http://data.vlaanderen.be/ns/mandaat#> . @prefix b: <http://data.vlaanderen.be/ns/besluit#> .
        ex:raad2019 skos:inScheme <{scheme}> ; skos:prefLabel "Gemeenteraad (2019 - 2024)" ;
          m:isTijdspecialisatieVan ex:raad .
        ex:cbs2025 skos:inScheme <{scheme}> ; skos:prefLabel "College (2025 - heden)" ;
          m:isTijdspecialisatieVan ex:cbs .
        ex:raad b:classificatie ex:c-raad ; b:bestuurt ex:gemeente .
        ex:cbs b:classificatie ex:c-cbs ; b:bestuurt ex:gemeente .
        ex:gemeente b:classificatie ex:c-gemeente ."""
    )
    context = DataContext(source=turtle(""), meta=meta)
    html = render_form(definition, context, DOC)
    assert html.index("College (2025 - heden)") < html.index("Gemeenteraad (2019 - 2024)")
    post(definition, context, {"": EX + "raad2019"})
    e = lambda n: URIRef(EX + n)  # noqa: E731
    assert triples(context) == {
        (DOC, ELI.passed_by, e("raad2019")),
        (e("raad2019"), MANDAAT.isTijdspecialisatieVan, e("raad")),
        (e("raad"), BESLUIT.classificatie, e("c-raad")),
        (e("raad"), BESLUIT.bestuurt, e("gemeente")),
        (e("gemeente"), BESLUIT.classificatie, e("c-gemeente")),
    }
    post(definition, context, {"": EX + "cbs2025"})
    assert triples(context) == {
        (DOC, ELI.passed_by, e("cbs2025")),
        (e("cbs2025"), MANDAAT.isTijdspecialisatieVan, e("cbs")),
        (e("cbs"), BESLUIT.classificatie, e("c-cbs")),
        (e("cbs"), BESLUIT.bestuurt, e("gemeente")),
        (e("gemeente"), BESLUIT.classificatie, e("c-gemeente")),
    }
    post(definition, context, {"": EX + "someone-elses-organ"})
    assert triples(context) == set()


DOCUMENTS = f"""ex:d1 skos:inScheme <{DOCUMENTS_SCHEME}> ; skos:prefLabel "Budget 2024" .
ex:d2 skos:inScheme <{DOCUMENTS_SCHEME}> ; skos:prefLabel "Jaarrekening 2023" .
ex:t1 skos:inScheme <http://lblod.data.gift/concept-schemes/71e6455e-1204-46a6-abf4-87319f58eaa5> ;
  skos:prefLabel "Budget" ."""


def test_decision_documents_relate_only_documents_the_body_was_offered():
    definition = form_with("sh:path dct:relation ; form:displayType displayTypes:decisionDocuments")
    context = DataContext(source=turtle("ex:doc dct:relation ex:submission-link ."), meta=turtle(DOCUMENTS))
    html = render_form(definition, context, DOC)
    assert 'type="checkbox"' in html and "Budget 2024" in html and "Jaarrekening 2023" in html
    post(definition, context, {"": [EX + "d1", EX + "d2", EX + "not-offered"]})
    assert set(context.source.objects(DOC, DCT.relation)) == {
        URIRef(EX + "d1"),
        URIRef(EX + "d2"),
        URIRef(EX + "submission-link"),  # a relation the widget did not offer is left alone
    }


def test_decision_articles_write_ordered_articles_and_remove_emptied_rows():
    definition = form_with("sh:path eli:has_part ; form:displayType displayTypes:decisionArticles")
    context = DataContext(source=turtle(""), meta=turtle(DOCUMENTS))
    html = render_form(definition, context, DOC)
    assert "Artikel 1" in html and "Artikel 2" not in html and "Type document" in html
    post(definition, context, {"__doc__1": EX + "d2", "__type__1": EX + "t1", "__article__1": ""})
    article = context.source.value(DOC, ELI.has_part)
    assert str(article).startswith("http://data.lblod.info/artikels/")
    assert set(context.source.triples((article, None, None))) == {
        (article, RDF.type, BESLUIT.Artikel),
        (article, SH.order, literal("0", XSD.integer)),
        (article, ELI.refers_to, URIRef(EX + "d2")),
        (article, ELI.type_document, URIRef(EX + "t1")),
    }
    html = render_form(definition, context, DOC)
    assert "Artikel 2" in html and f'value="{article}"' in html
    post(definition, context, {"__doc__1": "", "__article__1": str(article), "__doc__2": ""})
    assert triples(context) == set()


def test_decision_articles_ignore_a_row_that_is_no_row_number():
    definition = form_with("sh:path eli:has_part ; form:displayType displayTypes:decisionArticles")
    context = DataContext(source=turtle(""), meta=turtle(DOCUMENTS))
    wrong = {f"__doc__{row}": EX + "d1" for row in ("²", "1½", "x", "9" * 5000)}  # "²" passes str.isdigit, not int()
    post(definition, context, {**wrong, "__doc__2": EX + "d2"})
    (article,) = context.source.objects(DOC, ELI.has_part)
    assert context.source.value(article, ELI.refers_to) == URIRef(EX + "d2")


def test_decision_articles_without_document_type_when_the_field_says_so():
    definition = form_with(
        "sh:path eli:has_part ; form:displayType displayTypes:decisionArticles ; "
        'fo:exclude-type_document "true"^^xsd:boolean'
    )
    context = DataContext(source=turtle(""), meta=turtle(DOCUMENTS))
    assert "Type document" not in render_form(definition, context, DOC)
    post(definition, context, {"__doc__1": EX + "d1", "__type__1": EX + "t1"})
    article = context.source.value(DOC, ELI.has_part)
    assert context.source.value(article, ELI.type_document) is None
    assert context.source.value(article, ELI.refers_to) == URIRef(EX + "d1")


def test_instance_selector_offers_instances_of_the_target_type():
    definition = form_with(
        "sh:path ex:person ; form:displayType displayTypes:instanceSelector ; form:targetType ex:Person ; "
        "form:instanceLabelProperty ex:name"
    )
    meta = turtle('ex:p1 a ex:Person ; ex:name "Ann" . ex:p2 a ex:Person ; ex:name "Bart" . ex:o a ex:Other .')
    context = DataContext(source=turtle(""), meta=meta)
    html = render_form(definition, context, DOC)
    assert (
        '<option value="http://example.org/p1">Ann</option><option value="http://example.org/p2">Bart</option>' in html
    )
    assert "http://example.org/o" not in html
    post(definition, context, {"": [EX + "p2"]})
    assert triples(context) == {(DOC, URIRef(EX + "person"), URIRef(EX + "p2"))}
    post(definition, context, {"": [EX + "o"]})
    assert triples(context) == set()


def test_unknown_display_type_is_shown_read_only_with_a_note_and_never_written():
    definition = form_with("sh:path ex:p ; form:displayType displayTypes:personSelector")
    assert any("personSelector" in warning for warning in definition.warnings)  # loaded, with a warning
    unknown = DISPLAY.personSelector
    context = DataContext(source=turtle('ex:doc ex:p "Jan Peeters" .'))
    html = render_form(definition, context, DOC)
    assert "<li>Jan Peeters</li>" in html
    assert f"Dit veld (weergavetype {unknown}) kan het Loket hier nog niet bewerken" in html
    assert html.count("<input") == 1 and 'type="hidden" name="__fields"' in html  # nothing to type in
    post(definition, context, {"": "iets anders"})
    assert triples(context) == {(DOC, URIRef(EX + "p"), Literal("Jan Peeters"))}


def test_an_alert_shows_its_text_as_html_as_the_real_widget_does():
    definition = form_with('form:displayType displayTypes:alert ; sh:name "<strong>Let op:</strong> niet dubbel"')
    html = render_form(definition, DataContext(source=turtle("")), DOC)
    assert '<div class="form-alert-text"><strong>Let op:</strong> niet dubbel</div>' in html
