"""`form:Generator`: building new nodes from a prototype shape (listing "add", init generators).

The prototype `form:prototype [form:shape [ a T; p o; q [ … ] ]]` is copied; the shape and every blank
node inside it become new nodes, named by a `form:UriGenerator` for their type (`form:forType`,
`form:prefix`) or `http://data.lblod.info/form-data/nodes/<uuid>`. `form:dataGenerator form:addMuUuid`
gives each new node its `mu:uuid`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .model import FormDefinition
from .vocabulary import FORM, FORM_DATA_NODES, MU, RDF

AddTriple = Callable[[tuple[Node, Node, Node]], None]


def apply_generator(definition: FormDefinition, generator: Node, add: AddTriple) -> Node | None:
    """Create the nodes of the generator's prototype; returns the node made from the shape."""
    graph = definition.triples
    prototype = graph.value(generator, FORM.prototype)
    shape = graph.value(prototype, FORM.shape) if prototype is not None else None
    if shape is None:
        return None
    add_uuid = (generator, FORM.dataGenerator, FORM.addMuUuid) in graph
    return _copy(definition, shape, add, add_uuid, {})


def _copy(definition: FormDefinition, shape: Node, add: AddTriple, add_uuid: bool, made: dict[Node, Node]) -> Node:
    if shape in made:
        return made[shape]
    identifier = str(uuid.uuid4())
    node = URIRef(_prefix_for(definition, shape) + identifier)
    made[shape] = node
    if add_uuid:
        add((node, MU.uuid, Literal(identifier)))
    for predicate, value in definition.triples.predicate_objects(shape):
        if isinstance(value, BNode):
            value = _copy(definition, value, add, add_uuid, made)
        add((node, predicate, value))
    return node


def _prefix_for(definition: FormDefinition, shape: Node) -> str:
    graph = definition.triples
    for node_type in graph.objects(shape, RDF.type):
        for uri_generator in graph.subjects(FORM.forType, node_type):
            prefix = graph.value(uri_generator, FORM.prefix)
            if prefix is not None:
                return str(prefix)
    return FORM_DATA_NODES
