"""Rendering the applicable fields as accessible HTML (works without JavaScript; the HTML itself: `widget_html`).

Fields are grouped in their sections (`sh:group` / `form:partOf`, ordered by `sh:order`); every input has
its Dutch label from the definition, its help text, and its errors right next to it (linked with
`aria-describedby`); a summary at the top links to every field with an error. A hidden `__fields` input
announces which fields the page showed, so collecting never clears fields the user did not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field  # `field` is an attribute name of the classes below
from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from . import widget_html, widgets
from .codelists import Option, scheme_options
from .collect import LOCAL_ZONE
from .decide import applicable_fields
from .model import Field, FormDefinition, Section
from .names import ACTION, FIELDS_MARKER, field_name
from .paths import DataContext
from .validate import FieldReport, FormReport, listing_items
from .vocabulary import DISPLAY, FORM, NFO, NIE, SH

_INPUT_TYPES = {
    DISPLAY.defaultInput: "text",
    DISPLAY.search: "search",
    DISPLAY.customSearch: "search",
    DISPLAY.caseNumber: "text",
    DISPLAY.numericalInput: "number",
    DISPLAY.currencyInput: "text",
    DISPLAY.date: "date",
    DISPLAY.datePicker: "date",
    DISPLAY.dateTime: "datetime-local",
}
_WIDGETS: dict[URIRef | None, str] = {  # a field without a display type looks up None: "input"
    DISPLAY.textArea: "textarea",
    DISPLAY.checkbox: "checkbox",
    DISPLAY.switch: "checkbox",
    DISPLAY.conceptSchemeSelector: "select",
    DISPLAY.bestuursorgaanSelector: "select",
    DISPLAY.instanceSelector: "select",
    DISPLAY.instanceMultiSelector: "select",
    DISPLAY.decisionDocuments: "choices",
    DISPLAY.decisionArticles: "articles",
    DISPLAY.vLabelOpcentiem: "opcentiem",
    DISPLAY.dateRange: "daterange",
    DISPLAY.conceptSchemeMultiSelector: "select",
    DISPLAY.conceptSchemeRadioButtons: "choices",
    DISPLAY.conceptSchemeMultiSelectCheckboxes: "choices",
    DISPLAY.files: "files",
    DISPLAY["files/variation/1"]: "files",
    DISPLAY.remoteUrls: "urls",
    DISPLAY["remoteUrls/variation/1"]: "urls",
    DISPLAY.heading: "heading",
    DISPLAY.alert: "alert",
}
MULTIPLE = frozenset(
    {
        DISPLAY.conceptSchemeMultiSelector,
        DISPLAY.conceptSchemeMultiSelectCheckboxes,
        DISPLAY.instanceMultiSelector,
        DISPLAY.decisionDocuments,
    }
)


@dataclass(slots=True)
class FieldView:
    """Everything a widget needs for one field on one node (`widget`: which of `widget_html.WIDGETS` writes it)."""

    field: Field
    name: str
    widget: str
    label: str
    help: SafeString
    errors: list[str]
    warnings: list[str]
    values: list[str] | list[tuple[str, str]] = dataclass_field(default_factory=list)  # files: (key, name)
    input_type: str = "text"
    options: list[dict[str, Any]] = dataclass_field(default_factory=list)
    is_multiple: bool = False
    items: list[dict[str, Any]] = dataclass_field(default_factory=list)
    add_action: str = ""
    options_json: dict[str, Any] = dataclass_field(default_factory=dict)
    prefix: str = ""
    rows: list[dict[str, Any]] = dataclass_field(default_factory=list)
    type_options: list[dict[str, Any]] = dataclass_field(default_factory=list)
    is_checked: bool = False
    unsupported: str = ""
    requirement: str = ""  # "required", or "shared" when another field on the same path can satisfy it
    shared_with: str = ""
    node: Node | None = None

    @property
    def id(self) -> str:
        return "id-" + self.name

    @property
    def describedby(self) -> str:
        parts = [self.id + "-help"] if self.help or self.field.description else []
        if self.errors or self.warnings:
            parts.append(self.id + "-errors")
        return " ".join(parts)


@dataclass(slots=True)
class Block:
    """A field or a section with its own blocks, in display order."""

    kind: str
    view: FieldView | None = None
    section: Section | None = None
    blocks: list[Block] = dataclass_field(default_factory=list)
    heading_level: int = 2
    label: str = ""


def render_form(
    definition: FormDefinition, context: DataContext, node: Node, report: FormReport | None = None
) -> SafeString:
    """The HTML of the form's applicable fields for `node` (without the surrounding <form> element)."""
    renderer = _Renderer(definition, context, report)
    blocks = renderer.blocks(node, None, report)
    summary = [
        {"id": view.id, "label": view.label, "message": message} for view in renderer.views for message in view.errors
    ]
    _mark_requirements(renderer.views)
    html = widget_html.form_page(blocks, summary, renderer.names, FIELDS_MARKER, ACTION)
    return mark_safe(html)  # noqa: S308 - every value in it went through conditional_escape (widget_html)


