"""Walking SHACL paths through the source graph (triplesForPath of submission-form-helpers)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Node

from .model import Path, Scope
from .vocabulary import FORM_DATA_NODES, SKOS

Triple = tuple[Node, Node, Node]


@dataclass(slots=True)
class DataContext:
    """The graphs one form operation works on: the submission's source graph and the code lists (meta)."""

    source: Graph
    meta: Graph = field(default_factory=Graph)
    _memo: dict[tuple[Node, Path], list[Node]] = field(default_factory=dict)
    decided: dict[tuple[Node, Node | None], list] = field(default_factory=dict)  # applicable fields, by form

    def values(self, node: Node, path: Path) -> list[Node]:
        """End nodes of `path` from `node` (inverse steps walk backwards); every branch counts.

        The empty path is a path to nowhere (a field without sh:path): it has no values."""
        if not path:
            return []
        key = (node, path)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        current = [node]
        for step in path:
            following: list[Node] = []
            for here in current:
                if step.inverse:
                    following.extend(self.source.subjects(step.predicate, here))
                else:
                    following.extend(self.source.objects(here, step.predicate))
            current = following
        self._memo[key] = current
        return current

    def path_triples(self, node: Node, path: Path) -> list[Triple]:
        """Every triple along `path` from `node`: the data a field covers."""
        triples: list[Triple] = []
        current = [node]
        for step in path:
            following: list[Node] = []
            for here in current:
                if step.inverse:
                    for subject in self.source.subjects(step.predicate, here):
                        triples.append((subject, step.predicate, here))
                        following.append(subject)
                else:
                    for value in self.source.objects(here, step.predicate):
                        triples.append((here, step.predicate, value))
                        following.append(value)
            current = following
        return triples

    def scoped_nodes(self, node: Node, scope: Scope | None) -> list[Node]:
        """The nodes a scoped field or listing applies to (all filters must agree)."""
        if scope is None:
            return [node]
        nodes = self.values(node, scope.path)
        for scope_filter in scope.filters:
            nodes = [
                n
                for n in nodes
                if (scope_filter.value in self.values(n, scope_filter.path)) == scope_filter.is_positive
            ]
        return nodes

    def scope_triples(self, node: Node, scope: Scope) -> list[Triple]:
        """The triples along the scope's path that lead to a node in scope (the last step filtered)."""
        kept = set(self.scoped_nodes(node, scope))
        last = scope.path[-1] if scope.path else None
        triples = self.path_triples(node, scope.path)
        if last is None:
            return triples
        return [
            t
            for t in triples
            if t[1] != last.predicate or (t[0] if last.inverse else t[2]) in kept or not self._is_last(t, node, scope)
        ]

    def _is_last(self, triple: Triple, node: Node, scope: Scope) -> bool:
        """Whether the triple is a step of the scope path's last segment (not an earlier one, same predicate)."""
        last = scope.path[-1]
        starts = self.values(node, scope.path[:-1]) if len(scope.path) > 1 else [node]
        return (triple[2] if last.inverse else triple[0]) in starts

    def in_scheme(self, value: Node, scheme: Node | None) -> bool:
        return scheme is not None and (value, SKOS.inScheme, scheme) in self.meta

    def forget(self) -> None:
        """Drop cached walks and decisions after the source graph changed."""
        self._memo.clear()
        self.decided.clear()


def mint_node() -> URIRef:
    return URIRef(f"{FORM_DATA_NODES}{uuid.uuid4()}")


def ensure_path_parent(source: Graph, node: Node, path: Path) -> list[Node]:
    """The nodes holding the last step of `path`, minting missing intermediate nodes (createMissingNodes)."""
    current: list[Node] = [node]
    for step in path[:-1]:
        following: list[Node] = []
        for here in current:
            found = (
                list(source.subjects(step.predicate, here))
                if step.inverse
                else list(source.objects(here, step.predicate))
            )
            if not found:
                minted = mint_node()
                source.add((minted, step.predicate, here) if step.inverse else (here, step.predicate, minted))
                found = [minted]
            following.extend(found)
        current = following
    return current
