"""Deciding the applicable fields, collecting posted values into the exact triples the widgets write, and
selecting the form data."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from loket.forms.collect import collect_post, date_time_text
from loket.forms.decide import applicable_fields
from loket.forms.names import ACTION, FIELDS_MARKER, field_name
from loket.forms.select import form_data_triples, select_form_data
from loket.forms.validate import validate_form
from loket.forms.vocabulary import MU, NFO, NIE, RPIO_HTTP, SH

from .conftest import DOC

EX = "http://example.org/"
FOAF_DOC = URIRef("http://xmlns.com/foaf/0.1/Document")
EXT = "http://mu.semte.ch/vocabularies/ext/"


def names(fields) -> list[str]:
    return [str(f.node).rsplit("/", 1)[-1] for f in fields]


def f(name: str) -> URIRef:
    return URIRef(EX + "fields/" + name)


def test_fields_depend_on_the_type(mini_form, context_for):
    base = ["heading", "type", "title", "hiddenUrl"]
    assert names(applicable_fields(mini_form, context_for(), DOC)) == base
    besluit = context_for("ex:doc\\/1 a ex:types\\/besluit .")
    assert names(applicable_fields(mini_form, besluit, DOC)) == [*base, "alert", "date", "count", "links", "files"]


def test_conditional_groups_re_evaluated_when_data_changes(mini_form, context_for):
    context = context_for("ex:doc\\/1 a ex:types\\/besluit .")
    assert "date" in names(applicable_fields(mini_form, context, DOC))
    collect_post(mini_form, context, DOC, {field_name(f("type"), DOC): [EX + "types/reglement"]})
    fields = names(applicable_fields(mini_form, context, DOC))
    assert "date" not in fields
    assert "description" in fields


def test_two_types_in_scheme_match_no_conditional_group(mini_form, context_for):
    context = context_for("ex:doc\\/1 a ex:types\\/besluit, ex:types\\/reglement .")
    assert names(applicable_fields(mini_form, context, DOC)) == ["heading", "type", "title", "hiddenUrl"]
    assert validate_form(mini_form, context, DOC).for_field(f("type")).errors == ["Kies een type uit de lijst."]


def test_v2_renders_when(v2_form, context_for):
    person = URIRef("http://example.org/p")
    assert names(applicable_fields(v2_form, context_for(), person)) == ["name", "contactListing"]
    context = context_for('ex:p <http://xmlns.com/foaf/0.1/name> "An" .')
    assert names(applicable_fields(v2_form, context, person)) == ["name", "contactListing", "nickname"]


def post(form, context, values: dict[str, list[str]], node=DOC, **kwargs):
    data = {field_name(f(k) if ":" not in k else URIRef(k), node): v for k, v in values.items()}
    return collect_post(form, context, node, data, **kwargs)


def test_collect_exact_triples(mini_form, context_for):
    context = context_for("ex:doc\\/1 a <http://xmlns.com/foaf/0.1/Document> .")
    post(mini_form, context, {"type": [EX + "types/reglement"], "title": ["  Reglement  "]})
    post(
        mini_form,
        context,
        {
            "description": ["Een omschrijving"],
            "agreed": ["1"],
            "themes": [EX + "themes/a", EX + "themes/b", EX + "not-an-option"],
            "price": ["1.234,50"],
            "session": ["2022-05-09T20:00"],
            "authenticity": [EX + "auth/orig"],
        },
    )
    source = context.source
    value = source.value
    assert set(source.objects(DOC, RDF.type)) == {FOAF_DOC, URIRef(EX + "types/reglement")}
    assert value(DOC, URIRef("http://purl.org/dc/terms/title")) == Literal("Reglement")
    agreed = value(DOC, URIRef(EXT + "agreed"))
    assert (str(agreed), agreed.datatype) == ("1", XSD.boolean)
    assert set(source.objects(DOC, URIRef(EXT + "theme"))) == {URIRef(EX + "themes/a"), URIRef(EX + "themes/b")}
    rate = value(DOC, URIRef(EXT + "taxRate"))
    assert str(rate).startswith("http://data.lblod.info/form-data/nodes/")
    price = value(rate, URIRef("http://schema.org/price"))
    assert (str(price), price.datatype) == ("1234.5", XSD.decimal)
    session = value(DOC, URIRef(EXT + "sessionStart"))
    assert (str(session), session.datatype) == ("2022-05-09T18:00:00.000Z", XSD.dateTime)
    assert value(DOC, URIRef(EXT + "authenticity")) == URIRef(EX + "auth/orig")


def test_numbers_dates_and_booleans(mini_form, context_for):
    context = context_for("ex:doc\\/1 a ex:types\\/besluit .")
    post(mini_form, context, {"count": ["007"], "date": ["2024-02-01"]})
    count = context.source.value(DOC, URIRef(EXT + "articleCount"))
    assert (str(count), count.datatype) == ("7", XSD.integer)
    published = context.source.value(DOC, URIRef("http://data.europa.eu/eli/ontology#date_publication"))
    assert (str(published), published.datatype) == ("2024-02-01", XSD.date)
    post(mini_form, context, {"count": ["drie"]})
    assert context.source.value(DOC, URIRef(EXT + "articleCount")) == Literal("drie")
    post(mini_form, context, {"count": [""]})
    assert context.source.value(DOC, URIRef(EXT + "articleCount")) is None


def test_unchecked_switch_writes_zero_only_after_a_value(mini_form, context_for):
    context = context_for("ex:doc\\/1 a ex:types\\/reglement .")
    name = field_name(f("agreed"), DOC)
    collect_post(mini_form, context, DOC, {FIELDS_MARKER: [name]})
    assert context.source.value(DOC, URIRef(EXT + "agreed")) is None
    collect_post(mini_form, context, DOC, {FIELDS_MARKER: [name], name: ["1"]})
    collect_post(mini_form, context, DOC, {FIELDS_MARKER: [name]})
    assert str(context.source.value(DOC, URIRef(EXT + "agreed"))) == "0"


def test_remote_urls_write_remote_data_objects(mini_form, context_for):
    context = context_for("ex:doc\\/1 a ex:types\\/besluit .")
    changes = post(mini_form, context, {"links": ["https://example.org/a.pdf", ""]})
    remote = context.source.value(DOC, URIRef("http://purl.org/dc/terms/hasPart"))
    assert str(remote).startswith("http://data.lblod.info/remote-url/")
    assert (remote, RDF.type, NFO.RemoteDataObject) in context.source
    assert context.source.value(remote, NIE.url) == Literal("https://example.org/a.pdf")
    assert str(context.source.value(remote, MU.uuid)) == str(remote).rsplit("/", 1)[-1]
    assert context.source.value(remote, RPIO_HTTP.requestHeader) == URIRef(
        "http://data.lblod.info/request-headers/29b14d06-e584-45d6-828a-ce1f0c018a8e"
    )
    assert len(changes.additions) == 5
    post(mini_form, context, {"links": ["https://example.org/a.pdf"]})
    assert context.source.value(DOC, URIRef("http://purl.org/dc/terms/hasPart")) == remote
    changes = post(mini_form, context, {"links": [""]})
    assert (remote, None, None) not in context.source
    assert len(changes.removals) == 5


def test_files_use_the_store_and_keep_list(mini_form, context_for):
    context = context_for("ex:doc\\/1 a ex:types\\/besluit .")
    stored = URIRef("http://data.lblod.info/files/1")
    name = field_name(f("files"), DOC)
    collect_post(mini_form, context, DOC, {}, files={name + "__upload": ["upload"]}, store_file=lambda upload: stored)
    assert context.source.value(DOC, URIRef(EXT + "file")) == stored
    assert (stored, RDF.type, NFO.FileDataObject) in context.source
    collect_post(mini_form, context, DOC, {name: [str(stored)]})
    assert context.source.value(DOC, URIRef(EXT + "file")) == stored
    collect_post(mini_form, context, DOC, {FIELDS_MARKER: [name]})
    assert context.source.value(DOC, URIRef(EXT + "file")) is None


def test_fields_not_announced_are_untouched(mini_form, context_for):
    context = context_for('ex:doc\\/1 <http://purl.org/dc/terms/title> "Blijft" .')
    collect_post(mini_form, context, DOC, {FIELDS_MARKER: ["f-other"]})
    assert str(context.source.value(DOC, URIRef("http://purl.org/dc/terms/title"))) == "Blijft"


def test_select_form_data_covers_applicable_fields_only(mini_form, meta):
    from loket.forms.paths import DataContext
    from loket.forms.rdfio import parse_turtle_file

    from .conftest import DATA

    context = DataContext(source=parse_turtle_file(DATA / "data-besluit.ttl"), meta=meta)
    triples = form_data_triples(mini_form, context, DOC)
    predicates = {str(p).rsplit("/", 1)[-1] for _, p, _ in triples}
    assert "unrelated" not in predicates
    assert len(triples) == 7  # 2 types, title, date, count, hasPart, nie:url (hidden field)
    selected = select_form_data(mini_form, context, DOC)
    assert len(selected) == 7
    assert Literal("2024-02-30", datatype=XSD.date, normalize=False) in set(selected.objects())


def test_selected_form_data_keeps_the_source_prefixes_and_bytes_without_rdflib_defaults(mini_form, meta):
    """The form engine's graphs bind only the core prefixes (`plain_graph`: rdflib's ~30 default binds cost ~2 ms a
    graph); the selected data still carries every prefix its source declared, and writes the same N-Triples as a
    graph with rdflib's defaults."""
    from rdflib import Graph

    from loket.forms.paths import DataContext
    from loket.forms.rdfio import parse_turtle_file, plain_graph, to_turtle

    from .conftest import DATA

    source = parse_turtle_file(DATA / "data-besluit.ttl")
    selected = select_form_data(mini_form, DataContext(source=source, meta=meta), DOC)
    prefixes = dict(selected.namespaces())
    assert "brick" not in prefixes and "brick" not in dict(plain_graph().namespaces())
    assert prefixes["eli"] == URIRef("http://data.europa.eu/eli/ontology#")  # declared by the source's Turtle
    assert prefixes["nie"] == URIRef("http://www.semanticdesktop.org/ontologies/2007/01/19/nie#")
    with_defaults = Graph()
    for triple in selected:
        with_defaults.add(triple)
    assert to_turtle(selected) == to_turtle(with_defaults)


