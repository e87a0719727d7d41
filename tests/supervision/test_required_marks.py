"""A field marked "(verplicht)" is required: leaving it empty is an error on that field; where a file or a link
(two fields on one path) satisfies the requirement, both say so and neither claims to be required alone."""

from __future__ import annotations

import re

import pytest

from loket.forms.render import render_form
from loket.forms.validate import validate_form
from loket.supervision import form as toezicht_form
from loket.supervision.services import submission_context, submission_create, submission_form_node
from tests.supervision.conftest import BESLUITENLIJST, BUDGET, REGLEMENT

MARK = re.compile(
    r'<(?:label for="(id-[^"]+)"|legend)>([^<]*)(?:<span lang="nl">[^<]*</span>)?'
    r' <span class="required">\(([^)]*)\)</span>'
)


@pytest.mark.parametrize("version", ["toezicht-v1.ttl", "toezicht-v2.ttl"])
@pytest.mark.parametrize("document_type", [BESLUITENLIJST, BUDGET, REGLEMENT])
def test_every_field_marked_required_is_reported_when_empty(
    settings, version, document_type, clerk, municipality, document_types
):  # type: ignore[no-untyped-def]
    settings.LOKET_TOEZICHT_FORM = version
    concept = submission_create(organisation=municipality, document_type=document_types[document_type], actor=clerk)
    definition = toezicht_form.form_definition(concept.form_version)
    context, node = submission_context(concept), submission_form_node(concept)
    report = validate_form(definition, context, node)
    html = render_form(definition, context, node, report)
    marked = {label.strip(): mark for _id, label, mark in MARK.findall(html)}
    assert marked, "the form marks some fields as required"
    failing = {r.field.label for r in report.fields if r.errors}
    filled = {r.field.label for r in report.fields if context.values(node, r.field.path)}
    for label, mark in marked.items():
        partner = re.search(r"„(.*)”", mark)  # a shared requirement: the error is on one of the two
        names = {label, partner.group(1)} if partner else {label}
        assert names & (failing | filled), f"{label} is marked ({mark}) but not required"
    assert "Type dossier" in marked and "Type dossier" in filled
    required = {r.field.label for r in report.fields if r.field.is_required and r.field.display_type is not None}
    assert required <= set(marked)  # and every required field says so


def test_a_file_or_a_link_says_at_least_one(clerk, municipality, document_types):  # type: ignore[no-untyped-def]
    concept = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    definition = toezicht_form.form_definition(concept.form_version)
    html = render_form(definition, submission_context(concept), submission_form_node(concept))
    assert (
        '<legend>Het besluit als bestand <span class="required">'
        "(verplicht: dit of „Link naar het gepubliceerde besluit”, minstens één)</span></legend>" in html
    )
    assert (
        '<legend>Link naar het gepubliceerde besluit <span class="required">'
        "(verplicht: dit of „Het besluit als bestand”, minstens één)</span></legend>" in html
    )
    file_input = re.search(r'<input type="file"[^>]*>', html).group(0)
    assert "aria-required" not in file_input
    assert re.search(r'<select id="[^"]+" name="[^"]+" aria-required="true"', html)  # type dossier: required alone
