"""A small RDFa 1.1 Core processor for published decision pages (HTML+RDFa, "besluit"/"eli" annotations).

It implements the processing sequence of RDFa 1.1 Core (section 7.5) for @about, @resource, @href, @src,
@typeof, @property, @rel, @rev, @content, @datatype, @vocab and @prefix, with the RDFa initial context's prefixes
and chaining through incomplete triples. Not implemented (not used by the pages we import): @inlist lists, XML
literals (their text is taken as a plain literal) and language tags (dropped, as the real Loket's importer does).
The standard library's HTML parser builds the tree; no network access, no scripts.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

INITIAL_PREFIXES = {
    "as": "https://www.w3.org/ns/activitystreams#",
    "cc": "http://creativecommons.org/ns#",
    "csvw": "http://www.w3.org/ns/csvw#",
    "ctag": "http://commontag.org/ns#",
    "dc": "http://purl.org/dc/terms/",
    "dc11": "http://purl.org/dc/elements/1.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "dqv": "http://www.w3.org/ns/dqv#",
    "duv": "https://www.w3.org/ns/duv#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "gr": "http://purl.org/goodrelations/v1#",
    "grddl": "http://www.w3.org/2003/g/data-view#",
    "ical": "http://www.w3.org/2002/12/cal/icaltzd#",
    "ldp": "http://www.w3.org/ns/ldp#",
    "ma": "http://www.w3.org/ns/ma-ont#",
    "oa": "http://www.w3.org/ns/oa#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "og": "http://ogp.me/ns#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfa": "http://www.w3.org/ns/rdfa#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rev": "http://purl.org/stuff/rev#",
    "rif": "http://www.w3.org/2007/rif#",
    "rr": "http://www.w3.org/ns/r2rml#",
    "schema": "http://schema.org/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sioc": "http://rdfs.org/sioc/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "sosa": "http://www.w3.org/ns/sosa/",
    "ssn": "http://www.w3.org/ns/ssn/",
    "time": "http://www.w3.org/2006/time#",
    "v": "http://rdf.data-vocabulary.org/#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "void": "http://rdfs.org/ns/void#",
    "wdr": "http://www.w3.org/2007/05/powder#",
    "wdrs": "http://www.w3.org/2007/05/powder-s#",
    "xhv": "http://www.w3.org/1999/xhtml/vocab#",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
_XML_LITERALS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#HTML",
}
_MAX_DEPTH = 400


class _Element:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Element | str] = []

    def text(self) -> str:
        parts: list[str] = []
        stack: list[_Element | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
            else:
                stack.extend(reversed(item.children))
        return "".join(parts)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, {name.lower(): value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID_ELEMENTS and len(self.stack) < _MAX_DEPTH:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Element(tag, {name.lower(): value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag not in {"script", "style"}:
            self.stack[-1].children.append(data)


class _Context:
    __slots__ = ("base", "incomplete", "parent_object", "parent_subject", "prefixes", "vocab")

    def __init__(
        self,
        base: str,
        parent_subject: URIRef | BNode,
        parent_object: URIRef | BNode | None,
        prefixes: dict[str, str],
        vocab: str | None,
        incomplete: list[tuple[URIRef, str]],
    ) -> None:
        self.base = base
        self.parent_subject = parent_subject
        self.parent_object = parent_object
        self.prefixes = prefixes
        self.vocab = vocab
        self.incomplete = incomplete


class _Processor:
    def __init__(self, base: str) -> None:
        self.base = base
        self.graph = Graph()

    # --- resolving attribute values -----------------------------------------------------------------------
    def _curie(self, value: str, context: _Context) -> URIRef | BNode | None:
        prefix, colon, reference = value.partition(":")
        if not colon:
            return None
        if prefix == "_":
            return BNode(f"rdfa{reference}")
        mapping = context.prefixes.get(prefix.lower())
        if mapping is not None and not reference.startswith("//"):
            return URIRef(mapping + reference)
        return None

    def _term_or_curie(self, value: str, context: _Context) -> URIRef | None:
        """For @property, @typeof, @rel, @rev, @datatype."""
        if ":" not in value:
            return URIRef(context.vocab + value) if context.vocab else None
        resolved = self._curie(value, context)
        if isinstance(resolved, URIRef):
            return resolved
        scheme = value.split(":", 1)[0]
        return URIRef(value) if scheme.isalpha() and resolved is None else None

    def _terms(self, value: str | None, context: _Context) -> list[URIRef]:
        if not value:
            return []
        return [term for token in value.split() if (term := self._term_or_curie(token, context)) is not None]

    def _resource(self, value: str, context: _Context) -> URIRef | BNode:
        """For @about and @resource: a safe CURIE, a CURIE or an IRI."""
        if value.startswith("[") and value.endswith("]"):
            return self._curie(value[1:-1], context) or URIRef(urljoin(context.base, ""))
        resolved = self._curie(value, context)
        return resolved if resolved is not None else URIRef(urljoin(context.base, value.strip()))

    def _iri(self, value: str, context: _Context) -> URIRef:
        return URIRef(urljoin(context.base, value.strip()))

    # --- the processing sequence --------------------------------------------------------------------------
    def run(self, document: _Element) -> Graph:
        base = self.base
        for element in _iter_elements(document):
            if element.tag == "base" and element.attrs.get("href"):
                base = urljoin(self.base, element.attrs["href"])
                break
        context = _Context(base, URIRef(base), URIRef(base), dict(INITIAL_PREFIXES), None, [])
        stack: list[tuple[_Element, _Context, bool]] = [
            (child, context, True) for child in reversed(document.children) if isinstance(child, _Element)
        ]
        while stack:
            element, parent, is_root = stack.pop()
            child_context = self._element(element, parent, is_root)
            stack.extend(
                (child, child_context, False) for child in reversed(element.children) if isinstance(child, _Element)
            )
        return self.graph

    def _local_context(self, element: _Element, parent: _Context) -> tuple[dict[str, str], str | None]:
        attrs = element.attrs
        vocab = parent.vocab
        if "vocab" in attrs:
            vocab = attrs["vocab"].strip() or None
        prefixes = parent.prefixes
        if attrs.get("prefix") or any(name.startswith("xmlns:") for name in attrs):
            prefixes = dict(prefixes)
            for name, value in attrs.items():
                if name.startswith("xmlns:"):
                    prefixes[name[6:].lower()] = value
            tokens = attrs.get("prefix", "").split()
            for name, value in zip(tokens[::2], tokens[1::2], strict=False):
                if name.endswith(":") and name[:-1] and name[:-1] != "_":
                    prefixes[name[:-1].lower()] = value
        return prefixes, vocab

    def _element(self, element: _Element, parent: _Context, is_root: bool) -> _Context:
        attrs = element.attrs
        prefixes, vocab = self._local_context(element, parent)
        context = _Context(parent.base, parent.parent_subject, parent.parent_object, prefixes, vocab, [])
        rels = self._terms(attrs.get("rel"), context)
        revs = self._terms(attrs.get("rev"), context)
        properties = self._terms(attrs.get("property"), context) if "property" in attrs else []
        types = self._terms(attrs.get("typeof"), context) if "typeof" in attrs else []
        has_typeof = "typeof" in attrs
        about = self._resource(attrs["about"], context) if "about" in attrs else None
        resource = self._resource(attrs["resource"], context) if "resource" in attrs else None
        href = self._iri(attrs["href"], context) if "href" in attrs else None
        src = self._iri(attrs["src"], context) if "src" in attrs else None
        object_attr = resource or href or src
        skip = False
        new_subject = None
        current_object = None
        typed = None
        if "rel" not in attrs and "rev" not in attrs:
            if "property" in attrs and "content" not in attrs and "datatype" not in attrs:
                new_subject = about or (URIRef(context.base) if is_root else parent.parent_object)
                if has_typeof:
                    typed = about or (URIRef(context.base) if is_root else None) or object_attr or BNode()
                    current_object = typed
            else:
                new_subject = about or object_attr
                if new_subject is None:
                    if is_root:
                        new_subject = URIRef(context.base)
                    elif has_typeof:
                        new_subject = BNode()
                    else:
                        new_subject = parent.parent_object
                    skip = "property" not in attrs and not has_typeof and about is None
                if has_typeof:
                    typed = new_subject
        else:
            new_subject = about or (URIRef(context.base) if is_root else parent.parent_object)
            if has_typeof and about is not None:
                typed = about
            current_object = object_attr
            if current_object is None and has_typeof and about is None:
                current_object = BNode()
                typed = current_object
        if typed is not None:
            for rdf_type in types:
                self.graph.add((typed, RDF.type, rdf_type))
        incomplete: list[tuple[URIRef, str]] = []
        if new_subject is not None and current_object is not None:
            for predicate in rels:
                self.graph.add((new_subject, predicate, current_object))
            for predicate in revs:
                self.graph.add((current_object, predicate, new_subject))
        elif rels or revs:
            incomplete = [(p, "forward") for p in rels] + [(p, "reverse") for p in revs]
            current_object = BNode()
        if properties and new_subject is not None:
            value = self._property_value(element, context, typed, object_attr, about)
            for predicate in properties:
                self.graph.add((new_subject, predicate, value))
        if not skip and new_subject is not None:
            for predicate, direction in parent.incomplete:
                if direction == "forward":
                    self.graph.add((parent.parent_subject, predicate, new_subject))
                else:
                    self.graph.add((new_subject, predicate, parent.parent_subject))
        if skip:
            return _Context(
                context.base, parent.parent_subject, parent.parent_object, prefixes, vocab, parent.incomplete
            )
        subject = new_subject if new_subject is not None else parent.parent_subject
        next_object = current_object if current_object is not None else subject
        return _Context(context.base, subject, next_object, prefixes, vocab, incomplete)

    def _property_value(
        self,
        element: _Element,
        context: _Context,
        typed: URIRef | BNode | None,
        object_attr: URIRef | BNode | None,
        about: URIRef | BNode | None,
    ) -> Literal | URIRef | BNode:
        attrs = element.attrs
        text = attrs["content"] if "content" in attrs else None
        if "datatype" in attrs:
            datatype = self._term_or_curie(attrs["datatype"], context) if attrs["datatype"].strip() else None
            lexical = text if text is not None else element.text()
            if datatype is None or str(datatype) in _XML_LITERALS:
                return Literal(lexical)
            return Literal(lexical, datatype=datatype)
        if text is not None:
            return Literal(text)
        if "rel" not in attrs and "rev" not in attrs:
            if object_attr is not None:
                return object_attr
            if "typeof" in attrs and about is None and typed is not None:
                return typed
        return Literal(element.text())


def _iter_elements(root: _Element):  # type: ignore[no-untyped-def]
    stack: list[_Element | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, _Element):
            yield item
            stack.extend(reversed(item.children))


def rdfa_graph(html: str, *, base: str) -> Graph:
    """The RDF a page states in RDFa, with relative addresses resolved against `base` (the page's address)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return _Processor(base).run(builder.root)
