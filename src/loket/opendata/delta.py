"""The real Loket's delta streams (`/sync/<stream>/files`) for existing consumers such as `lblod/delta-consumer`:
`mandatarissen`, `leidinggevenden` and `submissions`, made from the change feed of our public datasets.

* `GET /sync/<stream>/files?since=<ISO>` (JSON:API): the files created strictly after `since`, ascending, at most
  1,000; a consumer pages by asking again with the last `created`.
* `GET /files/<id>/download`: a JSON array of changesets `{"inserts": [...], "deletes": [...]}`, each triple
  `{subject, predicate, object, graph}` with terms `{type, value, datatype?, "xml:lang"?}`; at most 100 triples per
  list and 10 changesets per file; deletes before inserts.
* The initial dump: `GET /datasets?filter[subject]=<…CacheGraphDump>` (JSON:API, `application/vnd.api+json`) → its
  distribution → `/files/<file>/download` (Turtle). It matches the stream at the dump's release date.

How a file is made (`publish`, by the worker after the store sync): for each settled change of the stream's dataset,
the instance's public graph now (the projection: mapping + public rule) is compared with what the stream last
published of it (`DeltaMember`): the lines that are gone are deletes, the new ones inserts. A triple that several
instances publish (a person's name on two mandates) leaves the stream only when the last of them drops it
(`DeltaTriple` counts them). Replaying a change is harmless (nothing differs). Blank nodes are published as skolem
IRIs (`{LOKET_URI_BASE}/.well-known/genid/<label>`) so that a consumer can delete what it inserted."""

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from json.encoder import encode_basestring

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from rdflib import BNode, Graph, Literal, URIRef

from loket.core.linkeddata import ntriples_lines
from loket.core.writelock import let_writers_in
from loket.opendata.models import DeltaDump, DeltaFile, DeltaMember, DeltaStream, DeltaTriple, FeedEntry
from loket.opendata.projection import current_public, dataset_instances, preload, stable_graph

MAX_TRIPLES_PER_LIST = 100
MAX_CHANGESETS_PER_FILE = 10
MAX_FILES_PER_REQUEST = 1000
DUMP_TYPE = "http://data.lblod.info/vocabularies/datasets/DeltaCacheGraphDump"
SUBJECT_BASE = "http://data.lblod.info/datasets/delta-producer/dumps/"
GRAPH_BASE = "http://redpencil.data.gift/id/deltas/producer/"


@dataclass(frozen=True)
class Stream:
    name: str  # as in the path /sync/<name>/files
    dataset: str  # our public dataset
    subject: str  # dct:subject of its dump, as the real producer sets it
    graph: str  # the publication graph named in each triple


STREAMS = {
    stream.name: stream
    for stream in (
        Stream(
            "mandatarissen",
            "mandatarissen",
            SUBJECT_BASE + "MandatarissenCacheGraphDump",
            GRAPH_BASE + "loket-mandatarissen-producer",
        ),
        Stream(
            "leidinggevenden",
            "leidinggevenden",
            SUBJECT_BASE + "LeidinggevendenCacheGraphDump",
            GRAPH_BASE + "loket-leidinggevenden-producer",
        ),
        Stream(
            "submissions", "inzendingen", SUBJECT_BASE + "SubmissionsCacheGraphDump", GRAPH_BASE + "loket-submissions"
        ),
    )
}


def stream_by_subject(subject: str) -> Stream | None:
    return next((stream for stream in STREAMS.values() if stream.subject == subject), None)


def _skolem(graph: Graph) -> Graph:
    base = f"{settings.LOKET_URI_BASE}/.well-known/genid/"
    if not any(isinstance(node, BNode) for triple in graph for node in triple):
        return graph
    named = Graph()
    for s, p, o in graph:
        named.add(
            (
                URIRef(base + str(s)) if isinstance(s, BNode) else s,
                p,
                URIRef(base + str(o)) if isinstance(o, BNode) else o,
            )
        )
    return named


def published_lines(instance: object) -> list[str]:
    """The N-Triples lines a delta stream publishes of one public instance (the projection, blank nodes skolemised)."""
    return ntriples_lines(_skolem(stable_graph(instance)))


