"""Which fields apply to a source node (fieldsForForm of submission-form-helpers).

v2 items (`form:includes`) apply when all their `form:rendersWhen` conditions hold; then the v1 algorithm
runs on the same form node: the fields of its field groups, and — breadth first, as long as new fields
appear — the field groups of every conditional field group whose conditions all hold. Order is discovery
order (within a group by `sh:order`). Call again after the data changed: conditions are re-evaluated.

The fields of a listing's sub-form are decided on the node of the form that holds the listing, not on each
item: the real library evaluates a sub-form's conditions on the enclosing form's source node.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.term import Node

from .constraints import check
from .model import Constraint, Field, FormDefinition
from .paths import DataContext


def conditions_hold(conditions: Iterable[Constraint], context: DataContext, node: Node) -> bool:
    return all(check(condition, context, node).valid for condition in conditions)


def applicable_fields(
    definition: FormDefinition, context: DataContext, node: Node, form_node: Node | None = None
) -> list[Field]:
    """The fields (and listings) of the form or sub-form whose conditions hold on `node`, in order."""
    form = definition.form_node(form_node)
    found: list[Field] = []
    seen: set[Node] = set()
    for item in form.includes:
        item_field = definition.fields.get(item)
        if item_field is not None and item not in seen and conditions_hold(item_field.renders_when, context, node):
            found.append(item_field)
            seen.add(item)
    groups = list(form.field_groups)
    while groups:
        new_fields: list[Field] = []
        for group in groups:
            for member in definition.field_groups.get(group, ()):
                if member not in seen:
                    seen.add(member)
                    new_fields.append(definition.fields[member])
        groups = [
            group
            for new_field in new_fields
            for conditional in new_field.conditional_groups
            if conditions_hold(conditional.conditions, context, node)
            for group in conditional.field_groups
        ]
        found.extend(new_fields)
    return found
