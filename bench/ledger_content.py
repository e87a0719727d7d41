"""Benchmark of `manage.py ledger verify --content` on 100,000 sent submissions (PostgreSQL).

Run: `.venv/bin/python bench/ledger_content.py [--reset] [--count 100000]` (prints numbers; not a timed test).
Uses the database `loket_bench_ledger` on 127.0.0.1 (created when missing; `DATABASE_URL` wins) and files under
var/bench/ledger-media. Setup takes the fast bulk path once (idempotent; `--reset` rebuilds): realistic form data
(sorted N-Triples written by the real writer), one uploaded decision of 3 kB per submission on disk, and a real
hash-chained, signed "sent" register entry each, computed as `ledger_append` would but inserted in bulk. Then it
runs the real command in a child process, timed, with its peak RSS (`ru_maxrss` of the child).
Targets: under 2 minutes for 100,000, peak RSS under 200 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import time
import uuid
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _postgres import prepare_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_ledger")
os.environ.setdefault("LOKET_SIGNING_KEY_FILE", str(ROOT / "var" / "bench" / "ledger-ed25519.pem"))
os.environ.setdefault("LOKET_MEDIA_ROOT", str(ROOT / "var" / "bench" / "ledger-media"))

SEED = 20261204
BATCH = 2_000
FILE_BYTES = 3_000
BESLUITENLIJST = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"


def setup_django() -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _form_data(node: str, body: str, session: date, file_uri: str, rng: random.Random) -> str:
    """The frozen form data of a decision list, as the real writer stores it (about 1.3 kB)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, XSD

    from loket.forms.rdfio import literal, to_turtle

    subject = URIRef(node)
    graph = Graph()
    graph.add((subject, RDF.type, URIRef("http://lblod.data.gift/vocabularies/automatische-melding/FormData")))
    graph.add((subject, RDF.type, URIRef(BESLUITENLIJST)))
    graph.add((subject, URIRef("http://data.europa.eu/eli/ontology#passed_by"), URIRef(body)))
    graph.add(
        (
            subject,
            URIRef("http://mu.semte.ch/vocabularies/ext/sessionStartedAtTime"),
            literal(f"{session.isoformat()}T19:00:00", datatype=XSD.dateTime),
        )
    )
    graph.add((subject, URIRef("http://purl.org/dc/terms/hasPart"), URIRef(file_uri)))
    words = " ".join(rng.choice(["besluit", "gemeenteraad", "zitting", "agendapunt", "goedkeuring"]) for _ in range(60))
    graph.add((subject, URIRef("http://purl.org/dc/terms/description"), literal(words)))
    return to_turtle(graph)


def generate(count: int) -> None:
    """Bulk-insert `count` sent submissions, their files (bytes on disk) and signed register entries."""
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from loket.core import signing
    from loket.core.ledger import KIND_SENT, canonical_json, entry_hash_of
    from loket.core.ledger_models import GENESIS_HASH, LedgerEntry, LedgerHead
    from loket.organisations.models import Organisation
    from loket.supervision import form as toezicht_form
    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import DocumentType, Submission, SubmissionFile
    from loket.supervision.services import content_hash_of

    document_types_load()
    document_type = DocumentType.objects.get(uri=BESLUITENLIJST)
    organisation, _ = Organisation.objects.get_or_create(
        uri=f"{settings.LOKET_URI_BASE}/id/bestuurseenheden/bench-ledger", defaults={"name": "Bench"}
    )
    rng = random.Random(SEED)
    version = toezicht_form.form_version()
    key_id = signing.key_id()
    media = Path(settings.MEDIA_ROOT)
    position, previous = 0, GENESIS_HASH
    started = datetime(2026, 1, 5, 8, tzinfo=UTC)
    while position < count:
        submissions, files, entries = [], [], []
        for _ in range(min(BATCH, count - position)):
            position += 1
            key = uuid.UUID(int=rng.getrandbits(128), version=4)
            file_key = uuid.UUID(int=rng.getrandbits(128), version=4)
            content = b"%PDF-1.4\n" + rng.randbytes(FILE_BYTES - 9)
            sha256 = hashlib.sha256(content).hexdigest()
            storage_name = f"submissions/{key}/{file_key}/besluit.pdf"
            path = media / storage_name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            node = f"{settings.LOKET_URI_BASE}/form-data/{key}"
            file_uri = f"{settings.LOKET_URI_BASE}/files/{file_key}"
            session = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
            form_data_nt = _form_data(node, f"{settings.LOKET_URI_BASE}/id/bestuursorganen/x", session, file_uri, rng)
            content_hash = content_hash_of(form_data_nt, [sha256])
            at = started + timedelta(seconds=position * 7)
            entry = LedgerEntry(
                position=position,
                recorded_at=at,
                kind=KIND_SENT,
                subject_uri=f"{settings.LOKET_URI_BASE}/submissions/{key}",
                organisation_uri=organisation.uri,
                actor_label="Bench",
                content_hash=content_hash,
                payload=json.loads(
                    canonical_json(
                        {
                            "document_type": BESLUITENLIJST,
                            "form_version": version,
                            "files": [f"{file_uri} {sha256}"],
                            "replaces": None,
                            "provided_by": "",
                        }
                    )
                ),
                previous_hash=previous,
                key_id=key_id,
            )
            entry.entry_hash = entry_hash_of(entry)
            entry.signature = signing.sign(entry.entry_hash.encode("ascii"))
            previous = entry.entry_hash
            entries.append(entry)
            submissions.append(
                Submission(
                    uuid=key,
                    organisation=organisation,
                    document_type=document_type,
                    session_date=session,
                    status=Submission.Status.SENT,
                    form_version=version,
                    form_data_nt=form_data_nt,
                    content_hash=content_hash,
                    created_at=at,
                    modified_at=at,
                    sent_at=at,
                )
            )
            files.append((file_key, storage_name, sha256))
        with transaction.atomic():
            LedgerEntry.objects.bulk_create(entries)
            for submission, entry in zip(submissions, entries, strict=True):
                submission.sent_entry = entry
            Submission.objects.bulk_create(submissions)
            SubmissionFile.objects.bulk_create(
                [
                    SubmissionFile(
                        uuid=file_key,
                        submission=submission,
                        kind=SubmissionFile.Kind.UPLOAD,
                        storage_name=storage_name,
                        original_name="besluit.pdf",
                        size=FILE_BYTES,
                        sha256=sha256,
                        content_type="application/pdf",
                        created_at=timezone.now(),
                    )
                    for submission, (file_key, storage_name, sha256) in zip(submissions, files, strict=True)
                ]
            )
            LedgerHead.objects.update_or_create(id=1, defaults={"position": position, "entry_hash": previous})
        print(f"  generated {position:,} submissions", end="\r", flush=True)
    print()
    assert default_storage.exists(storage_name)


