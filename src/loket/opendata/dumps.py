"""Dataset dumps: every public instance of a dataset as sorted N-Triples (gzip) and as Turtle (the same sorted
lines after the prefixes: N-Triples is Turtle), written as a stream to a temporary file, sorted on disk (`sort`,
bytewise), hashed, stored, and recorded with the change-feed position it matches. The last three of each kind are
kept. The same data gives the same bytes (gzip without a timestamp)."""

import gzip
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from loket.core.linkeddata import PREFIXES
from loket.opendata.models import Dump, FeedEntry
from loket.opendata.projection import dataset_instances, public_lines

KEEP = 3
CHUNK = 1024 * 1024


@dataclass
class DumpResult:
    dataset: str
    triples: int
    files: list[Dump]
    stamp: datetime


def _sorted_lines(dataset: str, folder: str) -> tuple[str, int]:
    raw = os.path.join(folder, "raw.nt")
    with open(raw, "w", encoding="utf-8") as out:
        for instance in dataset_instances(dataset):
            out.write("".join(line + "\n" for line in public_lines(instance)))
    ordered = os.path.join(folder, "sorted.nt")
    environment = {**os.environ, "LC_ALL": "C"}
    subprocess.run(  # noqa: S603 - a fixed command on our own files
        ["sort", "-u", "-S", "64M", "-T", folder, "-o", ordered, raw],  # noqa: S607
        check=True,
        env=environment,
    )
    os.remove(raw)
    with open(ordered, "rb") as counted:
        total = sum(1 for _ in counted)
    return ordered, total


def _gzip(source: str, target: str, header: bytes = b"") -> None:
    with open(source, "rb") as plain, open(target, "wb") as raw_out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw_out, compresslevel=9, mtime=0) as zipped:
            zipped.write(header)
            shutil.copyfileobj(plain, zipped, CHUNK)


def _hash(path: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def turtle_header() -> bytes:
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(PREFIXES.items())).encode()


def dump_dataset(dataset: str) -> DumpResult:
    position = FeedEntry.objects.order_by("-position").values_list("position", flat=True).first() or 0
    stamp = timezone.now()
    made: list[Dump] = []
    with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as folder:
        ordered, triples = _sorted_lines(dataset, folder)
        for kind, header in ((Dump.Kind.NTRIPLES, b""), (Dump.Kind.TURTLE, turtle_header())):
            target = os.path.join(folder, f"{dataset}.{kind}.gz")
            _gzip(ordered, target, header)
            sha256, size = _hash(target)
            name = f"opendata/{dataset}/{stamp:%Y%m%dT%H%M%S%f}-{dataset}.{kind}.gz"
            with open(target, "rb") as stream:
                stored = default_storage.save(name, File(stream, name=os.path.basename(name)))
            made.append(
                Dump(
                    dataset=dataset,
                    kind=kind,
                    storage_name=stored,
                    size=size,
                    sha256=sha256,
                    triples=triples,
                    feed_position=position,
                    created_at=stamp,
                )
            )
    gone: list[str] = []
    with transaction.atomic():
        Dump.objects.bulk_create(made)
        for kind in (Dump.Kind.NTRIPLES, Dump.Kind.TURTLE):
            old = list(Dump.objects.filter(dataset=dataset, kind=kind).order_by("-created_at", "-pk")[KEEP:])
            gone += [dump.storage_name for dump in old]
            Dump.objects.filter(pk__in=[dump.pk for dump in old]).delete()
    for name in gone:  # after the rows are gone: a reader never gets a row without its file
        default_storage.delete(name)
    return DumpResult(dataset=dataset, triples=triples, files=made, stamp=stamp)


def remove_orphans(dataset: str, *, before: datetime) -> list[str]:
    """Delete the dataset's stored files that no Dump row names and that were started before `before`: what a
    worker killed between storing a file and committing its row left behind. The caller makes sure no other dump of
    the dataset is still running (its file would have no row yet)."""
    folder = f"opendata/{dataset}"
    try:
        _, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    known = set(Dump.objects.filter(dataset=dataset).values_list("storage_name", flat=True))
    limit = f"{before:%Y%m%dT%H%M%S%f}"
    removed = []
    for name in sorted(names):
        path = f"{folder}/{name}"
        stamp = name.split("-", 1)[0]
        if path in known or len(stamp) != len(limit) or stamp >= limit:
            continue
        default_storage.delete(path)
        removed.append(path)
    return removed


def latest(dataset: str, kind: str) -> Dump | None:
    return Dump.objects.filter(dataset=dataset, kind=kind).order_by("-created_at", "-pk").first()
