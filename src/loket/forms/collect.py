"""Turning posted HTML form values into the triples the real Ember widgets write.

Each display type has a writer. Simple fields replace the old values at the end of their path with the new
one (creating missing intermediate nodes); selectors only replace values that are options of their scheme
(so `rdf:type` keeps `foaf:Document`). The exact shapes written:

* text inputs: a plain string literal (trimmed), lang-tagged when the field has `form:language`;
* numbers and currency: `xsd:integer` for safe integers, else `xsd:decimal`; not a number: a string;
* dates `"YYYY-MM-DD"^^xsd:date`; date-times `"…T…:…:….sssZ"^^xsd:dateTime` (UTC);
* check boxes and switches `"1"^^xsd:boolean` / `"0"^^xsd:boolean`;
* concept selectors: concept IRIs; files: `<node> <path> <file>` + `<file> a nfo:FileDataObject`;
* remote URLs: `<http://data.lblod.info/remote-url/<uuid>> a nfo:RemoteDataObject; mu:uuid; nie:url "…";
  rpioHttp:requestHeader <…>`.

Only fields the rendered page announced in `__fields` are touched; without that marker (API clients) only
the fields present in the post are. Decorative, hidden and read-only display types write nothing.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .codelists import scheme_options
from .decide import applicable_fields
from .generators import apply_generator
from .jsnumbers import is_safe_integer, js_number, js_number_text
from .model import Field, FormDefinition, Path
from .names import ACTION, FIELDS_MARKER, field_name
from .paths import DataContext, Triple, mint_node
from .rdfio import literal
from .validate import listing_items
from .vocabulary import (
    DISPLAY,
    MU,
    NFO,
    NIE,
    RDF,
    REMOTE_URL_BASE,
    REMOTE_URL_REQUEST_HEADER,
    RPIO_HTTP,
    SH,
    XSD,
)

StoreFile = Callable[[Any], URIRef | None]
LOCAL_ZONE = ZoneInfo("Europe/Brussels")


@dataclass(slots=True)
class Changes:
    """Additions and removals applied to the source graph (a triple added then removed cancels out)."""

    context: DataContext
    additions: set[Triple] = field(default_factory=set)
    removals: set[Triple] = field(default_factory=set)
    action: str = ""

    def add(self, triple: Triple) -> None:
        if triple in self.context.source:
            return
        self.context.source.add(triple)
        if triple in self.removals:
            self.removals.discard(triple)
        else:
            self.additions.add(triple)

    def remove(self, triple: Triple) -> None:
        if triple not in self.context.source:
            return
        self.context.source.remove(triple)
        if triple in self.additions:
            self.additions.discard(triple)
        else:
            self.removals.add(triple)


@dataclass(frozen=True, slots=True)
class Posted:
    """What was posted for one field on one node."""

    field: Field
    node: Node
    values: list[str]
    files: list[Any]
    store_file: StoreFile | None
    graph: Graph | None = None  # the form definition's own triples (options a widget reads from its field)
    name: str = ""
    data: Any = None


def collect_post(
    definition: FormDefinition,
    context: DataContext,
    node: Node,
    data: Any,
    files: Any = None,
    store_file: StoreFile | None = None,
    form_node: Node | None = None,
) -> Changes:
    """Write posted values (a QueryDict or {name: [values]}) into the source graph; returns the diff."""
    changes = Changes(context)
    announced = set(_getlist(data, FIELDS_MARKER)) if FIELDS_MARKER in data else None
    changes.action = (_getlist(data, ACTION) or [""])[0]
    _collect_form(definition, changes, node, data, files, store_file, announced, form_node)
    return changes


def _collect_form(
    definition: FormDefinition,
    changes: Changes,
    node: Node,
    data: Any,
    files: Any,
    store_file: StoreFile | None,
    announced: set[str] | None,
    form_node: Node | None,
) -> None:
    done: set[Node] = set()
    while True:  # newly applicable fields may have posted values too
        changes.context.forget()
        pending = [f for f in applicable_fields(definition, changes.context, node, form_node) if f.node not in done]
        pending = [f for f in pending if _is_posted(field_name(f.node, node), f, data, files, announced)]
        if not pending:
            return
        for target in pending:
            done.add(target.node)
            if target.listing is not None:
                _collect_listing(definition, changes, node, target, data, files, store_file, announced)
                continue
            writer = WRITERS.get(target.display_type) if target.display_type is not None else None
            if writer is None or target.is_disabled or (not target.path and target.display_type not in OWN_PATHS):
                continue
            name = field_name(target.node, node)
            uploads = list(_getlist(files, name + "__upload")) if files is not None else []
            for scoped in changes.context.scoped_nodes(node, target.scope) if target.scope else [node]:
                posted = Posted(target, scoped, _getlist(data, name), uploads, store_file, definition.graph, name, data)
                writer(changes, posted)


def _is_posted(name: str, target: Field, data: Any, files: Any, announced: set[str] | None) -> bool:
    """Announced by the page (`__fields`), or — for clients that do not announce — present in the post."""
    if announced is not None:
        return name in announced
    if target.listing is not None:
        return True
    return any(key == name or key.startswith(name + "__") for key in data) or (
        files is not None and name + "__upload" in files
    )


def _getlist(data: Any, name: str) -> list[Any]:
    if data is None:
        return []
    if hasattr(data, "getlist"):
        return list(data.getlist(name))
    value = data.get(name, [])
    return list(value) if isinstance(value, list | tuple) else [value]


# -- paths ----------------------------------------------------------------------------------------------
def _parents(changes: Changes, node: Node, path: Path, create: bool) -> list[Node]:
    current = [node]
    source = changes.context.source
    for step in path[:-1]:
        following: list[Node] = []
        for here in current:
            found = list(
                source.subjects(step.predicate, here) if step.inverse else source.objects(here, step.predicate)
            )
            if not found and create:
                minted = mint_node()
                changes.add((minted, step.predicate, here) if step.inverse else (here, step.predicate, minted))
                found = [minted]
            following.extend(found)
        current = following
    return current


def _link(parent: Node, path: Path, value: Node) -> Triple:
    step = path[-1]
    return (value, step.predicate, parent) if step.inverse else (parent, step.predicate, value)


def replace_values(
    changes: Changes, node: Node, path: Path, new: Sequence[Node], replaces: Callable[[Node], bool] = lambda v: True
) -> None:
    """Remove the old values (those `replaces` accepts) at the end of `path`, add `new` (updateSimpleFormValue)."""
    for parent in _parents(changes, node, path, create=False):
        for old in list(changes.context.values(parent, path[-1:])):
            if replaces(old) and old not in new:
                changes.remove(_link(parent, path, old))
    changes.context.forget()
    if new:
        parent = _parents(changes, node, path, create=True)[0]
        for value in new:
            changes.add(_link(parent, path, value))
    changes.context.forget()


def _first(posted: Posted) -> str:
    return str(posted.values[-1]).strip() if posted.values else ""


# -- writers per display type ------------------------------------------------------------------------------
def write_text(changes: Changes, posted: Posted) -> None:
    text = _first(posted)
    value = Literal(text, lang=posted.field.language) if posted.field.language else Literal(text)
    replace_values(changes, posted.node, posted.field.path, [value] if text else [])


def number_literal(text: str) -> Literal:
    number = js_number(text)
    if math.isnan(number) or math.isinf(number):
        return Literal(text)
    if is_safe_integer(number):
        return literal(js_number_text(number), XSD.integer)
    return literal(js_number_text(number), XSD.decimal)


def write_number(changes: Changes, posted: Posted) -> None:
    text = _first(posted)
    replace_values(changes, posted.node, posted.field.path, [number_literal(text)] if text else [])


def write_currency(changes: Changes, posted: Posted) -> None:
    text = _first(posted).replace("€", "").replace(" ", "")
    if "," in text:  # Dutch notation 1.234,56
        text = text.replace(".", "").replace(",", ".")
    replace_values(changes, posted.node, posted.field.path, [number_literal(text)] if text else [])


def write_date(changes: Changes, posted: Posted) -> None:
    text = _first(posted)
    replace_values(changes, posted.node, posted.field.path, [literal(text, XSD.date)] if text else [])


def date_time_text(text: str) -> str:
    """`Date.toISOString()` of a local (Europe/Brussels) `datetime-local` value; other text is kept as is."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def write_date_time(changes: Changes, posted: Posted) -> None:
    text = _first(posted)
    new = [literal(date_time_text(text), XSD.dateTime)] if text else []
    replace_values(changes, posted.node, posted.field.path, new)