def test_inverse_path_selection(mini_form, context_for):
    context = context_for(
        "ex:doc\\/1 a ex:types\\/reglement . "
        'ex:organ ext:decided ex:doc\\/1 ; <http://purl.org/dc/terms/identifier> "X" .'
    )
    triples = form_data_triples(mini_form, context, DOC)
    assert (URIRef(EX + "organ"), URIRef(EXT + "decided"), DOC) in triples
    assert (URIRef(EX + "organ"), URIRef("http://purl.org/dc/terms/identifier"), Literal("X")) in triples


def test_listing_add_remove_and_validate(v2_form, context_for):
    person = URIRef("http://example.org/p")
    context = context_for("ex:p a <http://xmlns.com/foaf/0.1/Person> .")
    listing = URIRef(EX + "v2/contactListing")
    listing_name = field_name(listing, person)
    changes = collect_post(v2_form, context, person, {ACTION: [f"add:{listing_name}"]})
    item = context.source.value(person, URIRef("http://schema.org/contactPoint"))
    assert str(item).startswith("http://example.org/contact-points/")
    assert (item, RDF.type, URIRef("http://schema.org/ContactPoint")) in context.source
    assert context.source.value(item, MU.uuid) is not None
    assert str(context.source.value(item, SH.order)) == "0"
    assert changes.additions
    report = validate_form(v2_form, context, person)
    assert report.for_field(listing).errors == ["1. E-mailadres: E-mailadres is verplicht."]
    email = field_name(URIRef(EX + "v2/email"), item)
    collect_post(v2_form, context, person, {email: ["an@example.org"]})
    assert validate_form(v2_form, context, person).for_field(listing).errors == []
    assert (item, URIRef("http://schema.org/email"), Literal("an@example.org")) in form_data_triples(
        v2_form, context, person
    )
    collect_post(v2_form, context, person, {ACTION: [f"remove:{listing_name}:{field_name(listing, item)}"]})
    assert (None, None, item) not in context.source
    assert (item, None, None) not in context.source


