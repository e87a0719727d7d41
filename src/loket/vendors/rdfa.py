"""Reading the RDFa of a published decision page with pyRdfa3, the reference RDFa 1.1 processor (W3C RDFa Core 1.1
and HTML+RDFa 1.1, the processor the RDFa test suite was written against).

The page is parsed as HTML5 by html5lib (as a browser would: a snippet without `<html>` or `<body>` is fine), then
processed from the DOM, so pyRdfa never opens a URL itself; vocabulary expansion (the only feature that would
fetch vocabularies from the web) is off, and no processor graph (warnings as triples) is produced. Relative IRIs
resolve against the page's address, or its `<base href>`. Language tags are kept (the real Loket's importer drops
them; nothing we import depends on them).

A page nested deeper than MAX_DEPTH elements is refused with a message before parsing: the processor recurses per
element, and html5lib's tree building slows down with the depth of the open elements (20,000 nested `<div>`s took
minutes); a linear pre-scan with the standard library's tokenizer measures the depth first.
"""

from html.parser import HTMLParser

import html5lib
from pyRdfa import pyRdfa
from pyRdfa.options import Options
from rdflib import Graph

from loket.core.errors import DomainError

MAX_DEPTH = 250
MAX_ELEMENTS = 100_000  # a long decision list has a few thousand; parsing costs about 0.1 ms per element
# Elements whose end tag HTML lets out (closed by a sibling or their parent): they do not nest in practice.
_VOID_OR_IMPLIED = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th thead tbody tfoot option optgroup rb rt rtc rp colgroup caption".split()
)


class RDFaUnreadable(DomainError):
    code = "rdfa_unreadable"


class _DepthScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.deepest = 0
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        if tag not in _VOID_OR_IMPLIED:
            self.open.append(tag)
            self.deepest = max(self.deepest, len(self.open))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """Python 3.11's parser raises AssertionError on a malformed `<![` (found by the fuzzer: `<![- Noteer`), which
        a browser reads as a bogus comment; here its three characters are skipped and the scan goes on."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return i + 3


def _shape_refusal(html: str) -> str | None:
    """Why the page is too deep or too large to process, or None."""
    scanner = _DepthScanner()
    for start in range(0, len(html), 65536):
        scanner.feed(html[start : start + 65536])
        if scanner.deepest > MAX_DEPTH:
            return f"te diep genest (meer dan {MAX_DEPTH} elementen in elkaar)"
        if scanner.elements > MAX_ELEMENTS:
            return f"te groot (meer dan {MAX_ELEMENTS:,} elementen)".replace(",", ".")
    return None


def rdfa_graph(html: str, *, base: str) -> Graph:
    """The RDF a page states in RDFa, with relative addresses resolved against `base` (the page's address)."""
    refusal = _shape_refusal(html)
    if refusal is not None:
        raise _unreadable(refusal)
    parser = html5lib.HTMLParser(tree=html5lib.treebuilders.getTreeBuilder("dom"))
    options = Options(
        output_default_graph=True,
        output_processor_graph=False,
        vocab_expansion=False,
        vocab_cache=False,
        refresh_vocab_cache=False,
        embedded_rdf=False,
    )
    processor = pyRdfa(options, base=base, media_type="text/html")
    try:
        document = parser.parse(html)
        return processor.graph_from_DOM(document, graph=Graph())
    except RecursionError:  # deeper than the scan saw (html5lib nests differently in odd cases)
        raise _unreadable(f"te diep genest (meer dan {MAX_DEPTH} elementen in elkaar)") from None
    except Exception as error:  # the processor on a stranger's page: e.g. ValueError for lang="=x"
        raise _unreadable(f"niet als RDFa te lezen ({str(error)[:200]})") from None


def _unreadable(reason: str) -> RDFaUnreadable:
    return RDFaUnreadable(
        f"De RDFa-annotaties van de pagina werden niet gelezen: de pagina is {reason}. Publiceer het besluit op een "
        "eenvoudiger pagina."
    )