def ensure_data(count: int) -> None:
    from loket.supervision.models import Submission

    present = Submission.objects.filter(status=Submission.Status.SENT).count()
    if present >= count:
        print(f"data: {present:,} sent submissions present (use --reset to rebuild)")
        return
    if present:
        sys.exit(f"data: {present:,} of {count:,} present; run with --reset")
    start = time.perf_counter()
    generate(count)
    print(f"data: generated in {time.perf_counter() - start:.1f} s")


def _backend_cpu(application: str) -> tuple[int | None, float]:
    """The PostgreSQL backend serving `application` and its CPU seconds so far (from /proc; same machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application])
        found = cursor.fetchone()
    if found is None:
        return None, 0.0
    return found[0], _cpu_of(found[0])


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure() -> dict[str, float]:
    """The real command in a child process: exit code, wall seconds, its CPU seconds, the CPU seconds of the
    PostgreSQL backend serving it (sampled from /proc while it runs), peak RSS in MB."""
    application = f"ledger-verify-bench-{os.getpid()}"
    command = [sys.executable, str(ROOT / "manage.py"), "ledger", "verify", "--content"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PGAPPNAME": application}
    )
    backend_pid, backend_cpu = None, 0.0
    while child.poll() is None:
        time.sleep(0.2)
        if backend_pid is None:
            backend_pid, backend_cpu = _backend_cpu(application)
        else:
            sampled = _cpu_of(backend_pid)
            backend_cpu = sampled if sampled >= 0 else backend_cpu
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(stdout.strip())
    if stderr.strip():
        print(stderr.strip()[:2000])
    return {
        "exit": child.returncode,
        "wall": seconds,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "backend_cpu": backend_cpu,
        "rss_mb": after.ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--count", type=int, default=100_000)
    arguments = parser.parse_args()
    if arguments.reset:
        import shutil

        shutil.rmtree(os.environ["LOKET_MEDIA_ROOT"], ignore_errors=True)
    prepare_database(reset=arguments.reset, script="bench/ledger_content.py")
    setup_django()
    ensure_data(arguments.count)
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores shared)")
    subprocess.run(["sync"], check=False)
    result = measure()
    busy = result["cpu"] + result["backend_cpu"]
    verdict = "ok" if result["exit"] == 0 and busy < 120 and result["rss_mb"] < 200 else "MISS"
    print(
        f"ledger verify --content: exit {result['exit']:.0f}; {result['wall']:.1f} s wall on the shared machine; "
        f"CPU {result['cpu']:.1f} s (command) + {result['backend_cpu']:.1f} s (its PostgreSQL backend) = {busy:.1f} s "
        f"(about the wall time on an idle machine); peak RSS {result['rss_mb']:.0f} MB  {verdict}"
    )


if __name__ == "__main__":
    main()
