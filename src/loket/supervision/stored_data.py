"""Reading a submission's stored form data leniently: a concept written by an earlier, broken writer (a text that
no longer parses) still opens, with the lines that do parse, so the clerk can repair or delete it.

The earlier writer split N-Triples with `str.splitlines()`, which also breaks at \\x0b, \\x0c, \\x1c-\\x1e, \\x85,
U+2028 and U+2029 inside a literal, and then sorted the pieces; the pieces cannot be put back together reliably,
so the triples they belonged to are dropped and the number of lost lines is reported.
"""

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from rdflib import Graph

from loket.forms.errors import FormLoadError
from loket.forms.rdfio import parse_turtle_text, plain_graph


@dataclass
class StoredGraph:
    graph: Graph
    unreadable_lines: int = 0


def read_stored(text: str, *, source: str = "submission") -> StoredGraph:
    """The graph of stored N-Triples/Turtle; on a syntax error, every line that parses on its own."""
    if not text:
        return StoredGraph(plain_graph())
    try:
        stored = StoredGraph(parse_turtle_text(text, source=source))
    except FormLoadError:
        stored = _read_line_by_line(text, source=source)
    _remember(text, stored.unreadable_lines)
    return stored


def unreadable_lines_of(text: str) -> int:
    """How many stored lines could not be read (0 for sound data); remembered from the last read of `text`."""
    known = _recent.get(_key(text))
    return known if known is not None else read_stored(text).unreadable_lines


_recent: OrderedDict[bytes, int] = OrderedDict()


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _remember(text: str, unreadable: int) -> None:
    _recent[_key(text)] = unreadable
    while len(_recent) > 256:
        _recent.popitem(last=False)


def _read_line_by_line(text: str, *, source: str) -> StoredGraph:
    graph, unreadable = plain_graph(), 0
    for line in text.split("\n"):  # the writer's only line separator; never splitlines()
        if not line.strip():
            continue
        try:
            parse_turtle_text(line, source=source, graph=graph)
        except FormLoadError:
            unreadable += 1
    return StoredGraph(graph, unreadable)
