"""Reading the two files of a report safely, as a stream: what they are (root element), whether they are
well-formed XML (with the line and column of the first error), and what they say (the format rules in `formats`).

The parser is expat, fed in chunks, so a 1 GB file never sits in memory. Nothing is ever resolved: a DTD may be
present, but an entity declaration (the way to an entity-expansion bomb or an external entity) is refused, and an
external reference is never fetched.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any, Protocol
from xml.parsers import expat

XBRLI = "http://www.xbrl.org/2003/instance"
CHUNK = 1024 * 1024
ROOT_SEARCH_LIMIT = 1024 * 1024  # the root element must start within the first megabyte


class NotXml(Exception):
    """The bytes are not (well-formed) XML; `line`/`column` locate the first error (1-based), when known."""

    def __init__(self, reason: str, *, line: int | None = None, column: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


class _Stop(Exception):
    pass


Name = tuple[str, str]  # (namespace, local name); namespace "" when none


def split_name(name: str) -> Name:
    namespace, _sep, local = name.rpartition(" ")
    return namespace, local


class Collector(Protocol):
    """Receives the elements of a scan (a format rule's reader)."""

    def start(self, path: tuple[Name, ...], attributes: dict[str, str]) -> None: ...

    def end(self, path: tuple[Name, ...], text: str) -> None: ...


@dataclass
class _State:
    path: list[Name]
    texts: list[list[str]]


def _parser(on_start: Callable[..., None] | None, on_end: Callable[..., None] | None, state: _State) -> Any:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True

    def refuse_entity(*_args: Any) -> None:
        raise NotXml("entity_declaration", line=parser.CurrentLineNumber, column=parser.CurrentColumnNumber + 1)

    def refuse_external(*_args: Any) -> int:
        raise NotXml("external_entity", line=parser.CurrentLineNumber, column=parser.CurrentColumnNumber + 1)

    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external

    def start(name: str, attributes: dict[str, str]) -> None:
        state.path.append(split_name(name))
        state.texts.append([])
        if on_start is not None:
            on_start(tuple(state.path), attributes)

    def end(_name: str) -> None:
        text = "".join(state.texts.pop())
        if on_end is not None:
            on_end(tuple(state.path), text)
        state.path.pop()

    def characters(data: str) -> None:
        if state.texts:
            state.texts[-1].append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    return parser


def _feed(parser: Any, chunks: Iterable[bytes]) -> None:
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise NotXml(expat.ErrorString(error.code), line=error.lineno, column=error.offset + 1) from None
    except (LookupError, ValueError) as error:
        # The XML declaration names an encoding Python does not know ("UTF-0") or one expat cannot read
        # (multi-byte, e.g. "EUC-JP"): found by atheris, both were an exception instead of a finding.
        raise NotXml(f"encoding: {str(error)[:80]}", line=1) from None


def _chunks(stream: IO[bytes], limit: int | None = None) -> Iterable[bytes]:
    read = 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return
        read += len(chunk)
        yield chunk
        if limit is not None and read >= limit:
            return


def root_element(stream: IO[bytes]) -> Name:
    """The root element's (namespace, local name), reading no further than its start tag."""
    found: list[Name] = []
    state = _State(path=[], texts=[])

    def on_start(path: tuple[Name, ...], _attributes: dict[str, str]) -> None:
        found.append(path[0])
        raise _Stop

    parser = _parser(on_start, None, state)
    try:
        _feed(parser, _chunks(stream, ROOT_SEARCH_LIMIT))
    except _Stop:
        return found[0]
    except NotXml:
        if found:
            return found[0]
        raise
    raise NotXml("no_root")


def scan(stream: IO[bytes], collector: Collector | None = None) -> None:
    """Read the whole stream as XML, passing every element to `collector`; raises NotXml at the first error."""
    state = _State(path=[], texts=[])
    parser = _parser(
        collector.start if collector is not None else None, collector.end if collector is not None else None, state
    )
    _feed(parser, _chunks(stream))


def is_xbrl_root(root: Name) -> bool:
    return root == (XBRLI, "xbrl")
