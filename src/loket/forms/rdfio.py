"""Reading Turtle without touching literal lexical forms, with errors that name file and line."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path as FilePath
from typing import Protocol

import rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from .errors import FormLoadError

_normalize_lock = threading.Lock()


class _DropLexicalWarnings(logging.Filter):
    """rdflib logs a traceback for every ill-typed literal (e.g. "2024-02-30"^^xsd:date); for a form engine
    these are ordinary user input that validation reports, so the noise is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_DropLexicalWarnings())


@contextlib.contextmanager
def exact_literals() -> Iterator[None]:
    """Parse with rdflib's literal normalisation off, so `"1"^^xsd:boolean` stays "1" as the JS stack keeps it."""
    with _normalize_lock:
        previous = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False
        try:
            yield
        finally:
            rdflib.NORMALIZE_LITERALS = previous


def literal(lexical: str, datatype: URIRef | None = None, lang: str | None = None) -> Literal:
    """A literal with exactly this lexical form."""
    return Literal(lexical, datatype=datatype, lang=lang, normalize=False)


def plain_graph() -> Graph:
    """A new graph that binds only rdflib's core prefixes (rdf, rdfs, xsd, owl, xml) besides those bound into it.

    rdflib's default (`bind_namespaces="rdflib"`) binds about 30 prefixes one by one into a trie the first time
    anything asks for the graph's namespace manager (a parse, `namespaces()`, a qname): about 2 ms, more than
    reading a submission's form data. The form engine's graphs (source, meta, code lists, selected form data) are
    only ever written as N-Triples (`to_turtle`), which uses no prefixes; a graph written as Turtle for people
    (loket.core.linkeddata's) binds its own."""
    return Graph(bind_namespaces="core")


def parse_turtle_text(text: str, *, source: str, graph: Graph | None = None) -> Graph:
    """Parse Turtle text into `graph` (a new one by default); raises FormLoadError with the line number.

    A new graph binds only the core prefixes (rdf, rdfs, xsd, owl, xml) besides those the text declares: rdflib's
    default set of about 30 is bound prefix by prefix into a trie, which cost more CPU than parsing a
    submission's form data (every page that reads stored data, every record of a dump). Parsed graphs are only
    ever written as N-Triples (`to_turtle`), which uses no prefixes."""
    graph = graph if graph is not None else plain_graph()
    written = read_written_ntriples(text)
    if written is not None:  # what `to_turtle` wrote (all stored form data): the same triples, read 10× cheaper
        for triple in written:
            graph.add(triple)
        return graph
    try:
        with exact_literals():
            graph.parse(data=text, format="turtle", publicID=_public_id(source))
    except BadSyntax as error:
        why = getattr(error, "_why", str(error))
        raise FormLoadError(f"ongeldige Turtle: {why}", source=source, line=error.lines + 1) from None
    except Exception as error:  # rdflib raises a variety of types for bad IRIs, prefixes, …
        raise FormLoadError(f"ongeldige Turtle: {error}", source=source) from None
    return graph


def turtle_triples(text: str, *, source: str) -> Iterable[tuple[Node, Node, Node]]:
    """The triples of Turtle text as `parse_turtle_text` reads them, without a graph when the text is in the form
    `to_turtle` writes (`read_written_ntriples`: all stored form data; then in the text's order, a repeated line
    repeated), else the graph `parse_turtle_text` fills (raising as it does). For a reader that only walks the
    triples once: a graph to hold them cost more than the rest of a submission's open-data record."""
    written = read_written_ntriples(text)
    if written is not None:
        return written
    return parse_turtle_text(text, source=source)


