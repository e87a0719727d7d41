"""Loading a form definition from Turtle into the model, once per file version (path + mtime + size)."""

from __future__ import annotations

import json
import threading
from pathlib import Path as FilePath
from typing import Any, cast

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from . import constraints as constraint_registry
from .errors import FormLoadError, FormWarning
from .index import TripleIndex, parse_form_index
from .model import (
    ConditionalGroup,
    Constraint,
    Field,
    FormDefinition,
    FormNode,
    Listing,
    Path,
    PathStep,
    Scope,
    ScopeFilter,
    Section,
)
from .rdfio import locate
from .textfiles import MAX_TURTLE_BYTES, read_text_file
from .vocabulary import DECORATIVE_DISPLAY_TYPES, FIELD_OPTION, FORM, KNOWN_DISPLAY_TYPES, RDF, SH

# A stand-in type for a validation without rdf:type: no validator is registered for it, so it always passes.
UNTYPED = URIRef("urn:loket:forms:untyped-constraint")

_cache: dict[str, tuple[tuple[int, int], FormDefinition]] = {}
_cache_lock = threading.Lock()


def load_form(path: str | FilePath) -> FormDefinition:
    """Load (or take from the cache) the form definition in a Turtle file."""
    resolved = str(FilePath(path).resolve())
    try:
        stat = FilePath(resolved).stat()
    except OSError as error:
        raise FormLoadError(f"kan het bestand niet lezen: {error.strerror}", source=str(path)) from None
    version = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(resolved)
    if cached and cached[0] == version:
        return cached[1]
    text = read_text_file(path, limit=MAX_TURTLE_BYTES)
    definition = load_form_text(text, source=str(path))
    with _cache_lock:
        _cache[resolved] = (version, definition)
    return definition


def clear_cache() -> None:
    _cache.clear()


def load_form_text(text: str, *, source: str = "<string>") -> FormDefinition:
    """Parse Turtle text and build the form definition; FormLoadError names file, line and node."""
    return _Builder(parse_form_index(text, source=source), text, source).build()


