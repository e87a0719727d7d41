"""The change feed as a Linked Data Event Stream per dataset (`/streams/ldes/<dataset>`), per the LDES and TREE
specifications: an `ldes:EventStream` (timestampPath `prov:generatedAtTime`, versionOfPath `dct:isVersionOf`) whose
members are version objects of the public instances — the instance's graph with its subject replaced by the version's
URI — and tombstones (`as:Tombstone`) when an instance is deleted or no longer public. Pages of
`LOKET_LDES_PAGE_SIZE` members in feed order, linked by `tree:GreaterThanOrEqualToRelation` on the timestamp; a full
page never changes (cached for a year), the last one briefly (ETag).

Versions are fixed by the worker (`materialize`, run with the store sync) from the database as it is then, and never
change after; only changes older than `LOKET_OPENDATA_SETTLE_SECONDS` are taken, so that a transaction that
committed late is not skipped. A late consumer loads the dump, then follows the stream from the dump's position.

Retention (`ldes:retentionPolicy`): every version for `LOKET_LDES_RETENTION_DAYS` (a `DurationAgoPolicy`), and the
latest version of each member always (a `LatestVersionSubset` of 1); a member is kept when either policy keeps it.
`prune` (a periodic task of the worker) removes the version objects outside both. The feed entry's row stays, without
its version, as the skeleton of its page: page boundaries are counted in rows, so every page keeps its URL, its
relation and the relation's value, and only loses members. A full page a consumer cached (immutable) may still list
a pruned member; that is a true historical version, which the policy allows it to keep.
"""

import hashlib
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Max, Value, When
from django.utils import timezone
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from loket.core.linkeddata import PROV, NTriplesGraph, ntriples_line, ntriples_text
from loket.core.writelock import let_writers_in
from loket.opendata.models import FeedEntry
from loket.opendata.projection import current_public, preload, stable_graph

LDES = Namespace("https://w3id.org/ldes#")
TREE = Namespace("https://w3id.org/tree#")
AS = Namespace("https://www.w3.org/ns/activitystreams#")


def version_uri(position: int) -> str:
    """The URI of the version object fixed for the feed entry at `position`."""
    return f"{settings.LOKET_URI_BASE}/id/versies/{position}"


def settled_before():  # type: ignore[no-untyped-def]
    return timezone.now() - timezone.timedelta(seconds=settings.LOKET_OPENDATA_SETTLE_SECONDS)


# Versions fixed per transaction: on SQLite a transaction holds the write lock (the demo data's 2,058 changes in one
# held it for 10 s on a busy machine).
MATERIALIZE_BATCH = 500


def materialize(*, limit: int = 5000) -> int:
    """Fix the version object of every settled change that has none yet, in feed order, MATERIALIZE_BATCH per
    transaction, at most `limit`."""
    done = 0
    while done < limit:
        size = min(MATERIALIZE_BATCH, limit - done)
        fixed = _materialize_batch(size)
        done += fixed
        if fixed < size:
            break
        let_writers_in()
    return done


def _materialize_batch(limit: int) -> int:
    done = 0
    with transaction.atomic():
        entries = list(
            FeedEntry.objects.select_for_update(skip_locked=True)
            .filter(snapshot__isnull=True, at__lt=settled_before())
            .order_by("position")[:limit]
        )
        preload((entry.model_label, entry.object_pk) for entry in entries)
        for entry in entries:
            instance = current_public(entry.model_label, entry.object_pk)
            version = URIRef(version_uri(entry.position))
            graph = Graph()
            subject = URIRef(entry.subject) if entry.subject else None
            if instance is None or subject is None:
                graph.add((version, RDF.type, AS.Tombstone))
                entry.is_tombstone = True
            else:
                for s, p, o in stable_graph(instance):
                    graph.add((version if s == subject else s, p, o))
            if subject is not None:
                graph.add((version, DCTERMS.isVersionOf, subject))
            graph.add((version, PROV.generatedAtTime, Literal(entry.at.isoformat(), datatype=XSD.dateTime)))
            entry.snapshot = ntriples_text(graph)
            done += 1
        FeedEntry.objects.bulk_update(entries, ["snapshot", "is_tombstone"], batch_size=500)
    return done


def stream_uri(dataset: str) -> str:
    return f"{settings.LOKET_SITE_URL}/streams/ldes/{dataset}"


def page_uri(dataset: str, start: int) -> str:
    return f"{stream_uri(dataset)}?vanaf={start}"


def page_key(dataset: str, start: int) -> tuple[str | None, bool]:
    """A cache key for the page at `start`, and whether the page is full (immutable). Derived from the page's rows —
    positions, times and which were pruned, and the row after it — so that a key never names other content: a new
    member of the last page, a pruned member, another page size or another database all give another key. One small
    indexed query, no snapshot read. None for a `start` no link of the stream names (the first page is 0, every
    other starts at its first member): any other number still gets its page, built, but cannot fill the cache."""
    size = settings.LOKET_LDES_PAGE_SIZE
    rows = list(
        FeedEntry.objects.filter(dataset=dataset, snapshot__isnull=False, position__gte=start)
        .order_by("position")
        .annotate(pruned=Case(When(snapshot="", then=Value(1)), default=Value(0), output_field=IntegerField()))
        .values_list("position", "at", "pruned")[: size + 1]
    )
    full = len(rows) > size
    if start != 0 and (not rows or rows[0][0] != start):
        return None, full
    digest = hashlib.sha256(repr((dataset, start, size, rows)).encode()).hexdigest()
    return f"ldes-page:{digest}", full


