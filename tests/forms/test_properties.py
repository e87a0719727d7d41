"""Property tests: whatever a user posts, collect → select → validate round-trips.

* the value read back along the field's path is exactly the literal the widget would write;
* the selected form data is part of the source graph, survives Turtle serialisation unchanged, and
  validating it gives the same verdicts as validating the full source graph;
* posting the same values again changes nothing.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from loket.forms.collect import collect_post, number_literal
from loket.forms.loader import load_form
from loket.forms.names import field_name
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_file, parse_turtle_text, to_turtle
from loket.forms.select import select_form_data
from loket.forms.validate import validate_form

from .conftest import DATA, DOC

EX = "http://example.org/"
FORM = load_form(DATA / "mini-form.ttl")
META = parse_turtle_file(DATA / "meta.ttl")
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=50)
numbers = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    text,
)
dates = st.dates().map(lambda d: d.isoformat().zfill(10))


def f(name: str) -> URIRef:
    return URIRef(EX + "fields/" + name)


def verdicts(report) -> list[tuple[str, list[str], list[str]]]:
    return [(str(r.field.node), r.errors, r.warnings) for r in report.fields]


def round_trip(context: DataContext) -> None:
    selected = select_form_data(FORM, context, DOC)
    assert set(selected) <= set(context.source)
    reparsed = parse_turtle_text(to_turtle(selected), source="<selected>")
    assert set(reparsed) == set(selected)
    full = validate_form(FORM, context, DOC)
    assert verdicts(validate_form(FORM, DataContext(source=reparsed, meta=META), DOC)) == verdicts(full)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=text,
    count=numbers,
    date=dates,
    links=st.lists(st.sampled_from(["https://a.be/x", "ftp://b.be/y", "nope"])),
)
def test_besluit_round_trip(title, count, date, links):
    context = DataContext(source=parse_turtle_text("", source="<empty>"), meta=META)
    posted = {
        field_name(f("type"), DOC): [EX + "types/besluit"],
        field_name(f("title"), DOC): [title],
        field_name(f("count"), DOC): [count],
        field_name(f("date"), DOC): [date],
        field_name(f("links"), DOC): links,
    }
    collect_post(FORM, context, DOC, posted)
    source = context.source
    stored_title = source.value(DOC, URIRef("http://purl.org/dc/terms/title"))
    assert stored_title == (Literal(title.strip()) if title.strip() else None)
    stored_count = source.value(DOC, URIRef("http://mu.semte.ch/vocabularies/ext/articleCount"))
    assert stored_count == (number_literal(count.strip()) if count.strip() else None)
    published = source.value(DOC, URIRef("http://data.europa.eu/eli/ontology#date_publication"))
    assert (str(published), published.datatype) == (date, XSD.date)
    round_trip(context)
    again = collect_post(FORM, context, DOC, posted)
    assert not again.additions and not again.removals


@settings(max_examples=40, deadline=None)
@given(
    agreed=st.booleans(),
    themes=st.lists(st.sampled_from([EX + "themes/a", EX + "themes/b", EX + "x"])),
    price=numbers,
    description=text,
)
def test_reglement_round_trip(agreed, themes, price, description):
    context = DataContext(source=parse_turtle_text("", source="<empty>"), meta=META)
    posted = {
        field_name(f("type"), DOC): [EX + "types/reglement"],
        field_name(f("agreed"), DOC): ["1"] if agreed else [],
        field_name(f("themes"), DOC): themes,
        field_name(f("price"), DOC): [price],
        field_name(f("description"), DOC): [description],
    }
    collect_post(FORM, context, DOC, posted)
    stored = context.source.value(DOC, URIRef("http://mu.semte.ch/vocabularies/ext/agreed"))
    assert stored == (Literal("1", datatype=XSD.boolean, normalize=False) if agreed else None)
    chosen = set(context.source.objects(DOC, URIRef("http://mu.semte.ch/vocabularies/ext/theme")))
    assert chosen == {URIRef(t) for t in themes if t != EX + "x"}
    round_trip(context)
    again = collect_post(FORM, context, DOC, posted)
    assert not again.additions and not again.removals
