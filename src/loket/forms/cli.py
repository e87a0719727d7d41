"""The work behind `manage.py forms`: a JSON validation report and a readable outline of a form."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from .errors import FormLoadError, FormWarning
from .loader import load_form
from .model import Constraint, Field, FormDefinition, path_text
from .paths import DataContext
from .rdfio import parse_turtle_file, to_turtle
from .select import form_data_triples
from .validate import FieldReport, validate_form
from .vocabulary import DISPLAY, FORM_DATA_NODES, RDF

# The subject validated when no data is given (and no --node): a new submission without any data.
EMPTY_NODE = URIRef(FORM_DATA_NODES + "lege-inzending")


@dataclass(frozen=True, slots=True)
class ValidationOutcome:
    report: dict
    valid: bool


def validate_files(
    form_path: str,
    data_paths: Sequence[str],
    meta_paths: Sequence[str],
    node: str | None,
    *,
    with_form_data: bool = False,
) -> ValidationOutcome:
    """Validate merged data files against a form; FormLoadError for unreadable input."""
    definition = load_form(form_path)
    source = Graph()
    for path in data_paths:
        parse_turtle_file(path, source)
    meta = Graph()
    for path in meta_paths:
        parse_turtle_file(path, meta)
    if node:
        subject: Node = URIRef(node)
    elif not data_paths:
        subject = EMPTY_NODE  # no data: the form as a new, empty submission sees it
    else:
        subject = find_node(definition, source, data_paths)
    report = validation_report(
        definition, DataContext(source=source, meta=meta), subject, with_form_data=with_form_data
    )
    return ValidationOutcome(report, report["valid"])


def validation_report(
    definition: FormDefinition,
    context: DataContext,
    subject: Node,
    *,
    with_form_data: bool = False,
    include_listings: bool = True,
) -> dict:
    """The JSON report of `forms validate` (and of tests/forms/real_library.mjs for the real library)."""
    report = validate_form(definition, context, subject)
    triples = form_data_triples(definition, context, subject, include_listings=include_listings)
    result: dict = {
        "valid": report.valid,
        "node": str(subject),
        "fields": [_field_entry(r) for r in report.fields],
        "form_data_triples": len(triples),
    }
    if with_form_data:
        selected = Graph()
        for triple in triples:
            selected.add(triple)
        result["form_data"] = [line for line in to_turtle(selected).splitlines() if line]
    result["form_warnings"] = [_warning(w) for w in definition.warnings]
    return result


def _field_entry(report: FieldReport) -> dict:
    entry: dict = {
        "field": str(report.field.node),
        "label": report.field.label,
        "path": path_text(report.field.path),
        "errors": [str(m) for m in report.errors] if report.field.listing is None else [],
        "warnings": [str(m) for m in report.warnings] if report.field.listing is None else [],
    }
    if report.field.listing is not None:
        entry["items"] = [
            {"node": str(item.node), "fields": [_field_entry(sub) for sub in item.fields]} for item in report.items
        ]
    return entry


def _warning(warning: str) -> dict[str, str | int | None]:
    if isinstance(warning, FormWarning):
        return warning.as_dict()
    return {"file": "", "line": None, "node": "", "message": warning}


def find_node(definition: FormDefinition, source: Graph, data_paths: Sequence[str]) -> Node:
    """The single subject typed as the form's target (form:targetType), else the single typed root subject."""
    where = ", ".join(data_paths)
    if definition.target_type is not None:
        candidates = set(source.subjects(RDF.type, definition.target_type))
        what = f"van type {definition.target_type}"
    else:
        objects = set(source.objects())
        candidates = {s for s in source.subjects(RDF.type, None) if s not in objects and isinstance(s, URIRef)}
        what = "met een type dat nergens naar verwezen wordt"
    if len(candidates) != 1:
        raise FormLoadError(
            f"{len(candidates)} onderwerpen {what} gevonden; geef het te valideren onderwerp met --node",
            source=where,
        )
    return next(iter(candidates))


def dumps(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def outline(definition: FormDefinition) -> str:
    """A readable outline of the form: fields, their paths, validations and conditional groups."""
    lines = [f"Formulier {definition.uri} ({'v2' if definition.root.is_v2 else 'v1'}) — {definition.source}"]
    _outline_form(definition, definition.root.node, lines, "  ", set())
    if definition.warnings:
        lines.append("Waarschuwingen:")
        lines.extend(f"  ! {w}" for w in definition.warnings)
    return "\n".join(lines)


def _outline_form(definition: FormDefinition, form_node: Node, lines: list[str], indent: str, seen: set) -> None:
    form = definition.form_node(form_node)
    for item in form.includes:
        if item in definition.fields:
            _outline_field(definition, definition.fields[item], lines, indent, seen)
    for group in form.field_groups:
        _outline_group(definition, group, lines, indent, seen)


def _outline_group(definition: FormDefinition, group: Node, lines: list[str], indent: str, seen: set) -> None:
    lines.append(f"{indent}groep {group}")
    for member in definition.field_groups.get(group, ()):
        _outline_field(definition, definition.fields[member], lines, indent + "  ", seen)


def _outline_field(definition: FormDefinition, field: Field, lines: list[str], indent: str, seen: set) -> None:
    kind = str(field.display_type).removeprefix(str(DISPLAY)) if field.display_type else "verborgen"
    if field.listing is not None:
        kind = "lijst"
    section = definition.sections.get(field.group) if field.group is not None else None
    where = f" [sectie: {section.label}]" if section else ""
    checks = ", ".join(_constraint_text(c) for c in field.constraints)
    lines.append(f"{indent}- {field.label or '(zonder naam)'} <{field.node}> {kind} {path_text(field.path)}{where}")
    if checks:
        lines.append(f"{indent}    validaties: {checks}")
    for condition in field.renders_when:
        lines.append(f"{indent}    toon als: {_constraint_text(condition)}")
    if field.node in seen:
        return
    seen.add(field.node)
    if field.listing is not None:
        lines.append(f"{indent}    per item (subformulier {field.listing.sub_form}):")
        _outline_form(definition, field.listing.sub_form, lines, indent + "      ", seen)
    for conditional in field.conditional_groups:
        conditions = " en ".join(_constraint_text(c) for c in conditional.conditions)
        lines.append(f"{indent}    als {conditions}:")
        for group in conditional.field_groups:
            _outline_group(definition, group, lines, indent + "      ", seen)


def _constraint_text(constraint: Constraint) -> str:
    name = str(constraint.type).rsplit("/", 1)[-1]
    extra = []
    for key in ("customValue", "conceptScheme", "max", "threshold"):
        value = next((v for p, vs in constraint.params.items() if str(p).endswith("/" + key) for v in vs), None)
        if value is not None:
            extra.append(f"{key}={value}")
    if constraint.is_warning:
        extra.append("waarschuwing")
    return name + (f"({', '.join(extra)})" if extra else "")