def read_written_ntriples(text: str) -> list[tuple[Node, Node, Node]] | None:
    """The triples of a text in exactly the form `to_turtle` writes (one `nt_line` per line: absolute IRIs, blank
    node labels of letters and digits, strings with only the writer's escapes), as rdflib's Turtle parser reads them
    (literals as written, each label a new blank node of this text); None as soon as one line is not in that form,
    which the Turtle parser then reads. rdflib's parser costs about 80 µs a call before the first triple (a
    namespace manager, a sink, the base IRI) — more than the rest of a submission's open-data record; the
    equivalence is tested over all of Unicode (tests/forms/test_ntriples_writer.py)."""
    triples: list[tuple[Node, Node, Node]] = []
    blank: dict[str, BNode] = {}
    try:
        for line in text.split("\n"):
            if not line:
                continue
            match = _WRITTEN_LINE.fullmatch(line)
            if match is None:
                return None
            subject_iri, subject_label, predicate, iri, label, string, language, datatype = match.groups()
            subject = _written_iri(subject_iri) if subject_iri is not None else blank.setdefault(subject_label, BNode())
            value: Node
            if iri is not None:
                value = _written_iri(iri)
            elif label is not None:
                value = blank.setdefault(label, BNode())
            else:
                lexical = _WRITTEN_ESCAPE.sub(_unescape, string)
                kind = _written_iri(datatype) if datatype is not None else None
                value = Literal(lexical, lang=language, datatype=kind, normalize=False)
            triples.append((subject, _written_iri(predicate), value))
    except _NotWritten:
        return None
    except ValueError:  # a language tag or lexical form rdflib refuses: the Turtle parser says so, with the line
        return None
    return triples


class _NotWritten(Exception):
    pass


def _written_iri(escaped: str) -> URIRef:
    iri = _WRITTEN_UCHAR.sub(_unescape, escaped) if "\\" in escaped else escaped
    colon, slash = iri.find(":"), iri.find("/")
    if colon < 0 or 0 <= slash < colon:  # relative: the Turtle parser resolves it against the source
        raise _NotWritten
    return URIRef(iri)


def _unescape(match: re.Match[str]) -> str:
    escape = match.group()
    return _UNESCAPE.get(escape) or chr(int(escape[2:], 16))


def parse_turtle_file(path: str | FilePath, graph: Graph | None = None) -> Graph:
    """Parse a Turtle file; unreadable files and syntax errors become FormLoadError."""
    from .textfiles import MAX_TURTLE_BYTES, read_text_file

    text = read_text_file(path, limit=MAX_TURTLE_BYTES)
    return parse_turtle_text(text, source=str(path), graph=graph)


def _public_id(source: str) -> str:
    return "file://" + str(FilePath(source).resolve()) if source and not source.startswith("<") else "urn:x:"


class HasNamespaces(Protocol):
    """What `locate` reads of a graph: its prefixes (an rdflib Graph, or the forms' TripleIndex)."""

    def namespaces(self) -> Iterator[tuple[str, URIRef]]: ...


def locate(text: str, graph: HasNamespaces, node: Node) -> int | None:
    """The first line of `text` that mentions `node` (full IRI or a prefixed name), for error messages."""
    if not isinstance(node, URIRef):
        return None
    needles = [f"<{node}>"]
    for prefix, namespace in graph.namespaces():
        if str(node).startswith(str(namespace)) and prefix:
            local = str(node)[len(str(namespace)) :]
            needles.append(f"{prefix}:{local}")
    alternatives = "|".join(re.escape(n) for n in needles)
    end = r"(?![\w\-:/]|\.[\w\-])"  # a prefixed name may contain dots, but never ends with one
    subject = re.compile(r"^\s*(?:" + alternatives + r")" + end)
    mention = re.compile(r"(?:" + alternatives + r")" + end)
    lines = text.splitlines()
    for pattern in (subject, mention):  # prefer the line where the node is described
        for number, line in enumerate(lines, start=1):
            if pattern.search(line):
                return number
    return None