def _key(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()[:32]


def _settled_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.LOKET_OPENDATA_SETTLE_SECONDS)


def _settled_position() -> int:
    """Every change up to this position has settled (a later transaction can no longer commit below it)."""
    return (
        FeedEntry.objects.filter(at__lt=_settled_before())
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
        or 0
    )


# --- the term format -----------------------------------------------------------------------------------------------


def _term(node: object) -> dict[str, str]:
    if isinstance(node, Literal):
        term = {"type": "literal", "value": str(node)}
        if node.language:
            term["xml:lang"] = node.language
        elif node.datatype is not None:
            term = {"type": "typed-literal", "value": str(node), "datatype": str(node.datatype)}
        return term
    return {"type": "uri", "value": str(node)}


def _triples(lines: list[str], graph: str) -> list[dict[str, dict[str, str]]]:
    parsed = Graph().parse(data="\n".join(lines), format="nt") if lines else Graph()
    return [
        {"subject": _term(s), "predicate": _term(p), "object": _term(o), "graph": {"type": "uri", "value": graph}}
        for s, p, o in sorted(parsed)
    ]


def _changesets(deletes: list[str], inserts: list[str], graph: str) -> list[dict[str, list]]:  # type: ignore[type-arg]
    """One change as changesets of at most 100 triples per list: every delete before any insert."""
    if len(deletes) <= MAX_TRIPLES_PER_LIST and len(inserts) <= MAX_TRIPLES_PER_LIST:
        return (
            [{"inserts": _triples(inserts, graph), "deletes": _triples(deletes, graph)}] if deletes or inserts else []
        )
    found = []
    for start in range(0, len(deletes), MAX_TRIPLES_PER_LIST):
        found.append({"inserts": [], "deletes": _triples(deletes[start : start + MAX_TRIPLES_PER_LIST], graph)})
    for start in range(0, len(inserts), MAX_TRIPLES_PER_LIST):
        found.append({"inserts": _triples(inserts[start : start + MAX_TRIPLES_PER_LIST], graph), "deletes": []})
    return found


def file_body(changesets: list[dict[str, list]]) -> str:  # type: ignore[type-arg]
    """A delta file's JSON, the bytes of `json.dumps(changesets, indent=2, ensure_ascii=False)`: with an indent the
    json module encodes in Python, generator by generator; this joins the strings its C function quotes (about half
    the time: 5 ms for a file of 10 changesets, 70 kB). Lists, dicts with string keys and strings only (the
    changeset shape)."""
    return _indented(changesets, "\n")


def _indented(value: object, newline: str) -> str:
    if isinstance(value, str):
        return encode_basestring(value)  # what json.dumps(..., ensure_ascii=False) quotes a string with
    inner = newline + "  "
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented(item, inner) for item in value) + newline + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (encode_basestring(key) + ": " + _indented(item, inner) for key, item in value.items())
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    raise TypeError(f"not in a delta file: {type(value).__name__}")


# --- producing --------------------------------------------------------------------------------------------------------


def start(stream: Stream) -> DeltaStream:
    """The stream's state, started from the projection now (with its initial dump) the first time."""
    found = DeltaStream.objects.filter(name=stream.name).first()
    if found is not None:
        return found
    try:
        state = _start(stream)
    except IntegrityError:  # another worker started it at the same time
        state = None
    if state is None:
        return DeltaStream.objects.get(name=stream.name)
    dump(stream)
    return state


