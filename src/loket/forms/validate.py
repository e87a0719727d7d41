"""Validating a source node against a form (validateForm of submission-form-helpers).

Every applicable field's constraints (`form:validatedBy`, else `form:validations`) are checked on their own
paths. A constraint with `sh:severity sh:Warning` (or any severity other than sh:Violation) is reported as a
warning and never makes the form invalid. Listings validate their sub-form for every item in scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode
from rdflib.term import Node

from .constraints import check
from .decide import applicable_fields
from .model import Field, FormDefinition
from .paths import DataContext
from .vocabulary import SH


@dataclass(slots=True)
class ItemReport:
    """The verdicts for one item (node) of a listing."""

    node: Node
    fields: list[FieldReport]


@dataclass(slots=True)
class FieldReport:
    """The verdict on one applicable field: blocking errors and non-blocking warnings."""

    field: Field
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    items: list[ItemReport] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass(slots=True)
class FormReport:
    """The verdict on a whole form; `valid` ignores warnings."""

    fields: list[FieldReport]

    @property
    def valid(self) -> bool:
        return all(report.is_valid for report in self.fields)

    def for_field(self, node: Node) -> FieldReport | None:
        return next((r for r in self.fields if r.field.node == node), None)

    @property
    def error_count(self) -> int:
        return sum(len(r.errors) for r in self.fields)


def validate_form(
    definition: FormDefinition, context: DataContext, node: Node, form_node: Node | None = None
) -> FormReport:
    """Validate every applicable field of the (sub-)form for `node`."""
    reports = [
        validate_field(definition, context, node, applicable)
        for applicable in applicable_fields(definition, context, node, form_node)
    ]
    return FormReport(reports)


def validate_field(definition: FormDefinition, context: DataContext, node: Node, target: Field) -> FieldReport:
    report = FieldReport(target)
    if target.listing is not None:
        for index, item in enumerate(listing_items(context, node, target), start=1):
            sub_report = validate_form(definition, context, item, target.listing.sub_form)
            report.items.append(ItemReport(item, sub_report.fields))
            for sub in sub_report.fields:
                report.errors.extend(f"{index}. {sub.field.label}: {message}" for message in sub.errors)
                report.warnings.extend(f"{index}. {sub.field.label}: {message}" for message in sub.warnings)
        return report
    nodes = context.scoped_nodes(node, target.scope) or [BNode()]
    for constraint in target.constraints:
        for scoped in nodes:
            result = check(constraint, context, scoped, target.language)
            if result.valid:
                continue
            messages = report.warnings if constraint.is_warning else report.errors
            if result.message not in messages:
                messages.append(result.message)
    return report


def listing_items(context: DataContext, node: Node, listing_field: Field) -> list[Node]:
    """The items of a listing in their stored order (`<item> sh:order n`), then by URI."""
    assert listing_field.listing is not None
    items = context.scoped_nodes(node, listing_field.listing.scope)

    def position(item: Node) -> tuple[float, str]:
        order = context.source.value(item, SH.order)
        try:
            return (float(str(order)) if order is not None else float("inf"), str(item))
        except ValueError:
            return (float("inf"), str(item))

    return sorted(dict.fromkeys(items), key=position)
