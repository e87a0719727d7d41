"""Hypothesis over the form engine: random forms in the form vocabulary (tests/forms/generated_forms.py: every
constraint type, grouping and severity, list and inverse paths, conditional groups, listings, scopes) with random
data, and the same forms damaged (cut off, a character replaced, text inserted). Loading, deciding and validating
raise only the documented FormError (FormLoadError for a form that cannot be used), and verdicts are
deterministic: the same form and data give the same report, loaded again or validated again."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from loket.forms.cli import validation_report
from loket.forms.decide import applicable_fields
from loket.forms.errors import FormError
from loket.forms.loader import load_form_text
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_text
from loket.forms.validate import validate_form
from tests.forms.differential_corpus import DOC, META
from tests.forms.generated_forms import data, forms

NODE = URIRef(DOC)
JUNK = st.sampled_from(
    [
        *["", ".", ";", " ,", "[", "]", "(", ")", '"', "'''", "<", ">", "@prefix", "a", "ex:", "\\", "\x00", "é"],
        *["🙂", "\n", "form:Field", "sh:path", "<http://example.org/ x>", "1e999"],
    ]
)


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    how = draw(st.sampled_from(["as is", "as is", "cut", "replace", "insert"]))
    if how == "as is" or not text:
        return text
    at = draw(st.integers(0, len(text) - 1))
    if how == "cut":
        return text[:at]
    if how == "replace":
        return text[:at] + draw(JUNK) + text[at + 1 :]
    return text[:at] + draw(JUNK) + text[at:]


def _verdicts(definition, context) -> list:  # type: ignore[no-untyped-def]
    report = validate_form(definition, context, NODE)
    return [(str(r.field.node), sorted(r.errors), sorted(r.warnings)) for r in report.fields]


def _context(data_text: str) -> DataContext:
    return DataContext(source=parse_turtle_text(data_text, source="<data>"), meta=parse_turtle_text(META, source="m"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.tuples(forms(), data()).flatmap(lambda fd: st.tuples(damaged(fd[0]), damaged(fd[1]))))
def test_load_decide_validate_raise_only_form_errors_and_are_deterministic(form_and_data):
    form_text, data_text = form_and_data
    try:
        definition = load_form_text(form_text, source="<fuzz>")
        context = _context(data_text)
    except FormError:
        return  # documented: a form or data file that cannot be used, with its line
    fields = applicable_fields(definition, context, NODE)
    first = _verdicts(definition, context)
    assert _verdicts(definition, context) == first
    again = load_form_text(form_text, source="<fuzz>")
    assert [str(f.node) for f in applicable_fields(again, _context(data_text), NODE)] == [str(f.node) for f in fields]
    assert _verdicts(again, _context(data_text)) == first
    report = validation_report(definition, context, NODE, with_form_data=True)
    second = validation_report(again, _context(data_text), NODE, with_form_data=True)
    differing = [(a, b) for a, b in zip(report["fields"], second["fields"], strict=True) if a != b]
    assert report == second, (differing, form_text, data_text)


ONE_FIELD_TWO_CHECKS = """@prefix form: <http://lblod.data.gift/vocabularies/forms/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:form a form:Form ; form:hasFieldGroup ex:group .
ex:group form:hasField ex:field .
ex:field a form:Field ; sh:name "Veld" ; sh:order 1 ; sh:path ex:p0 ;
  form:displayType <http://lblod.data.gift/display-types/defaultInput> ;
  form:validations
    [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:p0 ; sh:resultMessage "Eerst" ],
    [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:p0 ; sh:resultMessage "Tweede" ] .
"""


def test_the_constraints_of_a_field_come_in_the_same_order_on_every_load():
    """Found by the test above: constraints were sorted by their blank nodes' labels, which differ per parse, so a
    field's messages came in another order after a restart."""
    orders = {
        tuple(
            c.message for c in next(iter(load_form_text(f"{ONE_FIELD_TWO_CHECKS}# {n}\n").fields.values())).constraints
        )
        for n in range(50)
    }
    assert len(orders) == 1 and set(next(iter(orders))) == {"Eerst", "Tweede"}
