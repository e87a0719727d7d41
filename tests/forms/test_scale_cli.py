"""A generated form of the real one's size, and the `manage.py forms` command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rdflib import URIRef

from loket.forms.decide import applicable_fields
from loket.forms.loader import load_form_text
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_text
from loket.forms.render import render_form
from loket.forms.select import form_data_triples
from loket.forms.synthetic import SUBMISSION, build_submission, generate
from loket.forms.validate import validate_form

from .conftest import DATA


@pytest.fixture(scope="module")
def synthetic():
    generated = generate()
    definition = load_form_text(generated.form_ttl, source="synthetic.ttl")
    meta = parse_turtle_text(generated.meta_ttl, source="meta.ttl")
    return generated, definition, meta


def test_large_generated_form(synthetic):
    generated, definition, meta = synthetic
    assert len(definition.fields) >= 150
    assert generated.conditional_group_count >= 90
    conditional = sum(len(f.conditional_groups) for f in definition.fields.values())
    assert conditional == generated.conditional_group_count
    node = URIRef(SUBMISSION)
    for type_index in (0, 41, 95):
        source = build_submission(definition, meta, type_index=type_index)
        context = DataContext(source=source, meta=meta)
        fields = applicable_fields(definition, context, node)
        assert 20 <= len(fields) <= 40
        assert validate_form(definition, context, node).valid
        selected = form_data_triples(definition, context, node)
        assert selected <= set(source)
        assert "Type dossier" in render_form(definition, context, node)


def test_large_form_without_type_only_common_fields(synthetic):
    _generated, definition, meta = synthetic
    context = DataContext(source=parse_turtle_text("", source="x"), meta=meta)
    assert len(applicable_fields(definition, context, URIRef(SUBMISSION))) == 3


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("forms", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    return 0, out.getvalue()


def test_command_validate_invalid(tmp_path: Path):
    code, output = run(
        "validate",
        "--form", str(DATA / "mini-form.ttl"),
        "--data", str(DATA / "data-besluit.ttl"),
        "--meta", str(DATA / "meta.ttl"),
    )  # fmt: skip
    assert code == 1
    report = json.loads(output)
    assert report["valid"] is False
    assert report["form_data_triples"] == 7
    date = next(f for f in report["fields"] if f["label"] == "Datum van publicatie")
    assert date["errors"] == ["Ongeldige datum."]
    assert date["warnings"] == ["Deze datum ligt in de toekomst."]
    assert date["path"] == "<http://data.europa.eu/eli/ontology#date_publication>"
    assert [f["label"] for f in report["fields"]][:3] == ["Over het dossier", "Type dossier", "Titel"]


def test_command_validate_valid_with_merged_data(tmp_path: Path):
    fix = tmp_path / "fix.ttl"
    fix.write_text("")
    data = tmp_path / "data.ttl"
    data.write_text((DATA / "data-besluit.ttl").read_text().replace('"2024-02-30"', '"2024-01-30"'))
    code, output = run(
        "validate", "--form", str(DATA / "mini-form.ttl"), "--data", str(data), "--data", str(fix),
        "--meta", str(DATA / "meta.ttl"), "--node", "http://example.org/doc/1",
    )  # fmt: skip
    assert code == 0, output
    assert json.loads(output)["valid"] is True


def test_command_unreadable_input(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix x: <http://x/> .\nx:a x:b "open .\n')
    with pytest.raises(CommandError) as caught:
        run("validate", "--form", str(bad), "--data", str(DATA / "data-besluit.ttl"))
    assert caught.value.returncode == 2
    assert f"{bad}:2" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run("validate", "--form", str(DATA / "v2-form.ttl"), "--data", str(DATA / "data-besluit.ttl"))
    assert caught.value.returncode == 2
    assert "--node" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run("validate", "--form", str(DATA / "mini-form.ttl"), "--data", str(tmp_path / "nope.ttl"))
    assert "nope.ttl" in str(caught.value)


def test_command_show():
    code, output = run("show", "--form", str(DATA / "mini-form.ttl"))
    assert code == 0
    assert "Type dossier" in output
    assert "als SingleCodelistValue(customValue=http://example.org/types/besluit" in output
    assert "DateInPast(waarschuwing)" in output
    assert "verborgen" in output