def _start(stream: Stream) -> DeltaStream | None:
    """The stream's first state: every public instance of its dataset as a member, the triples counted (None: another
    worker started the stream meanwhile).

    No transaction is held for long: on SQLite one holds the write lock, and a sign-in waits for it up to the 20 s
    busy timeout, past which it fails. The projection (14-16 s for the demo's 20,000 mandates in the worker's first
    sync on an idle machine) is read outside any transaction into a temporary file, then written 500 members or 2,000
    counts per transaction. The stream exists only once its row is written, last: a start that was
    interrupted leaves rows no one reads, and the next start forgets them first (one start at a time: `_alone`).
    Reading without a transaction is safe, as for the store's rebuild: the position is read before any instance, so a
    change made while reading has a feed entry after it, and publishing it again finds nothing that differs."""
    with _alone(stream):
        if DeltaStream.objects.filter(name=stream.name).exists():
            return None
        _forget_unfinished(stream)
        position = _settled_position()
        counts: Counter[str] = Counter()
        with tempfile.TemporaryFile("w+", encoding="utf-8", dir=settings.FILE_UPLOAD_TEMP_DIR) as spool:
            for instance in dataset_instances(stream.dataset):
                lines = sorted(set(published_lines(instance)))
                if lines:
                    counts.update(_key(line) for line in lines)
                    spool.write(json.dumps([f"{instance._meta.label}:{instance.pk}", "\n".join(lines)]) + "\n")
            spool.seek(0)
            while members := [
                DeltaMember(stream=stream.name, member=key, lines=text)
                for key, text in map(json.loads, islice(spool, 500))
            ]:
                with transaction.atomic():
                    DeltaMember.objects.bulk_create(members)
                let_writers_in()
        triples = [DeltaTriple(stream=stream.name, key=key, count=count) for key, count in counts.items()]
        for first in range(0, len(triples), 2000):
            with transaction.atomic():
                DeltaTriple.objects.bulk_create(triples[first : first + 2000])
            let_writers_in()
        return DeltaStream.objects.create(name=stream.name, position=position, started_at=timezone.now())


def _forget_unfinished(stream: Stream) -> None:
    """Remove what an interrupted start of the stream wrote (a few thousand rows per transaction)."""
    for unfinished in (DeltaMember.objects.filter(stream=stream.name), DeltaTriple.objects.filter(stream=stream.name)):
        while batch := list(unfinished.values_list("pk", flat=True)[:2000]):
            with transaction.atomic():
                unfinished.model.objects.filter(pk__in=batch).delete()
            let_writers_in()


