"""Which fields apply to a source node (fieldsForForm of submission-form-helpers).

v2 items (`form:includes`) apply when all their `form:rendersWhen` conditions hold; then the v1 algorithm
runs on the same form node: the fields of its field groups, and — breadth first, as long as new fields
appear — the field groups of every conditional field group whose conditions all hold. Order is discovery
order (within a group by `sh:order`). The answer is kept in the DataContext until its data changes
(`forget()`), so validating and selecting reuse it.

The fields of a listing's sub-form are decided on the node of the form that holds the listing, not on each
item: the real library evaluates a sub-form's conditions on the enclosing form's source node.

A field such as the real Toezicht form's "type dossier" carries one conditional group per document type,
each guarded by a single `form:SingleCodelistValue` condition on the same path and scheme. Those groups are
indexed by their custom value when the form is first used, so deciding reads the type once instead of
checking 190 conditions one by one (same verdicts: the condition holds exactly when the single value of that
scheme on the path is the custom value).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib.term import Node

from .constraints import check, is_built_in, single_codelist_value
from .model import ConditionalGroup, Constraint, Field, FormDefinition, Path
from .paths import DataContext
from .vocabulary import FORM


def conditions_hold(conditions: Iterable[Constraint], context: DataContext, node: Node) -> bool:
    return all(check(condition, context, node).valid for condition in conditions)


@dataclass(frozen=True, slots=True)
class _ConditionIndex:
    """A field's conditional groups: those keyed by the custom value of their single code-list condition
    (per path and scheme), and the others, each with its position to keep the form's order."""

    keyed: dict[tuple[Path, Node], dict[str, list[tuple[int, ConditionalGroup]]]]
    others: list[tuple[int, ConditionalGroup]]


def _index(definition: FormDefinition, target: Field) -> _ConditionIndex:
    cache = definition.cache.setdefault("conditions", {})
    found = cache.get(target.node)
    if found is not None:
        return found
    keyed: dict[tuple[Path, Node], dict[str, list[tuple[int, ConditionalGroup]]]] = {}
    others: list[tuple[int, ConditionalGroup]] = []
    for position, group in enumerate(target.conditional_groups):
        condition = group.conditions[0] if len(group.conditions) == 1 else None
        scheme = condition.param(FORM.conceptScheme) if condition is not None else None
        custom = condition.param(FORM.customValue) if condition is not None else None
        if (
            condition is not None
            and condition.type == FORM.SingleCodelistValue
            and condition.grouping == FORM.Bag
            and scheme is not None
            and custom is not None
        ):
            keyed.setdefault((condition.path, scheme), {}).setdefault(str(custom), []).append((position, group))
        else:
            others.append((position, group))
    found = _ConditionIndex(keyed, others)
    cache[target.node] = found
    return found


def _holding_groups(definition: FormDefinition, target: Field, context: DataContext, node: Node) -> list[Node]:
    """The field groups of the field's conditional groups whose conditions hold on `node`, in form order."""
    if len(target.conditional_groups) < 4 or not is_built_in(FORM.SingleCodelistValue, single_codelist_value):
        return [
            group
            for conditional in target.conditional_groups
            if conditions_hold(conditional.conditions, context, node)
            for group in conditional.field_groups
        ]
    index = _index(definition, target)
    holding = [(p, c) for p, c in index.others if conditions_hold(c.conditions, context, node)]
    for (path, scheme), by_value in index.keyed.items():
        matches = [v for v in context.values(node, path) if context.in_scheme(v, scheme)]
        if len(matches) == 1:
            holding.extend(by_value.get(str(matches[0]), ()))
    holding.sort(key=lambda pair: pair[0])
    return [group for _position, conditional in holding for group in conditional.field_groups]


def applicable_fields(
    definition: FormDefinition, context: DataContext, node: Node, form_node: Node | None = None
) -> list[Field]:
    """The fields (and listings) of the form or sub-form whose conditions hold on `node`, in order."""
    key = (node, form_node)
    decided = context.decided.get(key)
    if decided is None:
        decided = context.decided[key] = _decide(definition, context, node, form_node)
    return list(decided)


def _decide(definition: FormDefinition, context: DataContext, node: Node, form_node: Node | None) -> list[Field]:
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
            if new_field.conditional_groups
            for group in _holding_groups(definition, new_field, context, node)
        ]
        found.extend(new_fields)
    return found