class _Renderer:
    def __init__(self, definition: FormDefinition, context: DataContext, report: FormReport | None) -> None:
        self.definition = definition
        self.context = context
        self.views: list[FieldView] = []
        self.names: list[str] = []
        self.texts = Texts(definition.graph)
        self.entered: set[tuple[Node, Node]] = set()  # (node, listing) being rendered: data may loop back

    def blocks(self, node: Node, form_node: Node | None, report: FormReport | None) -> list[Block]:
        fields = applicable_fields(self.definition, self.context, node, form_node)
        reports = {r.field.node: r for r in report.fields} if report else {}
        roots: list[Block] = []
        section_blocks: dict[Node, Block] = {}
        for applicable in fields:
            if applicable.is_hidden:
                continue
            block = Block("field", view=self.view(applicable, node, reports.get(applicable.node)))
            self._place(block, applicable.group, roots, section_blocks)
        return self._sorted(roots)

    def _place(self, block: Block, group: Node | None, roots: list[Block], known: dict[Node, Block]) -> None:
        section = self.definition.sections.get(group) if group is not None else None
        if section is None:
            roots.append(block)
            return
        holder = known.get(section.node)
        if holder is None:
            holder = known[section.node] = Block(
                "section", section=section, label=self.texts.text(section.node, SH.name, section.label)
            )
            self._place(holder, section.parent, roots, known)
        holder.blocks.append(block)

    def _sorted(self, blocks: list[Block], level: int = 2) -> list[Block]:
        def order(block: Block) -> float:
            return block.section.order if block.section else (block.view.field.order if block.view else 0)

        ordered = sorted(blocks, key=order)
        for block in ordered:
            block.heading_level = min(level, 6)
            block.blocks = self._sorted(block.blocks, level + 1)
        return ordered

    def view(self, target: Field, node: Node, report: FieldReport | None) -> FieldView:
        name = field_name(target.node, node)
        self.names.append(name)
        view = FieldView(
            field=target,
            name=name,
            widget="listing" if target.listing else _WIDGETS.get(target.display_type, "input"),
            label=(
                self.texts.html(target.node, SH.name, target.label)  # an alert's text is HTML, as in the real widget
                if target.display_type == DISPLAY.alert
                else self.texts.text(target.node, SH.name, target.label)
            ),
            help=self.texts.html(target.node, FORM.help, target.help),
            errors=[self.texts.message(m) for m in report.errors] if report and not target.listing else [],
            warnings=[self.texts.message(m) for m in report.warnings] if report and not target.listing else [],
            options_json=target.options,
            node=node,
        )
        if target.display_type in _INPUT_TYPES:
            view.input_type = _INPUT_TYPES[target.display_type]
            view.prefix = "€" if target.display_type == DISPLAY.currencyInput else ""
        elif target.display_type not in _WIDGETS and target.listing is None:
            view.widget = "readonly"
            view.unsupported = str(target.display_type or "")
        self._fill(view, node, report)
        self.views.append(view)
        return view

    def _fill(self, view: FieldView, node: Node, report: FieldReport | None) -> None:
        target = view.field
        if target.listing is not None:
            self._fill_listing(view, node, report)
            return
        nodes = self.context.scoped_nodes(node, target.scope) if target.scope else [node]
        values = [v for n in nodes for v in self.context.values(n, target.path)]
        if target.language:
            values = [v for v in values if isinstance(v, Literal) and v.language == target.language]
        if not values and target.default_value is not None:
            values = [target.default_value]
        if target.display_type in _CUSTOM_FILLERS:
            _CUSTOM_FILLERS[target.display_type](self, view, node, values)
        elif view.widget in {"select", "choices"}:
            view.is_multiple = target.display_type in MULTIPLE
            view.options = _choices(self._options(target), values)
        elif view.widget == "urls":  # files may share the path: only remote data objects are links
            remote = [v for v in values if (v, RDF.type, NFO.RemoteDataObject) in self.context.source]
            view.values = [str(self.context.source.value(v, NIE.url) or "") for v in remote] + [""]
        elif target.display_type == DISPLAY.dateTime:
            view.values = [_local_date_time(str(v)) for v in values[:1]]
        elif view.widget == "files":  # links may share the path: only files; named by nfo:fileName if known
            files = [v for v in values if (v, RDF.type, NFO.RemoteDataObject) not in self.context.source]
            view.values = sorted(
                (
                    str(v),
                    str(self.context.meta.value(v, NFO.fileName) or self.context.source.value(v, NFO.fileName) or v),
                )
                for v in files
            )
        elif view.widget == "readonly":
            view.values = sorted(str(v) for v in values)
        else:
            view.values = [str(v) for v in values[:1]]

    def _options(self, target: Field) -> list[Option]:
        if target.display_type in {DISPLAY.instanceSelector, DISPLAY.instanceMultiSelector}:
            return widgets.instance_options(self.definition.graph, target, self.context.meta)
        if target.display_type == DISPLAY.decisionDocuments:
            return widgets.document_options(self.context.meta)
        return scheme_options(target, self.context.meta)

    def _fill_listing(self, view: FieldView, node: Node, report: FieldReport | None) -> None:
        listing = view.field.listing
        assert listing is not None
        key = (node, view.field.node)
        if key in self.entered:  # the same listing on the same node again (a recursive form): shown once, as
            return  # validation enters it once
        self.entered.add(key)
        try:
            self._fill_items(view, listing, node, report)
        finally:
            self.entered.discard(key)

    def _fill_items(self, view: FieldView, listing: Any, node: Node, report: FieldReport | None) -> None:
        item_reports = {item.node: item for item in report.items} if report else {}
        items = listing_items(self.context, node, view.field)
        for index, item in enumerate(items, start=1):
            sub = item_reports.get(item)
            blocks = self.blocks(item, listing.sub_form, FormReport(sub.fields) if sub else None)
            remove = f"remove:{view.name}:{field_name(view.field.node, item)}" if listing.can_remove else ""
            view.items.append({"index": index, "blocks": blocks, "remove_action": remove})
        full = listing.max_count is not None and len(items) >= listing.max_count
        view.add_action = f"add:{view.name}" if listing.can_add and not full else ""


