"""The public projection: what the four channels (dereferencing, dumps, SPARQL, change feed) publish, read only
through the modules' mappings and their public rule. Blank nodes get labels derived from the instance and their
place in its graph, so the same data gives the same triples (and the same dump bytes)."""

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from rdflib import Graph

from loket.core.linkeddata import (
    MappingInfo,
    graph_for,
    has_blank_nodes,
    mapping_info,
    mapping_infos,
    ntriples_lines,
    ntriples_lines_without_blank_nodes,
    stable_labels,
)

CHUNK = 500
# Instances (and their graphs) `current_public` read inside `read_once`, by (model label, key); at most MEMO_LIMIT.
_memo: ContextVar[dict[tuple[str, str], tuple[Any, Graph | None]] | None] = ContextVar("projection_memo", default=None)
MEMO_LIMIT = 20_000


@contextmanager
def read_once() -> Iterator[None]:
    """Inside the block, `current_public` reads each changed instance once and `stable_graph` projects it once: the
    worker's `sync_store` takes the same changes into the SPARQL store, the LDES versions and the delta streams, which
    used to read and project every changed instance three times (about two thirds of the task's CPU). The memo
    lives for the block only, so a later change is read by the next run; instances read otherwise (a dump, a
    rebuild) are not kept."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def graph_name(model_label: str, pk: Any) -> str:
    """The named graph that holds one instance's triples in the store."""
    return f"urn:loket:{model_label}:{pk}"


def stable_graph(instance: Any) -> Graph:
    """The instance's public graph with deterministic blank-node labels. Callers read it and never change it (inside
    `read_once` the same graph is handed to each of them)."""
    memo = _memo.get()
    key = (instance._meta.label, str(instance.pk))
    if memo is not None and key in memo and memo[key][0] is instance:
        kept = memo[key][1]
        if kept is None:
            kept = _stable_graph(instance)
            memo[key] = (instance, kept)
        return kept
    return _stable_graph(instance)


def _stable_graph(instance: Any) -> Graph:
    graph = graph_for(instance)
    if not has_blank_nodes(graph):
        return graph
    return _stabilised(graph, instance)


def public_lines(instance: Any) -> list[str]:
    """The N-Triples lines of the instance's public graph with deterministic blank-node labels: the lines of
    `stable_graph`, the graph read once when it has no blank node (a dump reads every public instance)."""
    graph = graph_for(instance)
    lines = ntriples_lines_without_blank_nodes(graph)
    if lines is None:
        return ntriples_lines(_stabilised(graph, instance))
    return lines


def _stabilised(graph: Graph, instance: Any) -> Graph:
    return stable_labels(graph, hashlib.sha256(f"{instance._meta.label}:{instance.pk}".encode()).hexdigest()[:12])


def public_instances(info: MappingInfo) -> Iterator[Any]:
    """Every public instance in key order, with the related rows its mapping reads loaded per chunk."""
    queryset = info.public_queryset().order_by("pk")
    if info.prefetch is not None:
        queryset = info.prefetch(queryset)
    yield from queryset.iterator(chunk_size=CHUNK)


def dataset_instances(dataset: str) -> Iterator[Any]:
    for info in mapping_infos(dataset):
        yield from public_instances(info)


def current_public(model_label: str, pk: str) -> Any | None:
    """The instance now, if it exists and is public; None when it is gone or private (inside `read_once`: as it was
    when first read in the block)."""
    memo = _memo.get()
    if memo is not None and (model_label, str(pk)) in memo:
        return memo[(model_label, str(pk))][0]
    instance = _current_public(model_label, pk)
    if memo is not None and len(memo) < MEMO_LIMIT:
        memo[(model_label, str(pk))] = (instance, None)
    return instance


def preload(keys: Iterable[tuple[str, str]]) -> None:
    """Inside `read_once`: read the instances a sync is about to take (model label, key) in one query per model, with
    the related rows their mapping reads (`MappingInfo.prefetch`, as a dump reads them), so that `current_public` finds
    them in the memo: one by one, each was a query of its own and its mapping's queries besides (about 4 ms of the
    worker's CPU per changed submission). Outside `read_once` it does nothing. A key that is not a valid key of its
    model is left to `current_public`."""
    memo = _memo.get()
    if memo is None:
        return
    wanted: dict[str, set[str]] = {}
    for label, pk in keys:
        if (label, str(pk)) not in memo:
            wanted.setdefault(label, set()).add(str(pk))
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        info = mapping_info(model)
        if info is None or info.dataset is None:
            continue
        values: dict[Any, str] = {}
        for pk in pks:
            try:
                values[model._meta.pk.to_python(pk)] = pk
            except ValidationError:
                continue
        for start in range(0, len(values), CHUNK):
            chunk = list(values)[start : start + CHUNK]
            queryset = info.public_queryset().filter(pk__in=chunk)
            if info.prefetch is not None:
                queryset = info.prefetch(queryset)
            found = {instance.pk: instance for instance in queryset}
            for value in chunk:
                if len(memo) >= MEMO_LIMIT:
                    return
                memo[(label, values[value])] = (found.get(value), None)


def _current_public(model_label: str, pk: str) -> Any | None:
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return None
    info = mapping_info(model)
    if info is None or info.dataset is None:
        return None
    return info.public_queryset().filter(pk=pk).first()