def write_boolean(changes: Changes, posted: Posted) -> None:
    checked = bool(posted.values) and str(posted.values[-1]) not in {"", "0", "false"}
    had_value = bool(changes.context.values(posted.node, posted.field.path))
    if not checked and not had_value:
        return  # an untouched check box writes nothing, as in the Ember widget
    replace_values(changes, posted.node, posted.field.path, [literal("1" if checked else "0", XSD.boolean)])


def write_concepts(changes: Changes, posted: Posted) -> None:
    options = {str(o.value) for o in scheme_options(posted.field, changes.context.meta)}
    chosen = [URIRef(v) for v in dict.fromkeys(str(v).strip() for v in posted.values) if v in options]
    if posted.field.display_type in SINGLE_CHOICE:
        chosen = chosen[-1:]
    scheme = posted.field.concept_scheme
    replace_values(changes, posted.node, posted.field.path, chosen, lambda old: changes.context.in_scheme(old, scheme))


SHOWN_FILES = "__shown"  # suffix of the hidden input in which a page lists the files it showed (`write_files`)


def _is_remote(changes: Changes, value: Node) -> bool:
    return (value, RDF.type, NFO.RemoteDataObject) in changes.context.source


def write_files(changes: Changes, posted: Posted) -> None:
    """Files share their path with remote URLs in the real forms (`dct:hasPart`): touch only the files.

    A page lists the files it showed (`<name>__shown`, one hidden input, empty when it showed none): only a file it
    showed and whose box was unticked goes. A file stored after that page was made (the reload of a post, the back
    button, a second tab) stays. A client that posts no such list names every file it keeps."""
    kept = {str(v) for v in posted.values}
    shown = _getlist(posted.data, posted.name + SHOWN_FILES) if posted.name else []
    current = [v for v in changes.context.values(posted.node, posted.field.path) if not _is_remote(changes, v)]
    own = set(current)
    if shown:
        kept |= {str(v) for v in current if str(v) not in set(shown)}
    new: list[Node] = [v for v in current if str(v) in kept]
    if posted.store_file is not None:
        for upload in posted.files:
            file_uri = posted.store_file(upload)
            if file_uri is None:  # the application refused this file (and says why itself)
                continue
            changes.add((file_uri, RDF.type, NFO.FileDataObject))
            new.append(file_uri)
    for gone in [v for v in current if v not in new]:
        changes.remove((gone, RDF.type, NFO.FileDataObject))
    replace_values(changes, posted.node, posted.field.path, new, lambda old: old in own)


