"""Code lists (concept schemes) from the meta graph: the options of selector fields.

A concept belongs to a scheme through `skos:inScheme`; its label is `skos:prefLabel` (Dutch preferred).
Options sort by label, or by the field's `fieldOption:orderBy` predicate (e.g. `qb:order`) when given.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.term import Node

from .jsnumbers import js_number
from .model import Field
from .vocabulary import SKOS


@dataclass(frozen=True, slots=True)
class Option:
    value: Node
    label: str


_cache: weakref.WeakKeyDictionary[Graph, tuple[int, dict[tuple[Node, Node | None], list[Option]]]] = (
    weakref.WeakKeyDictionary()
)


def scheme_options(field: Field, meta: Graph) -> list[Option]:
    """The concepts of the field's scheme, in display order (cached per meta graph while its size holds).

    A meta graph made of layers (`meta.layers`: e.g. the code lists, shared by every request, and one organisation's
    own triples) is read from the one layer that holds the scheme, when only one does: the options of a shared code
    list are then built once per process instead of once per request."""
    scheme = field.concept_scheme
    if scheme is None:
        return []
    holders = [layer for layer in getattr(meta, "layers", ()) if (None, SKOS.inScheme, scheme) in layer]
    if len(holders) == 1:
        meta = holders[0]
    size = len(meta)
    entry = _cache.get(meta)
    if entry is None or entry[0] != size:
        entry = (size, {})
        _cache[meta] = entry
    key = (scheme, field.order_by)
    if key not in entry[1]:
        entry[1][key] = _options(meta, scheme, field.order_by)
    return entry[1][key]


def _options(meta: Graph, scheme: Node, order_by: Node | None) -> list[Option]:
    options = [Option(concept, _label(meta, concept)) for concept in set(meta.subjects(SKOS.inScheme, scheme))]
    if order_by is not None:

        def position(option: Option) -> tuple[float, str]:
            value = meta.value(option.value, order_by)
            number = js_number(str(value)) if value is not None else float("inf")
            return (number if number == number else float("inf"), option.label)

        return sorted(options, key=position)
    return sorted(options, key=lambda o: (o.label.casefold(), str(o.value)))


def _label(meta: Graph, concept: Node) -> str:
    labels = list(meta.objects(concept, SKOS.prefLabel))
    for label in labels:
        if isinstance(label, Literal) and label.language in {"nl", None}:
            return str(label)
    return str(labels[0]) if labels else str(concept)
