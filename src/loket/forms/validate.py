"""Validating a source node against a form (validateForm of submission-form-helpers).

Every applicable field's constraints (`form:validatedBy`, else `form:validations`) are checked on their own
paths. A constraint with `sh:severity sh:Warning` is reported as a warning and never makes the form invalid;
`sh:Info` (or any other severity) is neither checked for an error nor reported, as in the real library.
Listings validate their sub-form for every item in scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field  # `field` is an attribute name of the classes below

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
    errors: list[str] = dataclass_field(default_factory=list)
    warnings: list[str] = dataclass_field(default_factory=list)
    items: list[ItemReport] = dataclass_field(default_factory=list)

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
    return FormReport(
        validate_fields(definition, context, node, applicable_fields(definition, context, node, form_node))
    )


def validate_fields(
    definition: FormDefinition, context: DataContext, node: Node, fields: list[Field], trail: frozenset = frozenset()
) -> list[FieldReport]:
    return [validate_field(definition, context, node, target, trail) for target in fields]


def validate_field(
    definition: FormDefinition, context: DataContext, node: Node, target: Field, trail: frozenset = frozenset()
) -> FieldReport:
    """The verdict on one field: its sh:Violation constraints give errors, its sh:Warning ones warnings.

    As validateForm does, a field's constraints read their own paths from the form's source node, also when
    the field has a `form:scope` (the scope only decides which data the field selects). A listing validates
    its sub-form's fields — decided once, on `node` — for every item in its scope. Data that loops back into a
    recursive form (the same listing on the same node again) is not entered twice: the real library never
    returns there.
    """
    report = FieldReport(target)
    if target.listing is not None:
        if (node, target.node) in trail:
            return report  # the same listing on the same node again: data looping through a recursive form
        trail = trail | {(node, target.node)}
        items = listing_items(context, node, target)
        sub_fields = applicable_fields(definition, context, node, target.listing.sub_form) if items else []
        for index, item in enumerate(items, start=1):
            sub_reports = validate_fields(definition, context, item, sub_fields, trail)
            report.items.append(ItemReport(item, sub_reports))
            for sub in sub_reports:
                report.errors.extend(f"{index}. {sub.field.label}: {message}" for message in sub.errors)
                report.warnings.extend(f"{index}. {sub.field.label}: {message}" for message in sub.warnings)
        return report
    for constraint in target.constraints:
        if not (constraint.is_error or constraint.is_warning):
            continue  # sh:Info and other severities: neither blocking nor reported
        result = check(constraint, context, node)
        if result.valid:
            continue
        messages = report.errors if constraint.is_error else report.warnings
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