# Files and links share their path (`dct:hasPart`) in the real forms: a requirement on it is met by either.
DOCUMENT_PARTS = frozenset(
    {DISPLAY.files, DISPLAY["files/variation/1"], DISPLAY.remoteUrls, DISPLAY["remoteUrls/variation/1"]}
)


def _mark_requirements(views: list[FieldView]) -> None:
    """A field marked "(verplicht)" must itself be required: when its required constraint's path is also the path
    of another field on the page (a file or a link, both `dct:hasPart`), either one satisfies it, and both say so."""
    for view in views:
        view.requirement = "required" if view.field.is_required else ""
    for view in views:
        if view.requirement != "required":
            continue
        paths = {c.path for c in view.field.constraints if c.type == FORM.RequiredConstraint and not c.is_warning}
        partners = [
            other
            for other in views
            if other is not view
            and other.field.path in paths
            and other.field.display_type in DOCUMENT_PARTS
            and view.field.display_type in DOCUMENT_PARTS
            and other.node == view.node
        ]
        if partners:
            view.requirement = "shared"
            view.shared_with = partners[0].label
            for other in partners:
                if other.requirement != "required":
                    other.requirement, other.shared_with = "shared", view.label


class Texts:
    """Labels, help and messages in the page's language: the form's own literal in that language when it has one,
    else the Dutch text marked `lang="nl"` (messages the engine itself makes are translated by gettext)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.language = (translation.get_language() or "nl").split("-")[0]
        self._form_messages: set[str] | None = None

    def _own(self, node: Node, predicate: URIRef) -> str | None:
        for value in self.graph.objects(node, predicate):
            if isinstance(value, Literal) and value.language == self.language:
                return str(value)
        return None

    def text(self, node: Node, predicate: URIRef, dutch: str) -> str:
        if self.language == "nl" or not dutch:
            return dutch
        own = self._own(node, predicate)
        return own if own is not None else format_html('<span lang="nl">{}</span>', dutch)

    def html(self, node: Node, predicate: URIRef, dutch: str) -> SafeString:
        # form:help is HTML from the trusted form definition
        if self.language == "nl" or not dutch:
            return mark_safe(dutch)  # noqa: S308
        own = self._own(node, predicate)
        if own is not None:
            return mark_safe(own)  # noqa: S308
        return format_html('<div lang="nl">{}</div>', mark_safe(dutch))  # noqa: S308

    def message(self, dutch: str) -> str:
        if self.language == "nl":
            return dutch
        for literal_form in (Literal(dutch), Literal(dutch, lang="nl")):
            for node in self.graph.subjects(SH.resultMessage, literal_form):
                own = self._own(node, SH.resultMessage)
                if own is not None:
                    return own
        if self._form_messages is None:
            self._form_messages = {
                str(v)
                for v in self.graph.objects(None, SH.resultMessage)
                if isinstance(v, Literal) and v.language in {None, "nl"}
            }
        return format_html('<span lang="nl">{}</span>', dutch) if dutch in self._form_messages else dutch


def _choices(options: list[Option], values: list[Node]) -> list[dict[str, Any]]:
    chosen = {str(v) for v in values}
    return [{"value": str(o.value), "label": o.label, "selected": str(o.value) in chosen} for o in options]


def _fill_opcentiem(renderer: _Renderer, view: FieldView, node: Node, values: list[Node]) -> None:
    view.values = [str(v) for v in renderer.context.values(node, widgets.TAX_RATE_PATH)] + [""]
    flags = renderer.context.values(node, widgets.ADDITIONAL_TAX_RATE)
    view.is_checked = bool(flags) and widgets.is_true(flags[0])


def _fill_date_range(renderer: _Renderer, view: FieldView, node: Node, values: list[Node]) -> None:
    start, end = widgets.range_paths(renderer.definition.graph, view.field)
    source = renderer.context.source
    first = source.value(node, start) if start is not None else None
    last = source.value(node, end) if end is not None else None
    if first is not None and last is not None:
        view.values = [widgets.local_day(str(first)), widgets.local_day(str(last))]


def _fill_articles(renderer: _Renderer, view: FieldView, node: Node, values: list[Node]) -> None:
    meta, source = renderer.context.meta, renderer.context.source
    documents = widgets.document_options(meta)
    with_type = not widgets.excludes_document_type(renderer.definition.graph, view.field)
    types = widgets.document_type_options(meta) if with_type else []
    existing = widgets.articles(renderer.context, node, view.field.path)
    for index, article in enumerate([*existing, None], start=1):
        refers = list(source.objects(article, widgets.ELI.refers_to)) if article is not None else []
        kind = list(source.objects(article, widgets.ELI.type_document)) if article is not None else []
        view.rows.append(
            {
                "index": index,
                "article": str(article or ""),
                "documents": _choices(documents, refers),
                "types": _choices(types, kind),
            }
        )
    view.type_options = [{"with_type": with_type}]
    view.options = _choices(documents, [])


def _fill_organ(renderer: _Renderer, view: FieldView, node: Node, values: list[Node]) -> None:
    view.options = _choices(scheme_options(view.field, renderer.context.meta), values)


_CUSTOM_FILLERS = {
    DISPLAY.vLabelOpcentiem: _fill_opcentiem,
    DISPLAY.dateRange: _fill_date_range,
    DISPLAY.decisionArticles: _fill_articles,
    DISPLAY.bestuursorgaanSelector: _fill_organ,
}


def _local_date_time(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_ZONE)
    return moment.strftime("%Y-%m-%dT%H:%M")
