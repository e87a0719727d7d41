"""Selecting the form data (importTriplesForForm): the triples the applicable fields cover.

Only this selection is sent with a submission; data in the source graph that no applicable field covers —
for example answers to a conditional group that no longer applies — stays behind. Hidden fields count.

As the real library: a field with a `form:scope` selects its path from every node in scope (not the triples
that lead to those nodes). On purpose unlike the real library, which selects nothing for a listing, a
listing's items are kept: the triples linking them (the scope path) and their sub-form's data
(`include_listings=False` gives the real library's selection, for the differential test).
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.term import Node

from .decide import applicable_fields
from .model import FormDefinition
from .paths import DataContext, Triple
from .rdfio import plain_graph
from .validate import listing_items


def form_data_triples(
    definition: FormDefinition,
    context: DataContext,
    node: Node,
    form_node: Node | None = None,
    *,
    include_listings: bool = True,
) -> set[Triple]:
    triples: set[Triple] = set()
    _select(
        definition,
        context,
        node,
        applicable_fields(definition, context, node, form_node),
        triples,
        include_listings,
        frozenset(),
    )
    return triples


def _select(
    definition: FormDefinition,
    context: DataContext,
    node: Node,
    fields: list,
    triples: set[Triple],
    include_listings: bool,
    trail: frozenset,
) -> None:
    for applicable in fields:
        listing = applicable.listing
        if listing is not None and include_listings:
            if (node, applicable.node) in trail:
                continue  # the same listing on the same node again: data looping through a recursive form
            items = listing_items(context, node, applicable)
            if not items:
                continue
            if listing.scope is not None:
                triples.update(context.scope_triples(node, listing.scope))
            sub_fields = applicable_fields(definition, context, node, listing.sub_form)
            for item in items:
                _select(
                    definition, context, item, sub_fields, triples, include_listings, trail | {(node, applicable.node)}
                )
            continue
        scope = listing.scope if listing is not None else applicable.scope
        for scoped_node in context.scoped_nodes(node, scope):
            triples.update(context.path_triples(scoped_node, applicable.path))


def select_form_data(definition: FormDefinition, context: DataContext, node: Node) -> Graph:
    """The form data as a new graph (with the source graph's prefixes)."""
    selected = plain_graph()
    for prefix, namespace in context.source.namespaces():
        selected.bind(prefix, namespace, override=False)
    for triple in form_data_triples(definition, context, node):
        selected.add(triple)
    return selected
