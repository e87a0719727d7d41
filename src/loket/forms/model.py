"""The in-memory model of a semantic form definition.

A *form definition* (formulierdefinitie) is Turtle in the lblod form vocabulary. The loader turns it into
these immutable dataclasses once; deciding, validating, collecting and rendering only read them.

* A *field* (veld) has a SHACL path from the *source node* (the submission document) to its values.
  A field without display type is a *hidden field*: not shown, but its data is selected and validated.
* v1 forms reach fields through *field groups* (`form:hasFieldGroup` / `form:hasField`); a field can carry
  *conditional field groups* whose groups only count when their conditions hold for the current data.
* v2 forms (`form:TopLevelForm` / `form:SubForm`) list their items with `form:includes`, each optionally
  guarded by `form:rendersWhen` conditions.
* A *listing* (`form:Listing`) repeats a sub-form for every node reached through its *scope*.
* A *constraint* is a validation (or a condition) with its own path, a grouping (Bag/MatchEvery/MatchSome)
  and a severity: `sh:Violation` (the default) blocks, `sh:Warning` is reported but never blocks, and any
  other severity (`sh:Info`) is neither, as in the real library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from .vocabulary import DECORATIVE_DISPLAY_TYPES, SH


@dataclass(frozen=True, slots=True)
class PathStep:
    """One step of a SHACL path: a predicate, walked forwards or (sh:inversePath) backwards."""

    predicate: URIRef
    inverse: bool = False


Path = tuple[PathStep, ...]


def path_text(path: Path) -> str:
    """The path as a SPARQL property path, e.g. `<http://x/a>/^<http://x/b>`."""
    return "/".join(("^" if step.inverse else "") + f"<{step.predicate}>" for step in path)


@dataclass(frozen=True, slots=True)
class Constraint:
    """A validation or condition node: its type, own path(s), grouping, severity, message and parameters."""

    node: Node
    type: URIRef
    paths: tuple[Path, ...]
    grouping: URIRef | None
    severity: URIRef
    message: str
    params: dict[URIRef, tuple[Node, ...]] = field(hash=False, compare=False)

    @property
    def path(self) -> Path:
        return self.paths[0] if self.paths else ()

    @property
    def is_error(self) -> bool:
        """sh:Violation (the default): blocks sending."""
        return self.severity == SH.Violation

    @property
    def is_warning(self) -> bool:
        """sh:Warning: reported, never blocks. Any other severity (sh:Info, …) is neither error nor warning."""
        return self.severity == SH.Warning

    def param(self, predicate: URIRef) -> Node | None:
        values = self.params.get(predicate, ())
        return values[0] if values else None


@dataclass(frozen=True, slots=True)
class ScopeFilter:
    """Keeps (or, when negative, drops) scoped nodes that have `path` leading to `value`."""

    path: Path
    value: Node
    is_positive: bool


@dataclass(frozen=True, slots=True)
class Scope:
    """`form:Scope`: the path from the source node to the nodes a field or listing applies to."""

    node: Node
    path: Path
    filters: tuple[ScopeFilter, ...] = ()


@dataclass(frozen=True, slots=True)
class ConditionalGroup:
    """`form:ConditionalFieldGroup`: groups whose fields apply when all conditions hold."""

    node: Node
    conditions: tuple[Constraint, ...]
    field_groups: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Listing:
    """`form:Listing`: a sub-form repeated for each node in scope."""

    sub_form: Node
    scope: Scope | None
    create_generator: Node | None
    can_add: bool
    can_remove: bool
    min_count: int | None
    max_count: int | None
    add_label: str
    remove_label: str
    no_data_message: str


@dataclass(frozen=True, slots=True)
class Field:
    """`form:Field` (or a listing): everything the engine needs to decide, validate, collect and render."""

    node: Node
    label: str
    order: float
    path: Path
    display_type: URIRef | None
    constraints: tuple[Constraint, ...]
    help: str = ""
    description: str = ""
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    default_value: Node | None = None
    is_disabled: bool = False
    language: str | None = None
    scope: Scope | None = None
    conditional_groups: tuple[ConditionalGroup, ...] = ()
    group: Node | None = None
    renders_when: tuple[Constraint, ...] = ()
    concept_scheme: URIRef | None = None
    order_by: URIRef | None = None
    listing: Listing | None = None

    @property
    def is_hidden(self) -> bool:
        return self.display_type is None and self.listing is None

    @property
    def is_decorative(self) -> bool:
        return self.display_type in DECORATIVE_DISPLAY_TYPES

    @property
    def is_required(self) -> bool:
        from .vocabulary import FORM

        return any(c.type == FORM.RequiredConstraint and c.is_error for c in self.constraints)


@dataclass(frozen=True, slots=True)
class Section:
    """`form:PropertyGroup` (v1) or `form:Section` (v2): a titled visual group of fields."""

    node: Node
    label: str
    order: float
    description: str = ""
    help: str = ""
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    parent: Node | None = None


@dataclass(frozen=True, slots=True)
class FormNode:
    """A form or sub-form: v2 includes (in order) and v1 field groups."""

    node: Node
    is_v2: bool
    includes: tuple[Node, ...]
    field_groups: tuple[Node, ...]


@dataclass(slots=True)
class FormDefinition:
    """A loaded form definition; `triples` keeps the original Turtle for parameters and generators."""

    root: FormNode
    triples: Any  # index.TripleIndex: objects/subjects/predicate_objects/value/in, with rdflib terms
    source: str
    fields: dict[Node, Field]
    field_groups: dict[Node, tuple[Node, ...]]
    sub_forms: dict[Node, FormNode]
    sections: dict[Node, Section]
    target_type: URIRef | None = None
    init_generator: Node | None = None
    warnings: list[str] = field(default_factory=list)
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)  # derived indexes, built on first use

    @property
    def graph(self) -> Graph:
        """The definition as an rdflib Graph (made on first use; the engine itself reads `triples`)."""
        graph = self.cache.get("graph")
        if graph is None:
            graph = self.cache["graph"] = self.triples.to_graph()
        return graph

    @property
    def uri(self) -> Node:
        return self.root.node

    def form_node(self, node: Node | None = None) -> FormNode:
        if node is None or node == self.root.node:
            return self.root
        return self.sub_forms[node]