def page(dataset: str, start: int = 0) -> tuple[NTriplesGraph, bool, int]:
    """The page of the stream whose first member is at feed position `start` or after (0: the first page).
    Returns the page as N-Triples in parts (the stream and the page, then per member its `tree:member` and its stored
    version), whether the page is full (and so immutable), and the position of its first member."""
    size = settings.LOKET_LDES_PAGE_SIZE
    rows = list(
        FeedEntry.objects.filter(dataset=dataset, snapshot__isnull=False, position__gte=start)
        .order_by("position")
        .values_list("position", "snapshot", "at")[: size + 1]
    )
    members = [(position, snapshot) for position, snapshot, _at in rows[:size] if snapshot]  # "": pruned
    following = rows[size:]
    first = rows[0][0] if rows else start
    stream = URIRef(stream_uri(dataset))
    node = URIRef(page_uri(dataset, start))
    policy = URIRef(f"{stream_uri(dataset)}#bewaring")
    latest = URIRef(f"{stream_uri(dataset)}#laatste-versie")
    header = [
        (stream, RDF.type, LDES.EventStream),
        (stream, LDES.timestampPath, PROV.generatedAtTime),
        (stream, LDES.versionOfPath, DCTERMS.isVersionOf),
        (stream, TREE.view, URIRef(page_uri(dataset, 0))),
        (stream, LDES.retentionPolicy, policy),
        (stream, LDES.retentionPolicy, latest),
        (policy, RDF.type, LDES.DurationAgoPolicy),
        (policy, TREE.value, Literal(f"P{settings.LOKET_LDES_RETENTION_DAYS}D", datatype=XSD.duration)),
        (latest, RDF.type, LDES.LatestVersionSubset),
        (latest, LDES.amount, Literal(1)),
        (node, RDF.type, TREE.Node),
    ]
    if following:
        relation = URIRef(f"{page_uri(dataset, start)}#volgende")
        header += [
            (node, TREE.relation, relation),
            (relation, RDF.type, TREE.GreaterThanOrEqualToRelation),
            (relation, TREE.node, URIRef(page_uri(dataset, following[0][0]))),
            (relation, TREE.path, PROV.generatedAtTime),
            (relation, TREE.value, Literal(following[0][2].isoformat(), datatype=XSD.dateTime)),
        ]
    parts = ["".join(ntriples_line(triple) + "\n" for triple in header)]
    for position, snapshot in members:
        member = ntriples_line((stream, TREE.member, URIRef(version_uri(position))))
        parts.append(f"{member}\n{_member_text(position, snapshot)}")
    namespaces = (("ldes", str(LDES)), ("tree", str(TREE)), ("as", str(AS)))
    return NTriplesGraph(tuple(parts), namespaces=namespaces), bool(following), first


# A blank node at the end of a stored line: the object (a literal's last token holds a quote, a language tag's @ or
# a datatype's >; a label none of them). One at the start is the subject.
_BLANK_OBJECT = re.compile(r' _:([^\s"<>@]+) \.$', re.MULTILINE)


def _member_text(position: int, snapshot: str) -> str:
    """A version's stored lines, its blank nodes apart from every other version's: two versions of one instance have
    the same stable labels (`projection.stable_graph`), and in one text one label is one node. Prefixed with the
    version's position, as if each version were read into a graph of its own, but with labels that stay the same."""
    text = snapshot if snapshot.endswith("\n") else snapshot + "\n"
    if "_:" not in text:
        return text
    own = f"_:v{position}_"
    text = ("\n" + text).replace("\n_:", "\n" + own)[1:]
    return _BLANK_OBJECT.sub(lambda found: f" {own}{found.group(1)} .", text)


def prune(*, now: datetime | None = None, batch: int = 5000) -> int:
    """Remove the version objects outside the retention policy: older than `LOKET_LDES_RETENTION_DAYS` and not the
    latest fixed version of their instance. Returns how many were removed."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.LOKET_LDES_RETENTION_DAYS)
    removed, after = 0, 0
    while True:
        candidates = list(
            FeedEntry.objects.filter(position__gt=after, at__lt=cutoff, snapshot__isnull=False)
            .exclude(snapshot="")
            .order_by("position")
            .values_list("position", "model_label", "object_pk")[:batch]
        )
        if not candidates:
            return removed
        after = candidates[-1][0]
        latest: dict[tuple[str, str], int] = {}
        for label in {label for _p, label, _pk in candidates}:
            keys = {pk for _p, other, pk in candidates if other == label}
            rows = (
                FeedEntry.objects.filter(model_label=label, object_pk__in=keys, snapshot__isnull=False)
                .values("object_pk")
                .annotate(last=Max("position"))
            )
            latest.update({(label, row["object_pk"]): row["last"] for row in rows})
        outside = [position for position, label, pk in candidates if position < latest[(label, pk)]]
        if outside:
            with transaction.atomic():
                removed += FeedEntry.objects.filter(position__in=outside).update(snapshot="")
