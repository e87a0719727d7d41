"""Our form engine against the real library (@lblod/submission-form-helpers 3.0.0, run by Node) on the same
input: the verdict, the applicable fields, the fields with errors and with warnings, listing items and the
selected form data must agree, except where docs/forms-compatibility.md says we differ on purpose.

Needs Node and `make node` (npm ci into var/node); skipped without them, except under CI (`CI=true`), where
the test must run. LOKET_DIFF_EXAMPLES sets the number of generated cases (default 300), LOKET_DIFF_FULL=1
runs every value of the constraint corpus under every grouping (about 5,000 cases instead of about 1,800).
LOKET_REAL_TOEZICHT_FORM names the real Loket's live Toezicht form file (never committed) for its own test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from loket.forms.loader import load_form
from loket.forms.model import Constraint, FormDefinition
from loket.forms.vocabulary import FORM

from .differential import RealLibrary, differences, our_report
from .differential_corpus import DOC, Case, constraint_cases, structure_cases
from .generated_forms import cases as generated_cases

# Differences docs/forms-compatibility.md explains: (case name pattern, data pattern) → reason.
ON_PURPOSE = {
    ("VlabelExtraTaxRate", "hasAdditionalTaxRate true"): 'rdflib.js reads Turtle\'s bare `true` as "1"',
}


@pytest.fixture(scope="module")
def real_library() -> Iterator[RealLibrary]:
    library = RealLibrary()
    yield library
    library.close()


def _on_purpose(case: str, data: str) -> bool:
    return any(name in case and pattern in data for name, pattern in ON_PURPOSE)


def _run(real_library: RealLibrary, cases: list[Case], *, every_value: bool) -> tuple[int, int, list[str]]:
    compared = crashed = 0
    found: list[str] = []
    for number, case in enumerate(cases):
        for index, data in enumerate(case.data):
            if not every_value and index > 4 and index % 3 != number % 3:
                continue  # each value still meets every type under one of its groupings
            real = real_library.report(case.form, data, case.meta, DOC)
            if "crash" in real:
                crashed += 1  # the real validator throws (e.g. a date check on an IRI): nothing to compare
                continue
            compared += 1
            if _on_purpose(case.name, data):
                continue
            for difference in differences(real, our_report(case.form, data, case.meta, DOC)):
                found.append(f"{case.name} | {data.split('ex:doc', 1)[-1].strip()[:100]} | {difference}")
    return compared, crashed, found


def test_every_constraint_type_grouping_and_severity(real_library: RealLibrary):
    every_value = os.environ.get("LOKET_DIFF_FULL") == "1"
    compared, crashed, found = _run(real_library, constraint_cases(), every_value=every_value)
    assert found == []
    assert compared > 1500 and crashed < 500  # the throwing combinations are a known, bounded set


def test_display_types_conditionals_listings_and_scopes(real_library: RealLibrary):
    compared, crashed, found = _run(real_library, structure_cases(), every_value=True)
    assert found == []
    assert (compared, crashed) == (22, 0)


@settings(
    max_examples=int(os.environ.get("LOKET_DIFF_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(case=generated_cases)
def test_generated_forms_and_data(real_library: RealLibrary, case: tuple[str, str, str, str]):
    form, data, meta, node = case
    real = real_library.report(form, data, meta, node)
    if "crash" in real:
        return  # counted by the corpus tests; generated constraints avoid the groupings that throw
    assert differences(real, our_report(form, data, meta, node)) == []


# -- the real Loket's live Toezicht form (path from the environment; never committed) ----------------------
REAL_FORM = os.environ.get("LOKET_REAL_TOEZICHT_FORM", "")
SCHEME = "http://lblod.data.gift/concept-schemes/71e6455e-1204-46a6-abf4-87319f58eaa5"


def _constraints(definition: FormDefinition) -> Iterator[Constraint]:
    for field in definition.fields.values():
        yield from field.constraints
        for group in field.conditional_groups:
            yield from group.conditions


def _document_types(definition: FormDefinition) -> list[str]:
    """The document types the form asks about: the custom values of its conditions on the type scheme."""
    return sorted(
        {
            str(c.param(FORM.customValue))
            for c in _constraints(definition)
            if str(c.param(FORM.conceptScheme)) == SCHEME and c.param(FORM.customValue) is not None
        }
    )


def _meta(definition: FormDefinition) -> str:
    """A code list for every concept scheme and custom value the form names (enough for its conditions)."""
    lines = set()
    for constraint in _constraints(definition):
        scheme, concept = constraint.param(FORM.conceptScheme), constraint.param(FORM.customValue)
        if scheme is not None:
            member = concept if concept is not None else f"{scheme}/x"
            lines.add(f"<{member}> <http://www.w3.org/2004/02/skos/core#inScheme> <{scheme}> .")
    return "\n".join(sorted(lines))


def _submission(document_type: str, number: int) -> str:
    """A realistic submission of that type: filled in for even numbers, half empty for odd ones."""
    doc = f"<{DOC}>"
    published = '"2024-03-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    base = f"{doc} a <{document_type}> ; <http://data.europa.eu/eli/ontology#date_publication> {published} ."
    if number % 2:
        return base
    return (
        base
        + f"""
{doc} <http://purl.org/dc/terms/hasPart> <http://example.org/file1> .
<http://example.org/file1> a <http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#FileDataObject> .
{doc} <http://data.europa.eu/eli/ontology#is_about> <http://example.org/org> .
<http://example.org/org> <http://www.w3.org/2004/02/skos/core#prefLabel> "Gemeente" .
{doc} <http://mu.semte.ch/vocabularies/ext/financialYear> "2024" .
{doc} <http://www.w3.org/2000/01/rdf-schema#comment> "Opmerking" .
{doc} <http://data.europa.eu/eli/ontology#passed_by> <http://example.org/organ> .
"""
    )


@pytest.mark.skipif(not REAL_FORM or not Path(REAL_FORM).is_file(), reason="LOKET_REAL_TOEZICHT_FORM not set")
def test_real_toezicht_form_for_every_document_type(real_library: RealLibrary):
    text = Path(REAL_FORM).read_text(encoding="utf-8")
    definition = load_form(REAL_FORM)
    assert len(definition.fields) > 150
    assert all(w.line is not None for w in definition.warnings)
    types = _document_types(definition)
    assert len(types) > 30
    meta = _meta(definition)
    found = []
    for number, document_type in enumerate(types):
        data = _submission(document_type, number)
        real = real_library.report(text, data, meta, DOC)
        assert "crash" not in real, real
        ours = our_report(text, data, meta, DOC)
        assert len(ours["fields"]) > 3
        found += [f"{document_type}: {d}" for d in differences(real, ours)]
    assert found == []
    assert any(
        c.type == FORM.SingleCodelistValue
        for f in definition.fields.values()
        for g in f.conditional_groups
        for c in g.conditions
    )


def test_the_node_script_prints_what_forms_validate_prints(real_library: RealLibrary):
    """Same command line, same JSON shape: the Node script is `manage.py forms validate --form-data` for the
    real library (messages aside: ours fall back to Dutch texts where the form gives no sh:resultMessage)."""
    import json
    import subprocess
    from io import StringIO

    from django.core.management import call_command

    from .conftest import DATA
    from .differential import NODE_MODULES, SCRIPT

    files = ["--form", str(DATA / "mini-form.ttl"), "--data", str(DATA / "data-besluit.ttl")]
    files += ["--meta", str(DATA / "meta.ttl"), "--node", "http://example.org/doc/1"]
    result = subprocess.run(
        ["node", str(SCRIPT), *files],
        capture_output=True, text=True, timeout=60, env={**os.environ, "LOKET_NODE_MODULES": str(NODE_MODULES)},
    )  # fmt: skip
    theirs = json.loads(result.stdout)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("forms", "validate", *files, "--form-data", stdout=out)
    ours = json.loads(out.getvalue())
    assert (result.returncode, exit_.value.code) == (1, 1)
    assert set(theirs) == set(ours) == {"valid", "node", "fields", "form_data_triples", "form_data", "form_warnings"}
    shape = [(f["field"], f["label"], f["path"], bool(f["errors"]), bool(f["warnings"])) for f in ours["fields"]]
    assert sorted(shape) == sorted(
        (f["field"], f["label"], f["path"], bool(f["errors"]), bool(f["warnings"])) for f in theirs["fields"]
    )
    assert ours["form_data"] == theirs["form_data"]
