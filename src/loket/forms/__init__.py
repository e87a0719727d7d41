"""The semantic form engine: forms in the lblod form vocabulary, as the real Loket defines them.

Public API (what the modules use; everything else is internal):

* `load_form(path)` — parse and cache a form definition (Turtle); raises `FormLoadError`.
* `applicable_fields(form, source, node, meta=None)` — the fields that apply to the data, in order.
* `validate_form(form, source, node, meta=None)` — a `FormReport` (`.valid`, per-field errors/warnings).
* `collect_post(form, source, node, post, meta=None, files=None, store_file=None)` — write posted values
  into the source graph as the real widgets do; returns the `Changes` (additions/removals).
* `select_form_data(form, source, node, meta=None)` — the triples the applicable fields cover: what is sent.
* `render_form(form, source, node, meta=None, report=None)` — accessible HTML for the applicable fields.
* `register_constraint(uri)` — decorator registering a custom validator.
* `to_turtle(graph)` — Turtle that keeps literals exactly (rdflib's Turtle serializer does not: it writes
  `"1"^^xsd:boolean` as a bare `1`). Use it to freeze form data; `parse_turtle(text)` reads it back.

`source` and `meta` are rdflib Graphs; `node` is the submission document's URI.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from .collect import Changes, StoreFile
from .constraints import register_constraint
from .errors import FormError, FormLoadError
from .loader import load_form, load_form_text
from .model import Field, FormDefinition
from .paths import DataContext
from .rdfio import parse_turtle_text, plain_graph, to_turtle
from .validate import FormReport

__all__ = [
    "Changes",
    "Field",
    "FormDefinition",
    "FormError",
    "FormLoadError",
    "FormReport",
    "applicable_fields",
    "collect_post",
    "load_form",
    "load_form_text",
    "parse_turtle",
    "register_constraint",
    "render_form",
    "select_form_data",
    "to_turtle",
    "validate_form",
]


def _context(source: Graph, meta: Graph | None) -> DataContext:
    return DataContext(source=source, meta=meta if meta is not None else plain_graph())


def applicable_fields(form: FormDefinition, source: Graph, node: Node, meta: Graph | None = None) -> list[Field]:
    from .decide import applicable_fields as decide

    return decide(form, _context(source, meta), URIRef(str(node)) if isinstance(node, str) else node)


def validate_form(form: FormDefinition, source: Graph, node: Node, meta: Graph | None = None) -> FormReport:
    from .validate import validate_form as validate

    return validate(form, _context(source, meta), node)


def collect_post(
    form: FormDefinition,
    source: Graph,
    node: Node,
    post: Any,
    meta: Graph | None = None,
    files: Any = None,
    store_file: StoreFile | None = None,
) -> Changes:
    from .collect import collect_post as collect

    return collect(form, _context(source, meta), node, post, files=files, store_file=store_file)


def select_form_data(form: FormDefinition, source: Graph, node: Node, meta: Graph | None = None) -> Graph:
    from .select import select_form_data as select

    return select(form, _context(source, meta), node)


def render_form(
    form: FormDefinition, source: Graph, node: Node, meta: Graph | None = None, report: FormReport | None = None
) -> str:
    from .render import render_form as render

    return render(form, _context(source, meta), node, report)


def parse_turtle(text: str, source: str = "<turtle>") -> Graph:
    """Parse Turtle keeping literal lexical forms exactly; FormLoadError names the line on bad input."""
    return parse_turtle_text(text, source=source)
