"""Benchmark of Toezicht at production size: the supervisor's inbox, its CSV export, and sending.

Run: `.venv/bin/python bench/toezicht.py [--reset] [--runs 50]` (prints numbers; not a timed test).
Uses the PostgreSQL database `loket_bench_toezicht` on 127.0.0.1 (created when missing; `DATABASE_URL` wins; not
`loket_bench`, which bench/vendor_api.py drops and recreates on every run), loads the
real organisations and document types, and generates 100,000 sent and delivered submissions across 1,500
organisations once (idempotent; `--reset` drops the database and rebuilds it). Targets: inbox pages p95 under
50 ms in-process; CSV export of 100,000 rows under 10 s using under 200 MB; sending p95 under 150 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import sys
import time
import tracemalloc
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _postgres import prepare_database
from _stats import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_toezicht")
os.environ.setdefault("LOKET_SIGNING_KEY_FILE", str(ROOT / "var" / "bench" / "ledger-ed25519.pem"))
os.environ.setdefault("LOKET_MEDIA_ROOT", str(ROOT / "var" / "bench" / "media"))

SUBMISSIONS = 100_000
ORGANISATIONS = 1_500
BATCH = 5_000
SESSIONS_FROM = date(2023, 10, 1)
SESSIONS_UNTIL = date(2026, 10, 1)  # three years of sessions
SEED = 20261123
BESLUITENLIJST = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"
FIELDS = "http://data.lblod.info/loket/fields/toezicht/"


def setup_django() -> None:
    import django

    # The sending measurement fills the fields of form v1 (the figures of earlier sessions were taken with it);
    # new concepts otherwise get the newest form, whose fields have other names.
    os.environ.setdefault("LOKET_TOEZICHT_FORM", "toezicht-v1.ttl")

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# Data -----------------------------------------------------------------------------------------------------------


def load_reference_data() -> None:
    from django.conf import settings

    from loket.organisations.importer import import_organisations
    from loket.supervision.codelists import document_types_load

    import_organisations(settings.REPO_DIR / "data" / "organisations.csv", target_group=None)
    document_types_load()


def _types_for(kind_uri: str, types: list) -> tuple[list, list[float]]:  # type: ignore[type-arg]
    fitting = [t for t in types if not t.decidable_by or kind_uri in t.decidable_by] or types
    weights = [25.0 if t.uri == BESLUITENLIJST else 1.0 for t in fitting]
    return fitting, weights


def generate_submissions() -> None:
    """Bulk-insert 100,000 sent and delivered submissions with a realistic spread (no ledger entries)."""
    from django.db import transaction

    from loket.organisations.models import Organisation, OrganisationKind
    from loket.supervision import form as toezicht_form
    from loket.supervision.governing_bodies import governing_bodies_of
    from loket.supervision.models import DocumentType, Submission
    from loket.supervision.publication import is_public

    rng = random.Random(SEED)
    candidates = list(
        Organisation.objects.select_related("kind")
        .exclude(kind__category=OrganisationKind.Category.AGENCY)
        .exclude(kind__isnull=True)
        .order_by("uri")
    )
    organisations = rng.sample(candidates, ORGANISATIONS)
    activity = {"municipality": 6.0, "province": 8.0, "ocmw": 3.0, "district": 3.0, "worship_board": 0.6}
    weights = [activity.get(o.kind.category, 1.0) for o in organisations]
    types = list(DocumentType.objects.all())
    bodies = {o.pk: governing_bodies_of(o) for o in organisations}
    types_by_kind = {o.kind.uri: _types_for(o.kind.uri, types) for o in organisations}
    version = toezicht_form.form_version()
    days = (SESSIONS_UNTIL - SESSIONS_FROM).days
    handled_before = datetime.combine(SESSIONS_UNTIL, datetime.min.time(), tzinfo=UTC) - timedelta(days=60)
    created = 0
    while created < SUBMISSIONS:
        batch = []
        for organisation in rng.choices(organisations, weights, k=min(BATCH, SUBMISSIONS - created)):
            fitting, type_weights = types_by_kind[organisation.kind.uri]
            document_type = rng.choices(fitting, type_weights)[0]
            body = rng.choice(bodies[organisation.pk])
            session = SESSIONS_FROM + timedelta(days=rng.randrange(days))
            sent_at = datetime.combine(session, datetime.min.time(), tzinfo=UTC) + timedelta(
                days=rng.randrange(1, 21), seconds=rng.randrange(7 * 3600, 19 * 3600), microseconds=rng.randrange(10**6)
            )
            delivered_at = sent_at + timedelta(seconds=rng.uniform(0.5, 30))
            handled = sent_at < handled_before and rng.random() < 0.7
            key = uuid.UUID(int=rng.getrandbits(128), version=4)
            batch.append(
                Submission(
                    uuid=key,
                    organisation=organisation,
                    document_type=document_type,
                    governing_body=body,
                    session_date=session,
                    status=Submission.Status.SENT,
                    form_version=version,
                    form_data_nt=f'<http://data.lblod.info/form-data/{key}> <{FIELDS}generated> "{session}" .\n',
                    content_hash=f"{rng.getrandbits(256):064x}",
                    is_public=is_public(
                        organisation_is_worship=organisation.kind.is_worship,
                        document_type_uri=document_type.uri,
                        document_type_is_public=document_type.is_public,
                        governing_body_classification=body.classification_uri,
                    ),
                    created_at=sent_at - timedelta(minutes=rng.randrange(5, 600)),
                    modified_at=delivered_at,
                    sent_at=sent_at,
                    delivered_at=delivered_at,
                    handled_at=sent_at + timedelta(days=rng.randrange(1, 45)) if handled else None,
                    handled_note="In orde" if handled else "",
                )
            )
        with transaction.atomic():
            Submission.objects.bulk_create(batch, batch_size=1000)
        created += len(batch)
        print(f"  generated {created:,} submissions", end="\r", flush=True)
    print()


def ensure_data() -> None:
    from loket.supervision.models import Submission

    generated = Submission.objects.filter(status=Submission.Status.SENT, sent_entry__isnull=True)
    if generated.count() >= SUBMISSIONS:
        print(f"data: {generated.count():,} generated submissions present (use --reset to rebuild)")
        return
    start = time.perf_counter()
    load_reference_data()
    generate_submissions()
    print(f"data: generated in {time.perf_counter() - start:.1f} s")


def users():  # type: ignore[no-untyped-def]
    """The supervisor (agency, role toezichthouder) and a clerk of a municipality (role toezicht)."""
    from django.db import transaction

    from loket.accounts.models import Membership, User
    from loket.accounts.roles import Role
    from loket.accounts.services import membership_grant
    from loket.organisations.models import Organisation, OrganisationKind

    agency = Organisation.objects.get(kind__category=OrganisationKind.Category.AGENCY)
    municipality = Organisation.objects.get(name="Aalst", kind__category=OrganisationKind.Category.MUNICIPALITY)
    supervisor, _ = User.objects.get_or_create(username="bench-supervisor", defaults={"first_name": "Bench"})
    clerk, _ = User.objects.get_or_create(
        username="bench-clerk", defaults={"first_name": "Bench", "last_name": "Clerk"}
    )
    with transaction.atomic():
        source = Membership.Source.DEVELOPMENT
        membership_grant(user=supervisor, organisation=agency, roles=[Role.SUPERVISOR], actor=None, source=source)
        membership_grant(user=clerk, organisation=municipality, roles=[Role.TOEZICHT], actor=None, source=source)
    return supervisor, clerk, municipality


# Measuring ------------------------------------------------------------------------------------------------------


def timed(function: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


ROWS: list[tuple[str, str, str, str, str]] = []


def row(name: str, samples: list[float], *, budget_ms: float, extra: str = "") -> None:
    p50, p95 = statistics.median(samples), percentile(samples, 0.95)
    verdict = "ok" if p95 < budget_ms else "MISS"
    ROWS.append((name, f"{p50:8.1f}", f"{p95:8.1f}", f"< {budget_ms:g}  {verdict}", extra))


def print_table() -> None:
    print()
    print(f"{'measurement':<34} {'p50 ms':>8} {'p95 ms':>8}  {'target p95':<14} notes")
    print("-" * 100)
    for name, p50, p95, target, extra in ROWS:
        print(f"{name:<34} {p50:>8} {p95:>8}  {target:<14} {extra}")


def inbox_scenarios() -> dict[str, dict[str, str]]:
    from django.db.models import Count

    from loket.organisations.models import OrganisationKind
    from loket.supervision.models import DocumentType, Submission

    municipality_kind = OrganisationKind.objects.get(category=OrganisationKind.Category.MUNICIPALITY)
    rare_type = (
        DocumentType.objects.filter(submission__status="sent")
        .values_list("uri", flat=True)
        .annotate(n=Count("submission"))
        .order_by("n", "uri")
        .first()
    )
    busiest = (
        Submission.objects.filter(sent_entry__isnull=True)
        .values("organisation__kbo", "organisation__name")
        .exclude(organisation__kbo="")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return {
        "inbox: first page": {},
        "inbox: province": {"provincie": "Limburg"},
        "inbox: document type (common)": {"type": BESLUITENLIJST},
        "inbox: document type (rare)": {"type": rare_type or ""},
        "inbox: kind (Gemeente)": {"soort": municipality_kind.uri},
        "inbox: handled=no": {"behandeld": "no"},
        "inbox: search name": {"zoek": "Sint-Martinus"},
        "inbox: search KBO": {"zoek": busiest["organisation__kbo"] if busiest else "0207451227"},
        "inbox: session date range (1 mo)": {"zitting_van": "2025-03-01", "zitting_tot": "2025-03-31"},
        "inbox: province+type+handled=no": {"provincie": "Antwerpen", "type": BESLUITENLIJST, "behandeld": "no"},
    }


DETAIL_LINK = re.compile(r'href="/toezichthouder/inzendingen/[0-9a-f-]{36}/"')
NEXT_LINK = re.compile(r'href="\?(?:[^"]*&amp;)?na=([A-Za-z0-9_=-]+)"')  # the "next page" link


def next_cursor(html: str) -> str | None:
    found = NEXT_LINK.search(html)
    return found.group(1) if found else None


def measure_inbox(client, runs: int) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/toezichthouder/inzendingen/"

    def get(params: dict[str, str]):  # type: ignore[no-untyped-def]
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code
        return response

    get({})  # the first request after logging in also writes the session
    for name, params in inbox_scenarios().items():
        with CaptureQueriesContext(connection) as queries:
            response = get(params)
        rows, count = len(DETAIL_LINK.findall(response.content.decode())), len(queries)  # before the log resets
        row(name, timed(lambda p=params: get(p), runs), budget_ms=50, extra=f"{rows} rows, {count} queries")
    cursor, depth = None, 0
    for pages in (20, 200):
        while depth < pages:
            cursor, depth = next_cursor(get({"na": cursor} if cursor else {}).content.decode()), depth + 1
            assert cursor, f"the inbox has fewer than {pages + 1} pages"
        deep = {"na": cursor}
        row(f"inbox: page {pages + 1} (after {pages} cursors)", timed(lambda p=deep: get(p), runs), budget_ms=50)
    start = time.perf_counter()
    cursor = None
    for _ in range(20):
        cursor = next_cursor(get({"provincie": "Limburg", **({"na": cursor} if cursor else {})}).content.decode())
    ROWS.append(
        ("inbox: follow 20 cursors (Limburg)", "", "", "", f"{(time.perf_counter() - start) * 1000:.0f} ms total")
    )


def _peak_rss_reset() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) so the export's own peak can be read afterwards."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_export(client, runs: int = 3) -> None:  # type: ignore[no-untyped-def]
    import gc

    def export() -> tuple[int, int]:
        response = client.get("/toezichthouder/inzendingen/export.csv")
        assert response.status_code == 200
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        response.close()
        return size, lines

    durations, growths = [], []
    for _ in range(runs):
        gc.collect()
        _peak_rss_reset()
        before = _rss_kib("VmRSS")
        start = time.perf_counter()
        size, lines = export()
        durations.append(time.perf_counter() - start)
        growths.append((_rss_kib("VmHWM") - before) / 1024)
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    export()
    traced_seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median = statistics.median(durations)
    ROWS.append(
        (
            f"CSV export ({lines - 1:,} rows, {size / 1e6:.1f} MB)",
            f"{median * 1000:8.0f}",
            f"{max(durations) * 1000:8.0f}",
            f"< 10000  {'ok' if max(durations) < 10 else 'MISS'}",
            f"n={runs}, p95 col = max; peak RSS growth {max(growths):.1f} MB, Python peak (tracemalloc) "
            f"{peak / 1e6:.1f} MB ({traced_seconds:.1f} s traced); target < 200 MB "
            f"{'ok' if max(max(growths), peak / 1e6) < 200 else 'MISS'}",
        )
    )


def measure_sending(clerk, municipality, runs: int) -> None:  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    from loket.forms.names import field_name
    from loket.supervision.governing_bodies import governing_bodies_of
    from loket.supervision.models import DocumentType
    from loket.supervision.receipts import submission_receipt
    from loket.supervision.services import submission_create, submission_form_node, submission_send, submission_update

    document_type = DocumentType.objects.get(uri=BESLUITENLIJST)
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")

    def concept():  # type: ignore[no-untyped-def]
        submission = submission_create(organisation=municipality, document_type=document_type, actor=clerk)
        node = submission_form_node(submission)

        def name(field: str) -> str:
            return field_name(URIRef(FIELDS + field), node)

        data = {
            name("documentType"): BESLUITENLIJST,
            name("governingBody"): council.uri,
            name("sessionDate"): "2026-10-14",
            name("links"): "https://publicatie.example.org/besluitenlijst-14-10.html",
        }
        outcome = submission_update(submission=submission, actor=clerk, data=data)
        assert outcome.valid, outcome.errors
        return submission

    def send_and_receipt(submission) -> None:  # type: ignore[no-untyped-def]
        sent = submission_send(submission=submission, actor=clerk)
        submission_receipt(sent)

    for _ in range(3):  # warm-up: form definition, signing key, caches
        send_and_receipt(concept())
    samples = []
    for _ in range(runs):
        submission = concept()
        start = time.perf_counter()
        send_and_receipt(submission)
        samples.append((time.perf_counter() - start) * 1000)
    row("send (validate + ledger + receipt)", samples, budget_ms=150, extra=f"n={runs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="drop the benchmark database and generate anew")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per measurement (default 50)")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-send", action="store_true")
    arguments = parser.parse_args()
    prepare_database(reset=arguments.reset, script="bench/toezicht.py")
    setup_django()
    ensure_data()
    from django.db import connection
    from django.test import Client

    with connection.cursor() as cursor:  # the steady state autovacuum keeps: statistics and visibility map
        cursor.execute("VACUUM ANALYZE supervision_submission")
    supervisor, clerk, municipality = users()
    client = Client()
    client.force_login(supervisor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM supervision_submission WHERE status = 'sent'")
        sent = cursor.fetchone()[0]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{sent:,} sent submissions; PostgreSQL {connection.pg_version}; runs={arguments.runs}; load average {load}")
    measure_inbox(client, arguments.runs)
    if not arguments.skip_export:
        measure_export(client)
    if not arguments.skip_send:
        measure_sending(clerk, municipality, arguments.runs)
    print_table()


if __name__ == "__main__":
    main()