def write_remote_urls(changes: Changes, posted: Posted) -> None:
    source = changes.context.source
    urls = [u for u in dict.fromkeys(_pasted_url(str(v)) for v in posted.values) if u]
    existing = {
        str(source.value(n, NIE.url)): n
        for n in changes.context.values(posted.node, posted.field.path)
        if _is_remote(changes, n)  # files share the path (`dct:hasPart`): leave them alone
    }
    own = set(existing.values())
    new: list[Node] = []
    for url in urls:
        remote = existing.get(url)
        if remote is None:
            identifier = str(uuid.uuid4())
            remote = URIRef(REMOTE_URL_BASE + identifier)
            for triple in (
                (remote, RDF.type, NFO.RemoteDataObject),
                (remote, MU.uuid, Literal(identifier)),
                (remote, NIE.url, Literal(url)),
                (remote, RPIO_HTTP.requestHeader, URIRef(REMOTE_URL_REQUEST_HEADER)),
            ):
                changes.add(triple)
        new.append(remote)
    for remote in existing.values():
        if remote not in new:
            for stored in list(source.triples((remote, None, None))):
                changes.remove(stored)
    replace_values(changes, posted.node, posted.field.path, new, lambda old: old in own)


def _pasted_url(text: str) -> str:
    """A link as a clerk pastes it: the spaces around it dropped, those inside written as %20, as a browser's address
    bar does (a file name with spaces, copied from a page), instead of a form error about "http://"."""
    return text.strip().replace(" ", "%20")