@contextlib.contextmanager
def _alone(stream: Stream) -> Iterator[None]:
    """One start of the stream at a time, among all workers. The lock goes with the connection (PostgreSQL: a session
    advisory lock per stream) or the process (SQLite: one file lock beside the database), so a killed worker does not
    keep it."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.blake2b(f"delta-start:{stream.name}".encode(), digest_size=8).digest(), "big")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key - 2**63])
        try:
            yield
        finally:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:  # a lost connection took it along
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key - 2**63])
        return
    with open(f"{connection.settings_dict['NAME']}.delta-start.lock", "ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


def _next_created(stream: Stream) -> datetime:
    """Now (to the millisecond, as consumers keep it), and always after the stream's last file."""
    now = timezone.now().replace(microsecond=timezone.now().microsecond // 1000 * 1000)
    last = DeltaFile.objects.filter(stream=stream.name).order_by("-created").values_list("created", flat=True).first()
    if last is not None and now <= last:
        now = last + timedelta(milliseconds=1)
    return now


class _Counts:
    """How many instances of the stream publish each triple (`DeltaTriple`), for the keys one run of `publish` touches:
    read in one query, changed in memory instance after instance (so every instance sees the counts the ones before
    it left, as when each wrote its own rows), and written back at the end in a few statements."""

    def __init__(self, stream: Stream, keys: set[str]) -> None:
        self.stream = stream
        self.rows: dict[str, DeltaTriple] = {}
        ordered = sorted(keys)
        for first in range(0, len(ordered), 1000):
            chunk = ordered[first : first + 1000]
            for row in DeltaTriple.objects.filter(stream=stream.name, key__in=chunk).only("id", "key", "count"):
                self.rows[row.key] = row
        self.counts = {key: row.count for key, row in self.rows.items()}

    def apply(self, gone: list[str], added: list[str]) -> tuple[list[str], list[str]]:
        """The deletes and inserts of one instance's change (sorted lines gone and added)."""
        deletes, inserts = [], []
        # one fewer instance publishes each; those no instance publishes any more leave the stream
        for key, line in {_key(line): line for line in gone}.items():
            count = self.counts.get(key)
            if count is None:
                continue
            if count <= 1:
                del self.counts[key]
                deletes.append(line)
            else:
                self.counts[key] = count - 1
        # one more instance publishes each; those new to the stream enter it
        for key, line in {_key(line): line for line in added}.items():
            if key in self.counts:
                self.counts[key] += 1
            else:
                self.counts[key] = 1
                inserts.append(line)
        return deletes, inserts

    def save(self) -> None:
        gone = [row.pk for key, row in self.rows.items() if key not in self.counts]
        changed = []
        for key, row in self.rows.items():
            if key in self.counts and self.counts[key] != row.count:
                row.count = self.counts[key]
                changed.append(row)
        for first in range(0, len(gone), 1000):
            DeltaTriple.objects.filter(pk__in=gone[first : first + 1000]).delete()
        DeltaTriple.objects.bulk_update(changed, ["count"], batch_size=500)
        DeltaTriple.objects.bulk_create(
            [DeltaTriple(stream=self.stream.name, key=key, count=count) for key, count in self.counts.items()
             if key not in self.rows],
            batch_size=1000,
        )  # fmt: skip


def publish(stream: Stream, *, limit: int = 5000) -> int:
    """Turn the settled changes of the stream's dataset into delta files; returns how many files were written."""
    start(stream)
    written = 0
    with transaction.atomic():
        state = DeltaStream.objects.select_for_update().get(name=stream.name)
        settled = _settled_position()
        entries = list(
            FeedEntry.objects.filter(
                dataset=stream.dataset, position__gt=state.position, position__lte=settled
            ).order_by("position")[:limit]
        )
        if not entries:  # nothing of this dataset up to the settled position
            if settled > state.position:
                state.position = settled
                state.save(update_fields=["position"])
            return 0
        # Each instance once, in the order of its first entry: the instance as it is now is taken there.
        taken: dict[str, FeedEntry] = {}
        for entry in entries:
            taken.setdefault(f"{entry.model_label}:{entry.object_pk}", entry)
        preload((entry.model_label, entry.object_pk) for entry in taken.values())
        members: dict[str, DeltaMember] = {}
        ordered = list(taken)
        for first in range(0, len(ordered), 1000):
            chunk = ordered[first : first + 1000]
            members.update((m.member, m) for m in DeltaMember.objects.filter(stream=stream.name, member__in=chunk))
        differences = []  # per instance: its member, the lines it publishes now, the lines gone and added
        for member_key, entry in taken.items():
            member = members.get(member_key)
            instance = current_public(entry.model_label, entry.object_pk)
            old = set(member.lines.split("\n")) if member is not None and member.lines else set()
            new = set(published_lines(instance)) if instance is not None else set()
            differences.append((member_key, member, new, sorted(old - new), sorted(new - old)))
        counts = _Counts(stream, {_key(line) for *_, gone, added in differences for line in gone + added})
        changesets: list[dict[str, list]] = []  # type: ignore[type-arg]
        made, changed, removed = [], [], []
        for member_key, member, new, gone, added in differences:
            deletes, inserts = counts.apply(gone, added)
            changesets += _changesets(deletes, inserts, stream.graph)
            lines = "\n".join(sorted(new))
            if not new:
                if member is not None:
                    removed.append(member.pk)
            elif member is None:
                made.append(DeltaMember(stream=stream.name, member=member_key, lines=lines))
            elif member.lines != lines:
                member.lines = lines
                changed.append(member)
        counts.save()
        DeltaMember.objects.filter(pk__in=removed).delete()
        DeltaMember.objects.bulk_update(changed, ["lines"], batch_size=200)
        DeltaMember.objects.bulk_create(made, batch_size=200)
        for first in range(0, len(changesets), MAX_CHANGESETS_PER_FILE):
            created = _next_created(stream)
            DeltaFile.objects.create(
                stream=stream.name,
                created=created,
                name=f"delta-{_iso(created)}-{first // MAX_CHANGESETS_PER_FILE}.json",
                body=file_body(changesets[first : first + MAX_CHANGESETS_PER_FILE]),
                position=entries[-1].position,
            )
            written += 1
        state.position = entries[-1].position
        state.save(update_fields=["position"])
    return written


def publish_all() -> int:
    return sum(publish(stream) for stream in STREAMS.values())


def dump(stream: Stream) -> DeltaDump:
    """The stream's state now as Turtle (sorted N-Triples lines), released at the stream's last file."""
    with transaction.atomic():
        DeltaStream.objects.select_for_update().get(name=stream.name)
        last = (
            DeltaFile.objects.filter(stream=stream.name).order_by("-created").values_list("created", flat=True).first()
        )
        released = last or DeltaStream.objects.get(name=stream.name).started_at
        with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as folder:
            path = os.path.join(folder, "dump.ttl")
            lines: set[str] = set()
            for member in DeltaMember.objects.filter(stream=stream.name).only("lines").iterator(chunk_size=500):
                lines.update(member.lines.split("\n"))
            with open(path, "w", encoding="utf-8") as out:
                for line in sorted(lines):
                    out.write(line + "\n")
            size = os.path.getsize(path)
            name = f"delta-producer-dumps/{stream.name}/dump-{stream.name}-{released:%Y%m%d%H%M%S%f}.ttl"
            with open(path, "rb") as source:
                stored = default_storage.save(name, File(source, name=os.path.basename(name)))
        made = DeltaDump.objects.create(
            stream=stream.name, created=released, storage_name=stored, size=size, triples=len(lines)
        )
        old = list(DeltaDump.objects.filter(stream=stream.name).exclude(pk=made.pk))
        DeltaDump.objects.filter(pk__in=[found.pk for found in old]).delete()
    for found in old:  # cleanupOldDumps: after the rows are gone
        default_storage.delete(found.storage_name)
    return made


# --- reading ---------------------------------------------------------------------------------------------------------


class BadSince(ValueError):
    pass


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_since(value: str) -> datetime:
    """An ISO 8601 date-time (a `Z` or offset; without one: UTC); raises BadSince."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as error:
        raise BadSince(value) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def files_since(stream: Stream, since: datetime | None) -> list[DeltaFile]:
    files = DeltaFile.objects.filter(stream=stream.name).defer("body").order_by("created")
    if since is not None:
        files = files.filter(created__gt=since)
    return list(files[:MAX_FILES_PER_REQUEST])


def files_document(files: list[DeltaFile]) -> dict[str, object]:
    return {
        "data": [
            {"type": "files", "id": str(found.id), "attributes": {"name": found.name, "created": _iso(found.created)}}
            for found in files
        ]
    }


def datasets_document(subject: str) -> dict[str, object]:
    """The JSON:API answer to `/datasets?filter[subject]=…`: the latest dump of that stream (none: empty)."""
    stream = stream_by_subject(subject)
    found = DeltaDump.objects.filter(stream=stream.name).order_by("-created").first() if stream else None
    if found is None:
        return {"data": []}
    return {
        "data": [
            {
                "type": "datasets",
                "id": str(found.id),
                "attributes": {
                    "uri": f"http://data.lblod.info/id/dataset/{found.id}",
                    "title": "Delta producer cache graph dump",
                    "subject": subject,
                    "type": DUMP_TYPE,
                    "created": _iso(found.created),
                    "modified": _iso(found.created),
                    "issued": _iso(found.created),
                    "release-date": _iso(found.created),
                },
                "relationships": {"distributions": {"links": {"related": f"/datasets/{found.id}/distributions"}}},
            }
        ]
    }


def distributions_document(dataset_id: str) -> dict[str, object] | None:
    found = DeltaDump.objects.filter(pk=dataset_id).first()
    if found is None:
        return None
    return {
        "data": [
            {
                "type": "distributions",
                "id": str(found.distribution),
                "attributes": {
                    "uri": f"http://data.lblod.info/id/distribution/{found.distribution}",
                    "title": os.path.basename(found.storage_name),
                    "format": "text/turtle",
                    "byte-size": found.size,
                    "created": _iso(found.created),
                },
                "relationships": {"subject": {"data": {"type": "files", "id": str(found.file)}}},
            }
        ],
        "included": [
            {
                "type": "files",
                "id": str(found.file),
                "attributes": {
                    "uri": f"http://data.lblod.info/id/file/{found.file}",
                    "name": os.path.basename(found.storage_name),
                    "format": "text/turtle",
                    "size": found.size,
                    "extension": "ttl",
                    "created": _iso(found.created),
                },
            }
        ],
    }