def test_date_time_text_is_to_iso_string():
    assert date_time_text("2022-01-09T20:00") == "2022-01-09T19:00:00.000Z"
    assert date_time_text("2022-05-09T18:00:00.000Z") == "2022-05-09T18:00:00.000Z"
    assert date_time_text("gisteren") == "gisteren"


def test_hidden_field_is_validated_and_selected(mini_form, context_for):
    context = context_for(
        "ex:doc\\/1 <http://purl.org/dc/terms/hasPart> ex:r . "
        'ex:r <http://www.semanticdesktop.org/ontologies/2007/01/19/nie#url> "geen link" .'
    )
    report = validate_form(mini_form, context, DOC)
    assert report.for_field(f("hiddenUrl")).errors == ["Ongeldige link."]
    assert (URIRef(EX + "r"), NIE.url, Literal("geen link")) in form_data_triples(mini_form, context, DOC)


def test_recursive_form_with_looping_data_ends():
    """A sub-form that lists itself, on data that loops (a → b → a): validation, selection and rendering end."""
    from loket.forms.cli import validation_report
    from loket.forms.loader import load_form_text
    from loket.forms.paths import DataContext

    from .conftest import PREFIXES, turtle

    form = load_form_text(
        PREFIXES
        + """ex:f a form:TopLevelForm ; form:includes ex:parts .
        ex:parts a form:Listing ; form:each ex:sub ; form:scope [ a form:Scope ; sh:path ex:part ] .
        ex:sub a form:SubForm ; form:includes ex:name, ex:parts .
        ex:name a form:Field ; sh:path ex:name ; form:displayType displayTypes:defaultInput ;
          form:validatedBy [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:name ] ."""
    )
    source = turtle('ex:doc ex:part ex:a . ex:a ex:part ex:b ; ex:name "A" . ex:b ex:part ex:a .')
    report = validation_report(form, DataContext(source=source), URIRef("http://example.org/doc"), with_form_data=True)
    assert report["valid"] is False  # ex:b has no name
    [listing] = report["fields"]
    [item_a] = listing["items"]
    assert item_a["node"] == "http://example.org/a"
    assert [f["errors"] for f in item_a["fields"]] == [[], []]
    [item_b] = item_a["fields"][1]["items"]
    assert item_b["node"] == "http://example.org/b"
    assert item_b["fields"][0]["errors"] == ["Dit veld is verplicht."]
    [again] = item_b["fields"][1]["items"]  # a under b: entered, but its own listing not a second time
    assert again["node"] == "http://example.org/a" and again["fields"][1]["items"] == []
    assert report["form_data_triples"] == 4
    from loket.forms.render import render_form

    html = str(render_form(form, DataContext(source=source), URIRef("http://example.org/doc")))
    assert html.count('value="A"') == 2  # a, then b, then a again whose own listing is not entered a second time
