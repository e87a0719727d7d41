"""Loading form definitions: both models, groups, options, caching and clear errors for bad input."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from rdflib import URIRef

from loket.forms.errors import FormLoadError
from loket.forms.loader import load_form, load_form_text
from loket.forms.model import FormDefinition, PathStep
from loket.forms.vocabulary import DISPLAY, FORM, SH

from .conftest import DATA, PREFIXES

EX = "http://example.org/"


def test_v1_form_structure(mini_form):
    fields = mini_form.fields
    assert len(fields) == 16
    title = fields[URIRef(EX + "fields/title")]
    assert title.label == "Titel"
    assert title.order == 2
    assert title.display_type == DISPLAY.defaultInput
    assert {c.type for c in title.constraints} == {FORM.MaxLength, FORM.RequiredConstraint}
    assert mini_form.sections[title.group].label == "Algemene informatie"
    type_field = fields[URIRef(EX + "fields/type")]
    assert len(type_field.conditional_groups) == 2
    assert type_field.concept_scheme == URIRef(EX + "schemes/types")
    assert type_field.options["searchEnabled"] is True
    assert "<strong>soort</strong>" in type_field.help
    hidden = fields[URIRef(EX + "fields/hiddenUrl")]
    assert hidden.is_hidden
    assert len(hidden.path) == 2


def test_inverse_path_step(mini_form):
    organ = mini_form.fields[URIRef(EX + "fields/organ")]
    assert organ.path[0] == PathStep(URIRef("http://mu.semte.ch/vocabularies/ext/decided"), inverse=True)


def test_severity_and_order_by(mini_form):
    date = mini_form.fields[URIRef(EX + "fields/date")]
    warnings = [c for c in date.constraints if c.is_warning]
    assert [c.type for c in warnings] == [FORM.DateInPast]
    assert warnings[0].severity == SH.Warning
    authenticity = mini_form.fields[URIRef(EX + "fields/authenticity")]
    assert authenticity.order_by == URIRef("http://purl.org/linked-data/cube#order")


def test_v2_form_structure(v2_form):
    assert v2_form.root.is_v2
    assert [str(i).rsplit("/", 1)[-1] for i in v2_form.root.includes] == ["name", "contactListing", "nickname"]
    listing = v2_form.fields[URIRef(EX + "v2/contactListing")].listing
    assert listing is not None
    assert listing.can_add and listing.can_remove and listing.max_count == 3
    assert listing.add_label == "Contactpunt toevoegen"
    assert listing.sub_form in v2_form.sub_forms
    assert v2_form.sections[URIRef(EX + "v2/personal")].label == "Persoonsgegevens"


def test_cache_by_path_and_mtime(tmp_path: Path):
    target = tmp_path / "form.ttl"
    target.write_text((DATA / "v2-form.ttl").read_text())
    first = load_form(target)
    assert load_form(target) is first
    target.write_text(target.read_text().replace('"Naam"', '"Volledige naam"'))
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 10**9))
    second = load_form(target)
    assert second is not first
    assert second.fields[URIRef(EX + "v2/name")].label == "Volledige naam"


def test_literals_are_kept_exactly():
    form = load_form_text(
        PREFIXES
        + """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:checkbox ;
          form:defaultValue "1"^^xsd:boolean ."""
    )
    assert str(form.fields[URIRef(EX + "x")].default_value) == "1"


def _error(text: str) -> FormLoadError:
    with pytest.raises(FormLoadError) as caught:
        load_form_text(PREFIXES + text, source="bad.ttl")
    return caught.value


def test_malformed_turtle_names_file_and_line():
    error = _error('ex:f a form:Form .\nex:g sh:name "open\n')
    assert error.source == "bad.ttl"
    assert error.line == PREFIXES.count("\n") + 2
    assert str(error).startswith("bad.ttl:")


def test_missing_root():
    assert "geen formulier" in _error("ex:g a form:FieldGroup .").message


def test_cycle_in_groups_names_node():
    error = _error(
        """ex:f a form:Form ; form:hasFieldGroup ex:g .
        ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:defaultInput ;
          form:hasConditionalFieldGroup ex:c .
        ex:c form:conditions [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:p ] ;
          form:hasFieldGroup ex:g ."""
    )
    assert "cyclus" in error.message
    assert error.line is not None


def test_cycle_in_sections():
    error = _error(
        """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:defaultInput ; sh:group ex:s1 .
        ex:s1 a form:PropertyGroup ; form:partOf ex:s2 . ex:s2 a form:PropertyGroup ; form:partOf ex:s1 ."""
    )
    assert "cyclus" in error.message


def _lenient(text: str) -> FormDefinition:
    return load_form_text(PREFIXES + text, source="lenient.ttl")


def test_unknown_display_type_loads_with_a_warning_naming_node_and_line():
    form = _lenient(
        """ex:f a form:Form ; form:hasFieldGroup ex:g .
        ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:hologram ."""
    )
    assert form.fields[URIRef(EX + "x")].display_type == DISPLAY.hologram
    [warning] = form.warnings
    assert warning.message == f"onbekend weergavetype {DISPLAY.hologram}: de waarde wordt alleen getoond"
    assert (warning.source, warning.line, warning.node) == ("lenient.ttl", PREFIXES.count("\n") + 3, EX + "x")
    assert warning == f"lenient.ttl:{warning.line}: {warning.message} (knoop {EX}x)"


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ('"dct:title"', "'dct:title' is geen predicaat"),
        ("[ ex:nothing ex:here ]", "geen predicaat of SHACL-pad"),
        ("( )", "geen predicaat of SHACL-pad"),
        ('( [ sh:inversePath "x" ] )', "geen predicaat of SHACL-pad"),
        ("[ sh:inversePath ex:p ]", "een los sh:inversePath (buiten een lijst) volgt de echte bibliotheek niet"),
    ],
)
def test_path_to_nowhere_loads_with_no_values(path: str, why: str):
    form = _lenient(
        f"""ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path {path} ; form:displayType displayTypes:defaultInput ."""
    )
    assert form.fields[URIRef(EX + "x")].path == ()
    assert [w.message for w in form.warnings] == [f"sh:path leidt nergens heen: {why}"]
    assert form.warnings[0].node == EX + "x"


def test_field_without_path_and_undefined_field_load():
    form = _lenient(
        """ex:f a form:Form ; form:hasFieldGroup ex:g, ex:nowhere . ex:g form:hasField ex:x, ex:undefined .
        ex:x sh:name "X" ; form:displayType displayTypes:defaultInput ."""
    )
    assert form.fields[URIRef(EX + "x")].path == ()
    assert form.fields[URIRef(EX + "undefined")].is_hidden
    assert sorted((w.node, w.message) for w in form.warnings) == [
        (EX + "nowhere", "veldgroep wordt vermeld maar nergens beschreven: zonder velden"),
        (EX + "undefined", "veld wordt vermeld maar nergens beschreven: niets te tonen of te controleren"),
        (EX + "x", "veld zonder sh:path: er is niets voor te selecteren"),
    ]


def test_bad_options_json_is_ignored_with_a_warning():
    form = _lenient(
        """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:defaultInput ; form:options "{nope" ."""
    )
    assert form.fields[URIRef(EX + "x")].options == {}
    assert [w.message for w in form.warnings] == [
        "form:options is geen geldige JSON (Expecting property name enclosed in double quotes): genegeerd"
    ]


def test_v2_section_among_included_items_loads():
    form = _lenient(
        """ex:f a form:TopLevelForm ; form:includes ex:s, ex:x .
        ex:s a form:Section ; sh:name "S" ; sh:order 1 .
        ex:x a form:Field ; sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:defaultInput ;
          sh:group ex:s ."""
    )
    assert form.sections[URIRef(EX + "s")].label == "S"
    assert list(form.fields) == [URIRef(EX + "x")]
    assert [w.node for w in form.warnings] == [EX + "s"]


def test_fifty_unknown_things_give_fifty_warnings():
    fields = "\n".join(
        f'ex:x{i} sh:name "X{i}" ; sh:path ex:p{i} ; form:displayType displayTypes:unknown{i} .' for i in range(25)
    )
    checks = "\n".join(
        f'ex:y{i} sh:name "Y{i}" ; sh:path ex:q{i} ; form:displayType displayTypes:defaultInput ;'
        f" form:validations [ a ex:Unknown{i} ; form:grouping form:Bag ; sh:path ex:q{i} ] ."
        for i in range(25)
    )
    members = ", ".join([f"ex:x{i}" for i in range(25)] + [f"ex:y{i}" for i in range(25)])
    form = _lenient(f"ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField {members} .\n{fields}\n{checks}")
    assert len(form.fields) == 50
    assert len(form.warnings) == 50
    assert all(w.line is not None and w.node for w in form.warnings)


def test_unknown_constraint_type_is_a_load_warning():
    form = load_form_text(
        PREFIXES
        + """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:defaultInput ;
          form:validations [ a form:NoSuchValidator ; form:grouping form:Bag ; sh:path ex:p ] .""",
        source="warn.ttl",
    )
    assert len(form.warnings) == 1
    assert "NoSuchValidator" in form.warnings[0]
    assert form.warnings[0].startswith("warn.ttl:")


def test_unreadable_file(tmp_path: Path):
    with pytest.raises(FormLoadError) as caught:
        load_form(tmp_path / "missing.ttl")
    assert "missing.ttl" in str(caught.value)


def test_to_turtle_keeps_literals_exactly():
    from loket.forms import parse_turtle, to_turtle

    text = PREFIXES + 'ex:s ex:b "1"^^xsd:boolean ; ex:i "007"^^xsd:integer ; ex:d "1.50"^^xsd:decimal .'
    graph = parse_turtle(text)
    again = parse_turtle(to_turtle(graph))
    assert set(again) == set(graph)
    assert '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>' in to_turtle(graph)
