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
    assert date["warnings"] == []  # 2024-02-30 is 1 March 2024 for JavaScript's Date: in the past
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


def _refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_command_refuses_binary_huge_and_cyclic_forms(tmp_path: Path):
    binary = tmp_path / "form.ttl"
    binary.write_bytes(b"@prefix x: <http://x/> .\n\x89PNG\r\n\x1a\n\x00\x00")
    assert _refused("show", "--form", str(binary)) == f"{binary}:4: binair bestand (nul-byte): geen Turtle-tekst"
    latin = tmp_path / "latin.ttl"
    latin.write_bytes(b'@prefix x: <http://x/> .\nx:a x:b "caf\xe9" .\n')
    assert _refused("show", "--form", str(latin)) == (f"{latin}:2: geen UTF-8-tekst (ongeldige byte 0xe9): geen Turtle")
    huge = tmp_path / "huge.ttl"
    with huge.open("w") as handle:
        line = "<http://example.org/s> <http://example.org/p> " + '"' + "x" * 60 + '" .\n'
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    assert _refused("validate", "--form", str(huge)) == (
        f"{huge}: bestand te groot (50.0 MB; hoogstens 16 MB voor Turtle)"
    )
    assert "bestand te groot" in _refused("validate", "--form", str(DATA / "v2-form.ttl"), "--data", str(huge))
    cyclic = tmp_path / "cyclic.ttl"
    cyclic.write_text(
        "@prefix form: <http://lblod.data.gift/vocabularies/forms/> .\n"
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
        "ex:f a form:Form ; form:hasFieldGroup ex:g .\n"
        "ex:g form:hasField ex:x .\n"
        "ex:x sh:path ex:p ; form:hasConditionalFieldGroup ex:c .\n"
        "ex:c form:hasFieldGroup ex:g .\n"
    )
    assert _refused("show", "--form", str(cyclic)) == (
        f"{cyclic}:5: cyclus in de veldgroepen: een groep bevat zichzelf via voorwaardelijke groepen"
        " (knoop http://example.org/g)"
    )


def test_command_without_data_validates_an_empty_submission_and_always_lists_form_warnings():
    code, output = run("validate", "--form", str(DATA / "v2-form.ttl"))
    report = json.loads(output)
    assert code == 1
    assert report["node"] == "http://data.lblod.info/form-data/nodes/lege-inzending"
    assert report["form_warnings"] == []
    assert report["form_data_triples"] == 0
    assert [f["label"] for f in report["fields"] if f["errors"]] == ["Naam"]


def test_command_reports_form_warnings_with_file_line_and_node(tmp_path: Path):
    form = tmp_path / "form.ttl"
    form.write_text(
        "@prefix form: <http://lblod.data.gift/vocabularies/forms/> .\n"
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
        "ex:f a form:Form ; form:hasFieldGroup ex:g .\n"
        "ex:g form:hasField ex:x, ex:y .\n"
        'ex:x sh:name "X" .\n'
    )
    code, output = run("validate", "--form", str(form), "--node", "http://example.org/doc")
    assert code == 0
    assert json.loads(output)["form_warnings"] == [
        {
            "file": str(form),
            "line": 6,
            "node": "http://example.org/x",
            "message": "veld zonder sh:path: er is niets voor te selecteren",
        },
        {
            "file": str(form),
            "line": 5,
            "node": "http://example.org/y",
            "message": "veld wordt vermeld maar nergens beschreven: niets te tonen of te controleren",
        },
    ]


def test_management_commands_work_in_a_checkout_without_environment():
    import os
    import subprocess
    import sys

    repo = DATA.parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOKET_", "DJANGO_", "DEBUG", "PYTEST"))}
    for name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
        env.pop(name, None)
    command = [sys.executable, "manage.py", "forms", "validate", "--form", str(DATA / "mini-form.ttl")]
    result = subprocess.run(
        [*command, "--data", str(DATA / "data-besluit.ttl"), "--meta", str(DATA / "meta.ttl")],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["valid"] is False
    shown = subprocess.run(
        [sys.executable, "manage.py", "forms", "show", "--form", str(DATA / "v2-form.ttl")],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shown.returncode == 0 and shown.stdout.startswith("Formulier http://example.org/v2/form (v2)")
    production = subprocess.run(
        [sys.executable, "manage.py", "forms", "show", "--form", str(DATA / "v2-form.ttl")],
        cwd=repo, env={**env, "DATABASE_URL": "postgres://loket@db.example.org/loket"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert production.returncode != 0 and "SECRET_KEY must be set" in production.stderr


def test_indexed_code_list_conditions_decide_as_checking_each(synthetic):
    """The index of a field's code-list conditional groups gives the fields that checking each condition gives."""
    from loket.forms.constraints import _REGISTRY, register_constraint, single_codelist_value
    from loket.forms.vocabulary import FORM

    _generated, definition, meta = synthetic
    node = URIRef(SUBMISSION)
    sources = [build_submission(definition, meta, type_index=i) for i in (0, 7, 41, 95)]
    indexed = [[f.node for f in applicable_fields(definition, DataContext(s, meta), node)] for s in sources]
    built_in = _REGISTRY[FORM.SingleCodelistValue]
    register_constraint(FORM.SingleCodelistValue, arity="bag")(lambda values, call: single_codelist_value(values, call))
    try:
        checked = [[f.node for f in applicable_fields(definition, DataContext(s, meta), node)] for s in sources]
    finally:
        _REGISTRY[FORM.SingleCodelistValue] = built_in
    assert indexed == checked
    assert len({tuple(fields) for fields in indexed}) == 4
