"""Selecting the form data (importTriplesForForm): the triples the applicable fields cover.

Only this selection is sent with a submission; data in the source graph that no applicable field covers —
for example answers to a conditional group that no longer applies — stays behind. Hidden fields count.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.term import Node

from .decide import applicable_fields
from .model import FormDefinition
from .paths import DataContext, Triple
from .validate import listing_items


def form_data_triples(
    definition: FormDefinition, context: DataContext, node: Node, form_node: Node | None = None
) -> set[Triple]:
    triples: set[Triple] = set()
    for applicable in applicable_fields(definition, context, node, form_node):
        if applicable.listing is not None:
            if applicable.listing.scope is not None:
                triples.update(context.path_triples(node, applicable.listing.scope.path))
            for item in listing_items(context, node, applicable):
                triples.update(form_data_triples(definition, context, item, applicable.listing.sub_form))
            continue
        scoped = context.scoped_nodes(node, applicable.scope) if applicable.scope else [node]
        if applicable.scope is not None:
            triples.update(context.path_triples(node, applicable.scope.path))
        for scoped_node in scoped:
            triples.update(context.path_triples(scoped_node, applicable.path))
    return triples


def select_form_data(definition: FormDefinition, context: DataContext, node: Node) -> Graph:
    """The form data as a new graph (with the source graph's prefixes)."""
    selected = Graph()
    for prefix, namespace in context.source.namespaces():
        selected.bind(prefix, namespace, override=False)
    for triple in form_data_triples(definition, context, node):
        selected.add(triple)
    return selected