def to_turtle(graph: Graph) -> str:
    """Turtle that keeps every literal exactly as written: sorted N-Triples lines (valid Turtle).

    rdflib's own Turtle serializer abbreviates typed literals by lexical form, turning `"1"^^xsd:boolean`
    into a bare `1` (which reads back as an xsd:integer) — never use it for form data. Each triple is written
    term by term following the N-Triples grammar (`nt_term`), so one triple is one line whatever its text holds.
    """
    return "".join(line + "\n" for line in sorted(nt_line(triple) for triple in graph))


def nt_line(triple: tuple[Node, Node, Node]) -> str:
    subject, predicate, obj = triple
    return f"{nt_term(subject)} {nt_term(predicate)} {nt_term(obj)} ."


def nt_term(node: Node) -> str:
    """One term in N-Triples syntax (https://www.w3.org/TR/n-triples/#n-triples-grammar)."""
    if isinstance(node, URIRef):
        return "<" + _IRI_UNSAFE.sub(_uchar, str(node)) + ">"
    if isinstance(node, Literal):
        text = '"' + _STRING_UNSAFE.sub(_string_escape, str(node)) + '"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{nt_term(node.datatype)}"
        return text
    if isinstance(node, BNode):
        label = str(node)
        return "_:" + (
            label if _BLANK_LABEL.fullmatch(label) else "b" + hashlib.sha256(label.encode()).hexdigest()[:32]
        )
    raise TypeError(f"not an RDF term: {node!r}")


# IRIREF excludes controls, space and <>"{}|^`\ ; those are written as UCHAR. Surrogates (a str can hold them,
# UTF-8 cannot) are escaped too, as is every character a line reader might take for the end of a line.
_IRI_UNSAFE = re.compile('[\x00-\x20<>"{}|^`\\\\\x7f-\x9f\u2028\u2029\ud800-\udfff]')
# STRING_LITERAL_QUOTE excludes only " \ LF CR; the other controls and line breakers are escaped as well, so the
# stored text is one triple per line for every reader (str.splitlines, editors, grep).
_STRING_UNSAFE = re.compile('[\x00-\x1f"\\\\\x7f-\x9f\u2028\u2029\ud800-\udfff]')
_ECHAR = {"\t": "\\t", "\b": "\\b", "\n": "\\n", "\r": "\\r", "\f": "\\f", '"': '\\"', "\\": "\\\\"}
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")


# The inverse of nt_term: only what it writes (IRI and string characters it leaves as they are, its escapes).
_WRITTEN_IRI = '<((?:[^\x00-\x20<>"{}|^`\\\\\x7f-\x9f\u2028\u2029\ud800-\udfff]|\\\\u[0-9A-F]{4})*)>'
_WRITTEN_LABEL = "_:([A-Za-z0-9_](?:[A-Za-z0-9_.\\-]*[A-Za-z0-9_\\-])?)"  # as _BLANK_LABEL
_WRITTEN_STRING = '"((?:[^\x00-\x1f"\\\\\x7f-\x9f\u2028\u2029\ud800-\udfff]|\\\\[tbnrf"\\\\]|\\\\u[0-9A-F]{4})*)"'
_WRITTEN_LINE = re.compile(
    f"(?:{_WRITTEN_IRI}|{_WRITTEN_LABEL}) {_WRITTEN_IRI} "
    f"(?:{_WRITTEN_IRI}|{_WRITTEN_LABEL}|{_WRITTEN_STRING}(?:@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)|\\^\\^{_WRITTEN_IRI})?) \\."
)
_WRITTEN_UCHAR = re.compile(r"\\u[0-9A-F]{4}")
_WRITTEN_ESCAPE = re.compile(r'\\(?:[tbnrf"\\]|u[0-9A-F]{4})')
_UNESCAPE = {escaped: character for character, escaped in _ECHAR.items()}


def _uchar(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04X}"


def _string_escape(match: re.Match[str]) -> str:
    character = match.group()
    return _ECHAR.get(character) or f"\\u{ord(character):04X}"