# Display types whose values go to paths of their own (a date range's from/to nodes), not to the field's path;
# any other field without a path has nowhere to write.
OWN_PATHS = frozenset({DISPLAY.dateRange})

SINGLE_CHOICE = frozenset(
    {DISPLAY.conceptSchemeSelector, DISPLAY.conceptSchemeRadioButtons, DISPLAY.bestuursorgaanSelector}
)

WRITERS: dict[Node, Callable[[Changes, Posted], None]] = {
    DISPLAY.defaultInput: write_text,
    DISPLAY.textArea: write_text,
    DISPLAY.search: write_text,
    DISPLAY.customSearch: write_text,
    DISPLAY.caseNumber: write_text,
    DISPLAY.numericalInput: write_number,
    DISPLAY.currencyInput: write_currency,
    DISPLAY.date: write_date,
    DISPLAY.datePicker: write_date,
    DISPLAY.dateTime: write_date_time,
    DISPLAY.checkbox: write_boolean,
    DISPLAY.switch: write_boolean,
    DISPLAY.conceptSchemeSelector: write_concepts,
    DISPLAY.conceptSchemeRadioButtons: write_concepts,
    DISPLAY.conceptSchemeMultiSelector: write_concepts,
    DISPLAY.conceptSchemeMultiSelectCheckboxes: write_concepts,
    DISPLAY.files: write_files,
    DISPLAY["files/variation/1"]: write_files,
    DISPLAY.remoteUrls: write_remote_urls,
    DISPLAY["remoteUrls/variation/1"]: write_remote_urls,
}


# -- listings ----------------------------------------------------------------------------------------------
def _collect_listing(
    definition: FormDefinition,
    changes: Changes,
    node: Node,
    target: Field,
    data: Any,
    files: Any,
    store_file: StoreFile | None,
    announced: set[str] | None,
) -> None:
    listing = target.listing
    assert listing is not None
    name = field_name(target.node, node)
    items = listing_items(changes.context, node, target)
    for item in items:
        if listing.can_remove and changes.action == f"remove:{name}:{field_name(target.node, item)}":
            _remove_item(changes, node, target, item)
            continue
        _collect_form(definition, changes, item, data, files, store_file, announced, listing.sub_form)
    full = listing.max_count is not None and len(items) >= listing.max_count
    if listing.can_add and changes.action == f"add:{name}" and not full:
        add_item(definition, changes, node, target, len(items))


def add_item(definition: FormDefinition, changes: Changes, node: Node, target: Field, position: int) -> Node:
    """Create a listing item with its create generator, link it through the scope path and order it."""
    listing = target.listing
    assert listing is not None
    item = None
    if listing.create_generator is not None:
        item = apply_generator(definition, listing.create_generator, changes.add)
    item = item or mint_node()
    if listing.scope is not None and listing.scope.path:
        parent = _parents(changes, node, listing.scope.path, create=True)[0]
        changes.add(_link(parent, listing.scope.path, item))
    changes.add((item, SH.order, literal(str(position), XSD.integer)))
    changes.context.forget()
    return item


def _remove_item(changes: Changes, node: Node, target: Field, item: Node) -> None:
    source = changes.context.source
    for triple in list(source.triples((None, None, item))) + list(source.triples((item, None, None))):
        changes.remove(triple)
    changes.context.forget()


from . import widget_writers  # noqa: E402, F401 - registers the writers of the Loket's own display types