class _Builder:
    """Walks the form graph from its root, building fields, groups, sections and sub-forms.

    Lenient like the real library: only malformed Turtle, a missing root and cycles stop loading; anything
    else it cannot use (a field without path, an undefined field, an unknown display or validation type, a
    path to nowhere, …) loads as the real library would treat it, with one warning per thing.
    """

    def __init__(self, graph: TripleIndex, text: str, source: str) -> None:
        self.graph = graph
        self.text = text
        self.source = source
        self.fields: dict[Node, Field] = {}
        self.field_groups: dict[Node, tuple[Node, ...]] = {}
        self.sub_forms: dict[Node, FormNode] = {}
        self.sections: dict[Node, Section] = {}
        self.warnings: list[str] = []
        self._warned: set[tuple[str, Node]] = set()
        self._constraints: dict[Node, Constraint] = {}
        self._in_progress: set[Node] = set()

    # -- errors and warnings ----------------------------------------------------------------------------
    def owner(self, node: Node | None) -> Node | None:
        """The node itself, or for a blank node (`[ a form:RequiredConstraint … ]`) the named node it is in."""
        seen: set[Node] = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            node = next(iter(self.graph.subjects(None, node)), None)
        return node

    def where(self, node: Node) -> tuple[int | None, str]:
        """Line and description of `node` for a message; a blank node is named by the node it belongs to."""
        owner = self.owner(node)
        line = locate(self.text, self.graph, owner) if owner is not None else None
        if isinstance(node, BNode):
            return line, f"[ … ] in {owner}" if owner is not None else "[ … ]"
        return line, str(node)

    def error(self, message: str, node: Node | None = None) -> FormLoadError:
        line, name = self.where(node) if node is not None else (None, "")
        return FormLoadError(message, source=self.source, line=line, node=name)

    def warn(self, message: str, node: Node) -> None:
        if (message, node) in self._warned:
            return
        self._warned.add((message, node))
        line, name = self.where(node)
        self.warnings.append(FormWarning(message, source=self.source, line=line, node=name))

    def is_defined(self, node: Node) -> bool:
        return next(iter(self.graph.predicate_objects(node)), None) is not None

    # -- small readers -------------------------------------------------------------------------------
    def one(self, subject: Node, predicate: URIRef) -> Node | None:
        return next(iter(self.graph.objects(subject, predicate)), None)

    def text_of(self, subject: Node, predicate: URIRef) -> str:
        """The Dutch text (untagged or @nl) when there is one: other languages are read where they are shown."""
        values = list(self.graph.objects(subject, predicate))
        dutch = [v for v in values if not isinstance(v, Literal) or v.language in {None, "nl"}]
        value = min(dutch or values, key=str, default=None)
        return str(value) if value is not None else ""

    def number(self, subject: Node, predicate: URIRef, default: float) -> float:
        value = self.one(subject, predicate)
        try:
            return float(str(value)) if value is not None else default
        except ValueError:
            self.warn(f"{predicate} is geen getal: {str(value)!r} (genegeerd)", subject)
            return default

    def flag(self, subject: Node, predicate: URIRef, default: bool = False) -> bool:
        value = self.one(subject, predicate)
        if value is None:
            return default
        return str(value).strip().lower() in {"true", "1"}

    def options(self, subject: Node) -> dict[str, Any]:
        raw = self.one(subject, FORM.options)
        if raw is None:
            return {}
        try:
            parsed = json.loads(str(raw))
        except json.JSONDecodeError as error:
            self.warn(f"form:options is geen geldige JSON ({error.msg}): genegeerd", subject)
            return {}
        return parsed if isinstance(parsed, dict) else {}

    # -- build -------------------------------------------------------------------------------------
    def build(self) -> FormDefinition:
        root_node = self.find_root()
        root = self.form_node(root_node)
        definition = FormDefinition(
            root=root,
            triples=self.graph,
            source=self.source,
            fields=self.fields,
            field_groups=self.field_groups,
            sub_forms=self.sub_forms,
            sections=self.sections,
            target_type=self.one(root_node, FORM.targetType),  # type: ignore[arg-type]
            init_generator=self.one(root_node, FORM.initGenerator),
            warnings=self.warnings,
        )
        self.check_section_cycles()
        return definition

    def find_root(self) -> Node:
        candidates = set(self.graph.subjects(RDF.type, FORM.Form)) | set(
            self.graph.subjects(RDF.type, FORM.TopLevelForm)
        )
        candidates -= set(self.graph.subjects(RDF.type, FORM.SubForm))
        if not candidates:
            raise self.error("geen formulier gevonden (geen knoop van type form:Form of form:TopLevelForm)")
        return sorted(candidates, key=str)[0]

    def form_node(self, node: Node) -> FormNode:
        is_v2 = (node, RDF.type, FORM.TopLevelForm) in self.graph or (node, RDF.type, FORM.SubForm) in self.graph
        includes = tuple(self.sorted_items(self.graph.objects(node, FORM.includes)))
        groups = tuple(sorted(self.graph.objects(node, FORM.hasFieldGroup), key=str))
        form = FormNode(node=node, is_v2=is_v2, includes=includes, field_groups=groups)
        if node in self._in_progress:
            return form
        self._in_progress.add(node)
        for item in includes:
            if self.is_section(item):
                self.warn("een sectie staat tussen de form:includes: geen veld, alleen als sectie gebruikt", item)
                self.section(item)
            else:
                self.field(item, trail=())
        for group in groups:
            self.field_group(group, trail=())
        self._in_progress.discard(node)
        return form

    def sorted_items(self, items: Any) -> list[Node]:
        return sorted(items, key=lambda item: (self.number(item, SH.order, float("inf")), str(item)))

    def is_section(self, node: Node) -> bool:
        return (node, RDF.type, FORM.Section) in self.graph or (node, RDF.type, FORM.PropertyGroup) in self.graph

    def field_group(self, group: Node, trail: tuple[Node, ...]) -> None:
        if group in trail:
            raise self.error("cyclus in de veldgroepen: een groep bevat zichzelf via voorwaardelijke groepen", group)
        if group not in self.field_groups and not self.is_defined(group):
            self.warn("veldgroep wordt vermeld maar nergens beschreven: zonder velden", group)
        members = tuple(self.sorted_items(self.graph.objects(group, FORM.hasField)))
        self.field_groups[group] = members
        for member in members:
            self.field(member, trail=(*trail, group))

    def field(self, node: Node, trail: tuple[Node, ...]) -> None:
        if node in trail:
            raise self.error("cyclus: een veld bevat zichzelf via voorwaardelijke groepen", node)
        if node in self.fields:
            return
        display_type = self.one(node, FORM.displayType)
        is_listing = (node, RDF.type, FORM.Listing) in self.graph
        path_node = self.one(node, SH.path)
        if not self.is_defined(node):
            self.warn("veld wordt vermeld maar nergens beschreven: niets te tonen of te controleren", node)
        elif path_node is None and not is_listing and display_type not in DECORATIVE_DISPLAY_TYPES:
            self.warn("veld zonder sh:path: er is niets voor te selecteren", node)
        if display_type is not None and display_type not in KNOWN_DISPLAY_TYPES:
            self.warn(f"onbekend weergavetype {display_type}: de waarde wordt alleen getoond", node)
        validations = list(self.graph.objects(node, FORM.validatedBy)) or list(
            self.graph.objects(node, FORM.validations)
        )
        options = self.options(node)
        scheme = self.one(node, FIELD_OPTION.conceptScheme) or options.get("conceptScheme")
        order_by = self.one(node, FIELD_OPTION.orderBy) or (
            URIRef(options["orderBy"]) if isinstance(options.get("orderBy"), str) else None
        )
        field = Field(
            node=node,
            label=self.text_of(node, SH.name),
            order=self.number(node, SH.order, float("inf")),
            path=self.path(path_node, node) if path_node is not None else (),
            display_type=display_type,  # type: ignore[arg-type]
            constraints=tuple(self.constraint(v) for v in sorted(validations, key=self.stable_key)),
            help=self.text_of(node, FORM.help),
            description=self.text_of(node, SH.description),
            options=options,
            default_value=self.one(node, FORM.defaultValue),
            is_disabled=self.flag(node, FORM.fieldDisabled),
            language=self.text_of(node, FORM.language) or None,
            scope=self.scope(self.one(node, FORM.scope)),
            group=self.one(node, SH.group) or self.one(node, FORM.partOf),
            renders_when=tuple(self.constraint(c) for c in self.graph.objects(node, FORM.rendersWhen)),
            concept_scheme=URIRef(str(scheme)) if scheme else None,
            order_by=order_by,  # type: ignore[arg-type]
            listing=self.listing(node) if is_listing else None,
        )
        self.fields[node] = field
        if field.group is not None:
            self.section(field.group)
        conditionals = tuple(
            self.conditional_group(c, (*trail, node))
            for c in sorted(self.graph.objects(node, FORM.hasConditionalFieldGroup), key=str)
        )
        self.fields[node] = _replace(field, conditional_groups=conditionals)

    def conditional_group(self, node: Node, trail: tuple[Node, ...]) -> ConditionalGroup:
        if not self.is_defined(node):
            self.warn("voorwaardelijke veldgroep wordt vermeld maar nergens beschreven: zonder velden", node)
        groups = tuple(sorted(self.graph.objects(node, FORM.hasFieldGroup), key=str))
        for group in groups:
            self.field_group(group, trail)
        conditions = tuple(
            self.constraint(c) for c in sorted(self.graph.objects(node, FORM.conditions), key=self.stable_key)
        )
        return ConditionalGroup(node=node, conditions=conditions, field_groups=groups)

    def listing(self, node: Node) -> Listing:
        each = self.one(node, FORM.each)
        if each is None:
            self.warn("form:Listing zonder form:each: geen subformulier, de lijst blijft leeg", node)
            each = BNode()
            self.sub_forms[each] = FormNode(node=each, is_v2=True, includes=(), field_groups=())
        elif each not in self.sub_forms and each not in self._in_progress:
            if not self.is_defined(each):
                self.warn("subformulier wordt vermeld maar nergens beschreven: zonder velden", each)
            self.sub_forms[each] = self.form_node(each)
        return Listing(
            sub_form=each,
            scope=self.scope(self.one(node, FORM.scope)),
            create_generator=self.one(node, FORM.createGenerator),
            can_add=self.flag(node, FORM.canAdd),
            can_remove=self.flag(node, FORM.canRemove),
            min_count=int(self.number(node, SH.minCount, -1)) if self.one(node, SH.minCount) else None,
            max_count=int(self.number(node, SH.maxCount, -1)) if self.one(node, SH.maxCount) else None,
            add_label=self.text_of(node, FORM.addLabel),
            remove_label=self.text_of(node, FORM.removeLabel),
            no_data_message=self.text_of(node, FORM.noDataMessage),
        )

    def scope(self, node: Node | None) -> Scope | None:
        """`form:Scope`: a path, filtered by `form:constraint` node shapes (triplesForScope).

        As the real library: only shapes typed `sh:NodeShape` count; `sh:property` shapes keep the nodes that
        reach `sh:hasValue` (or the older `sh:targetNode`) over their `sh:path`, `sh:not` shapes drop them.
        """
        if node is None:
            return None
        path_node = self.one(node, SH.path)
        if path_node is None:
            self.warn("form:Scope zonder sh:path: er valt niets binnen deze scope", node)
        filters: list[ScopeFilter] = []
        for shape in self.graph.objects(node, FORM.constraint):
            if (shape, RDF.type, SH.NodeShape) not in self.graph:
                self.warn("scope-beperking zonder rdf:type sh:NodeShape: genegeerd", shape)
                continue
            for predicate, is_positive in ((SH.property, True), (SH["not"], False)):
                for prop in self.graph.objects(shape, predicate):
                    filters.append(self.scope_filter(prop, is_positive))
        path = self.path(path_node, node) if path_node is not None else ()
        return Scope(node=node, path=path, filters=tuple(filters))

    def scope_filter(self, prop: Node, is_positive: bool) -> ScopeFilter:
        value = self.one(prop, SH.hasValue) or self.one(prop, SH.targetNode)
        prop_path = self.one(prop, SH.path)
        if value is None or prop_path is None:
            self.warn("scope-beperking zonder sh:path of sh:hasValue: geen enkele knoop voldoet", prop)
        path = self.path(prop_path, prop) if prop_path is not None else ()
        return ScopeFilter(path, value, is_positive)  # type: ignore[arg-type]

    def section(self, node: Node) -> None:
        if node in self.sections:
            return
        if not self.is_defined(node):
            self.warn("sectie wordt vermeld maar nergens beschreven", node)
        parent = self.one(node, FORM.partOf) or self.one(node, SH.group)
        self.sections[node] = Section(
            node=node,
            label=self.text_of(node, SH.name),
            order=self.number(node, SH.order, float("inf")),
            description=self.text_of(node, SH.description),
            help=self.text_of(node, FORM.help),
            options=self.options(node),
            parent=parent,
        )
        if parent is not None:
            self.section(parent)

    def check_section_cycles(self) -> None:
        for start in self.sections:
            seen = {start}
            parent = self.sections[start].parent
            while parent is not None:
                if parent in seen:
                    raise self.error("cyclus in de secties (form:partOf/sh:group)", start)
                seen.add(parent)
                parent = self.sections[parent].parent if parent in self.sections else None

    def stable_key(self, node: Node, depth: int = 0) -> tuple:
        """An order of nodes that is the same every time the same Turtle is read: a blank node's label differs per
        parse, so it sorts by what it says (its triples, nested blank nodes likewise, a few levels deep). Sorting
        constraints by label gave one field's messages in a different order on each load (found by fuzzing)."""
        if not isinstance(node, BNode):
            return (0, str(node))
        if depth > 4:
            return (1, ())
        return (
            1,
            tuple(sorted((str(p), self.stable_key(o, depth + 1)) for p, o in self.graph.predicate_objects(node))),
        )

    def constraint(self, node: Node) -> Constraint:
        if node in self._constraints:
            return self._constraints[node]
        types = sorted(self.graph.objects(node, RDF.type), key=str)
        known = [t for t in types if constraint_registry.is_registered(t)]
        if not types:
            if self.is_defined(node):
                self.warn("validatie of voorwaarde zonder rdf:type: wordt niet gecontroleerd", node)
            else:
                self.warn("validatie of voorwaarde wordt vermeld maar nergens beschreven: geldt altijd", node)
            types = [UNTYPED]
        ctype = known[0] if known else types[0]
        if not known and ctype != UNTYPED:
            self.warn(f"onbekend validatietype {ctype}: wordt niet gecontroleerd", node)
        params: dict[URIRef, tuple[Node, ...]] = {}
        for predicate, value in self.graph.predicate_objects(node):
            key = cast(URIRef, predicate)  # an RDF predicate is an IRI
            params[key] = (*params.get(key, ()), value)
        for list_predicate in (FORM.valuesIn, FORM.valuesNotIn):
            if list_predicate in params:
                params[list_predicate] = tuple(self.list_items(params[list_predicate][0]))
        grouping = self.one(node, FORM.grouping)
        if grouping is None and known:
            self.warn("validatie zonder form:grouping (de echte bibliotheek faalt hierop)", node)
        constraint = Constraint(
            node=node,
            type=ctype,  # type: ignore[arg-type]
            paths=tuple(self.path(p, node) for p in sorted(self.graph.objects(node, SH.path), key=str)),
            grouping=grouping,  # type: ignore[arg-type]
            severity=self.one(node, SH.severity) or SH.Violation,  # type: ignore[arg-type]
            message=self.text_of(node, SH.resultMessage),
            params=params,
        )
        self._constraints[node] = constraint
        return constraint

    def list_items(self, node: Node) -> list[Node]:
        if (isinstance(node, BNode) and (node, RDF.first, None) in self.graph) or node == RDF.nil:
            return self.collection(node)
        return [node]

    def collection(self, node: Node) -> list[Node]:
        """The members of an RDF list (stops at a broken or circular list)."""
        items: list[Node] = []
        seen: set[Node] = set()
        while node != RDF.nil and node not in seen:
            seen.add(node)
            first = self.one(node, RDF.first)
            if first is None:
                break
            items.append(first)
            node = self.one(node, RDF.rest) or RDF.nil
        return items

    def path(self, node: Node, owner: Node) -> Path:
        """A SHACL path: an IRI, or an RDF list of IRIs and `[sh:inversePath p]` (nested lists flattened).

        Anything else leads nowhere (an empty path: no values, nothing selected), as in the real library,
        which walks neither a literal nor a lone `[sh:inversePath p]` outside a list.
        """
        if isinstance(node, URIRef) and node != RDF.nil:
            return (PathStep(node),)
        if isinstance(node, BNode) and (node, RDF.first, None) in self.graph:
            steps: list[PathStep] = []
            for item in self.collection(node):
                if isinstance(item, BNode) and (item, RDF.first, None) not in self.graph:
                    inverse = self.one(item, SH.inversePath)
                    if isinstance(inverse, URIRef):
                        steps.append(PathStep(inverse, inverse=True))
                        continue
                    break
                step = self.path(item, owner)
                if not step:
                    break
                steps.extend(step)
            else:
                if steps:
                    return tuple(steps)
        if isinstance(node, BNode) and isinstance(self.one(node, SH.inversePath), URIRef):
            why = "een los sh:inversePath (buiten een lijst) volgt de echte bibliotheek niet"
        elif isinstance(node, Literal):
            why = f"{str(node)!r} is geen predicaat"
        else:
            why = "geen predicaat of SHACL-pad"
        self.warn(f"sh:path leidt nergens heen: {why}", owner)
        return ()


def _replace(field: Field, **changes: Any) -> Field:
    from dataclasses import replace

    return replace(field, **changes)
