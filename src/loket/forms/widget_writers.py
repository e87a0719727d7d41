"""How the Loket's own display types write posted values (the shapes are described in `widgets`)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node

from .collect import WRITERS, Changes, Posted, _getlist, replace_values, write_concepts
from .rdfio import literal
from .vocabulary import DISPLAY, LBLOD_BESLUIT, RDF, SCHEMA, SH, XSD
from .widgets import (
    ADDITIONAL_TAX_RATE,
    BESLUIT,
    ELI,
    articles,
    boolean,
    document_options,
    document_type_options,
    excludes_document_type,
    instance_options,
    is_true,
    iso_moment,
    new_article,
    new_tax_rate,
    organ_copies,
    range_paths,
)


def write_opcentiem(changes: Changes, posted: Posted) -> None:
    source = changes.context.source
    node = posted.node
    prices = [str(v).strip() for v in posted.values if str(v).strip()]
    differs = any(is_true(Literal(v)) for v in _getlist(posted.data, posted.name + "__differentiatie"))
    rates = list(source.objects(node, LBLOD_BESLUIT.taxRate))
    had_flag = bool(changes.context.values(node, ADDITIONAL_TAX_RATE))
    if differs or not prices:  # a differing rate has no amounts; no amounts, no rate
        for rate in rates:
            for triple in list(source.triples((rate, None, None))):
                changes.remove(triple)
            changes.remove((node, LBLOD_BESLUIT.taxRate, rate))
    else:
        rate = rates[0] if rates else new_tax_rate()
        changes.add((rate, RDF.type, LBLOD_BESLUIT.TaxRate))
        changes.add((node, LBLOD_BESLUIT.taxRate, rate))
        for old in list(source.objects(rate, SCHEMA.price)):
            if str(old) not in prices:
                changes.remove((rate, SCHEMA.price, old))
        for price in prices:
            changes.add((rate, SCHEMA.price, Literal(price)))
    if differs or had_flag:  # the check box writes only once it was touched, as in the real widget
        replace_values(changes, node, ADDITIONAL_TAX_RATE, [boolean(differs)])
    changes.context.forget()


def write_date_range(changes: Changes, posted: Posted) -> None:
    if posted.graph is None:
        return
    start_path, end_path = range_paths(posted.graph, posted.field)
    start = iso_moment(_one(posted, "__from"))
    end = iso_moment(_one(posted, "__to"), end_of_day=True)
    for predicate, moment in ((start_path, start), (end_path, end)):
        if predicate is None:
            continue
        for old in list(changes.context.source.objects(posted.node, predicate)):
            changes.remove((posted.node, predicate, old))
        if start and end:  # the real widget keeps a range only when both ends are set
            changes.add((posted.node, predicate, Literal(moment)))
    changes.context.forget()


def _one(posted: Posted, suffix: str) -> str:
    values = _getlist(posted.data, posted.name + suffix)
    return str(values[-1]).strip() if values else ""


def write_organ(changes: Changes, posted: Posted) -> None:
    """Like a concept selector, plus the organ's facts copied from the meta graph (removed with the old choice)."""
    meta = changes.context.meta
    for old in list(changes.context.values(posted.node, posted.field.path)):
        for triple in organ_copies(meta, old):
            changes.remove(triple)
    write_concepts(changes, posted)
    for chosen in list(changes.context.values(posted.node, posted.field.path)):
        for triple in organ_copies(meta, chosen):
            changes.add(triple)
    changes.context.forget()


def write_documents(changes: Changes, posted: Posted) -> None:
    options = {str(o.value) for o in document_options(changes.context.meta)}
    chosen: list[Node] = [URIRef(v) for v in dict.fromkeys(str(v).strip() for v in posted.values) if v in options]
    replace_values(changes, posted.node, posted.field.path, chosen, lambda old: str(old) in options)


def write_instances(changes: Changes, posted: Posted) -> None:
    if posted.graph is None:
        return
    options = {str(o.value) for o in instance_options(posted.graph, posted.field, changes.context.meta)}
    chosen: list[Node] = [URIRef(v) for v in dict.fromkeys(str(v).strip() for v in posted.values) if v in options]
    if posted.field.display_type == DISPLAY.instanceSelector:
        chosen = chosen[-1:]
    replace_values(changes, posted.node, posted.field.path, chosen, lambda old: str(old) in options)


def _is_row_number(text: str) -> bool:
    """A row index as the widget writes it: ASCII digits ("²" is a digit to isdigit, not to int()), few enough for
    int() (which refuses more than 4,300)."""
    return text.isascii() and text.isdigit() and len(text) <= 6


def write_articles(changes: Changes, posted: Posted) -> None:
    """Rows `__doc__<i>` / `__type__<i>` / `__article__<i>`: a row with a document is an article, in row order."""
    if posted.graph is None:
        return
    source = changes.context.source
    documents = {str(o.value) for o in document_options(changes.context.meta)}
    types = {str(o.value) for o in document_type_options(changes.context.meta)}
    with_type = not excludes_document_type(posted.graph, posted.field)
    old = articles(changes.context, posted.node, posted.field.path)
    known = {str(a): a for a in old}
    kept: list[Node] = []
    prefix = posted.name + "__doc__"
    rows = sorted(
        {int(k[len(prefix) :]) for k in posted.data if k.startswith(prefix) and _is_row_number(k[len(prefix) :])}
    )
    for row in rows:
        document = _one(posted, f"__doc__{row}")
        if document not in documents:
            continue
        article = known.get(_one(posted, f"__article__{row}")) or new_article()
        for triple in list(source.triples((article, None, None))):
            changes.remove(triple)
        changes.add((article, RDF.type, BESLUIT.Artikel))
        changes.add((article, SH.order, literal(str(len(kept)), XSD.integer)))
        changes.add((article, ELI.refers_to, URIRef(document)))
        document_type = _one(posted, f"__type__{row}")
        if with_type and document_type in types:
            changes.add((article, ELI.type_document, URIRef(document_type)))
        kept.append(article)
    for article in old:
        if article not in kept:
            for triple in list(source.triples((article, None, None))):
                changes.remove(triple)
    replace_values(changes, posted.node, posted.field.path, kept, lambda value: value in known.values())


WRITERS.update(
    {
        DISPLAY.vLabelOpcentiem: write_opcentiem,
        DISPLAY.dateRange: write_date_range,
        DISPLAY.bestuursorgaanSelector: write_organ,
        DISPLAY.decisionDocuments: write_documents,
        DISPLAY.decisionArticles: write_articles,
        DISPLAY.instanceSelector: write_instances,
        DISPLAY.instanceMultiSelector: write_instances,
    }
)
