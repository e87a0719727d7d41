"""Benchmark of BBC-DR at the issue's size (prints numbers; not a timed test).

Run: `.venv/bin/python bench/bbcdr.py [--reset] [--reports 50000] [--facts 50000] [--mb 200] [--packages 500]`.
Uses the PostgreSQL database `loket_bench_bbcdr` on 127.0.0.1 (created when missing; `DATABASE_URL` wins) and a
real OpenSSH SFTP server it starts on loopback (Debian openssh-server). Measures:
1. the check of an XBRL of `--facts` facts against the bundled test taxonomy (Arelle in its own process): wall
   time and peak RSS of that process — target < 15 s and < 400 MB (`arelleCmdLine` itself: about 7 s, 200 MB);
2. packaging two files of `--mb` MB each (streamed, deflate 9): wall time and the peak RSS of a process that does
   only that — target < 20 s and < 150 MB;
3. delivering `--packages` queued 1 MB packages to the SFTP server through the real worker: packages per second —
   target ≥ 10/s;
4. the clerk's list page with `--reports` reports of the clerk's body, the first page and keyset pages deep in the
   list: p95 — target < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from datetime import timedelta
from pathlib import Path

from _postgres import prepare_database
from _stats import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_bbcdr")
os.environ.setdefault("LOKET_SIGNING_KEY_FILE", str(ROOT / "var" / "bench" / "ledger-ed25519.pem"))
os.environ.setdefault("LOKET_MEDIA_ROOT", str(ROOT / "var" / "bench" / "media-bbcdr"))
KBO = "0207451227"


def setup_django() -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from loket.reports import samples

    settings.MEDIA_ROOT = os.environ["LOKET_MEDIA_ROOT"]
    settings.LOKET_BBCDR_TAXONOMY_DIR = str(samples.SAMPLE_TAXONOMY_DIR)
    settings.LOKET_BBCDR_XSD = {samples.XML_NAMESPACE: str(samples.SAMPLE_XSD)}
    call_command("migrate", verbosity=0, interactive=False)


def body():  # type: ignore[no-untyped-def]
    from loket.organisations.models import Organisation, OrganisationKind

    kind, _ = OrganisationKind.objects.get_or_create(
        uri="http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000001",
        defaults={"label": "Gemeente", "category": "municipality"},
    )
    found = Organisation.objects.filter(kbo=KBO).first()
    if found:
        return found
    return Organisation.objects.create(
        uri="http://data.lblod.info/id/bestuurseenheden/bench-bbcdr", name="Benchgemeente", kbo=KBO, kind=kind
    )


def measure_check(facts: int, lines: int) -> None:
    from loket.reports.models import ReportFile
    from loket.reports.samples import sample_xbrl
    from loket.reports.xbrl import validate_xbrl

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "groot.xbrl"
        path.write_bytes(sample_xbrl(kbo=KBO, facts=facts, lines_per_context=lines))
        validate_xbrl(path)  # warm-up: the taxonomy package is zipped once
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        verdict = validate_xbrl(path)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        size = path.stat().st_size
    shape = f"{lines} per context" if lines else "2 per context"
    print(
        f"check: XBRL of {facts:,} facts ({shape}, {size / 1e6:.1f} MB): {elapsed:.2f} s, Arelle process peak RSS "
        f"{max(peak, before) / 1024:.0f} MB, findings {len(verdict.findings)}, failed={verdict.failed!r}"
    )
    assert ReportFile  # the check's file model, imported for the record


def _big_file(path: Path, megabytes: int) -> None:
    """Budget lines with varying codes and amounts (compresses about 4:1, as real XML does)."""
    import random

    if path.exists() and path.stat().st_size >= megabytes * 1_000_000:
        return
    generator = random.Random(path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        written = 0
        while written < megabytes * 1_000_000:
            line = (
                f'  <Post code="P{generator.randrange(10000):04d}" context="c{generator.randrange(99999)}">'
                f"{generator.randrange(10**9)}.{generator.randrange(100):02d}</Post>\n"
            )
            out.write(line)
            written += len(line)


def measure_packaging(megabytes: int) -> None:
    media = Path(os.environ["LOKET_MEDIA_ROOT"])
    for kind in ("xml", "xbrl"):
        _big_file(media / "bench-package" / f"big.{kind}", megabytes)
    script = f"""
import os, sys, time, resource, uuid
sys.path.insert(0, {str(ROOT / "src")!r}); sys.path.insert(0, {str(ROOT)!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
import django; django.setup()
from django.conf import settings
from django.utils import timezone
from loket.reports import packaging
from loket.reports.models import Report, ReportFile
settings.MEDIA_ROOT = {str(media)!r}
files = [
    ReportFile(kind=kind, file_name="groot." + kind, storage_name="bench-package/big." + kind, size=0, sha256="")
    for kind in ("xml", "xbrl")
]
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
built = packaging.build_package(
    report=Report(uuid=uuid.uuid4()), files=files, kbo={KBO!r}, moment=timezone.now(), package_uuid=str(uuid.uuid4())
)
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{{elapsed:.2f}} {{peak / 1024:.0f}} {{rss0 / 1024:.0f}} {{built.size}}")
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={**os.environ})
    if out.returncode:
        print(out.stderr[-2000:])
        return
    elapsed, peak, start, size = out.stdout.split()[-4:]
    print(
        f"packaging: two files of {megabytes} MB: {float(elapsed):.2f} s, process peak RSS {peak} MB "
        f"({start} MB before packaging: Python + Django), package {int(size) / 1e6:.1f} MB"
    )


def measure_delivery(count: int) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult
    from tests.support.sftp import SftpServer

    from loket.core.ledger import KIND_SENT, ledger_append
    from loket.reports import delivery
    from loket.reports.models import Report
    from loket.reports.tasks import deliver_report

    organisation = body()
    DBTaskResult.objects.all().delete()
    with tempfile.TemporaryDirectory() as home:
        server = SftpServer(Path(home) / "sftp")
        server.start()
        from django.conf import settings

        settings.LOKET_BBCDR_TARGET = server.url
        settings.LOKET_BBCDR_SFTP_KNOWN_HOSTS = str(server.known_hosts)
        settings.LOKET_BBCDR_SFTP_KEY_FILE = str(server.client_key)
        delivery.forget_connections()
        payload = os.urandom(1024 * 1024)
        stored = default_storage.save("bench-delivery/package.zip", ContentFile(payload))
        ids = []
        with transaction.atomic():
            for _ in range(count):
                report = Report.objects.create(organisation=organisation, modified_at=timezone.now())
                entry = ledger_append(
                    kind=KIND_SENT,
                    subject_uri=report.uri,
                    organisation_uri=organisation.uri,
                    actor_label="bench",
                    content_hash="0" * 64,
                    payload={"module": "bbcdr"},
                    stored_files=(),  # a benchmark's stand-in send: no files listed
                )
                Report.objects.filter(pk=report.pk).update(
                    status=Report.Status.SENT,
                    sent_entry=entry,
                    sent_at=entry.recorded_at,
                    content_hash="0" * 64,
                    delivery_status=Report.Delivery.PACKAGED,
                    package_name=f"BBCDR_{KBO}_bench_{uuid.uuid4()}.zip",
                    package_storage_name=stored,
                    package_sha256="1" * 64,
                    package_size=len(payload),
                )
                ids.append(report.pk)
                deliver_report.enqueue(report_id=report.pk)
        started = time.perf_counter()
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        elapsed = time.perf_counter() - started
        delivered = Report.objects.filter(pk__in=ids, delivery_status=Report.Delivery.DELIVERED).count()
        on_target = len([name for name in server.files() if not name.startswith(".")])
        server.stop()
    print(
        f"delivery: {delivered}/{count} packages of 1 MB delivered to the loopback SFTP server by the worker in "
        f"{elapsed:.1f} s = {delivered / elapsed:.1f}/s ({on_target} files on the target)"
    )


def load_reports(total: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from loket.reports.models import Report, ReportFile

    organisation = body()
    have = Report.objects.count()
    if have >= total:
        return
    now = timezone.now()
    batch = []
    for index in range(have, total):
        batch.append(
            Report(
                organisation=organisation,
                modified_at=now - timedelta(minutes=index),
                modified_by_name="Bench",
                report_type="Jaarrekening",
                fiscal_year=2000 + index % 26,
            )
        )
        if len(batch) == 5000:
            created = Report.objects.bulk_create(batch)
            ReportFile.objects.bulk_create(
                [
                    ReportFile(report=r, kind=kind, file_name=f"r.{kind}", storage_name="x", size=2048, sha256="0" * 64)
                    for r in created
                    for kind in ("xml", "xbrl")
                ]
            )
            batch = []
    if batch:
        created = Report.objects.bulk_create(batch)
        ReportFile.objects.bulk_create(
            [
                ReportFile(report=r, kind=kind, file_name=f"r.{kind}", storage_name="x", size=2048, sha256="0" * 64)
                for r in created
                for kind in ("xml", "xbrl")
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_report; ANALYZE reports_reportfile")


def measure_list(runs: int) -> None:
    from django.test import Client

    from loket.accounts.models import Membership, User
    from loket.accounts.roles import Role
    from loket.accounts.services import membership_grant
    from loket.reports.models import Report

    organisation = body()
    user, _ = User.objects.get_or_create(username="bench-bbcdr", defaults={"first_name": "Bench"})
    if not Membership.objects.filter(user=user, organisation=organisation, is_active=True).exists():
        membership_grant(
            user=user, organisation=organisation, roles=[Role.BBCDR], actor=None, source=Membership.Source.DEVELOPMENT
        )
    client = Client()
    client.force_login(user)
    total = Report.objects.filter(organisation=organisation).count()
    pages = ["/bbcdr/"]
    keys = list(
        Report.objects.filter(organisation=organisation)
        .order_by("-modified_at", "-pk")
        .values_list("uuid", flat=True)[19::2000]
    )
    pages += [f"/bbcdr/?na={key}" for key in keys[:20]]
    for url in pages:
        assert client.get(url).status_code == 200
    samples = []
    for index in range(runs):
        url = pages[index % len(pages)]
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(
        f"list page: {total:,} reports of one body, {runs} requests (first page and keyset pages deep in the list): "
        f"p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--facts", type=int, default=50_000)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--packages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200)
    options = parser.parse_args()
    prepare_database(reset=options.reset, script="bench/bbcdr.py")
    setup_django()
    measure_check(options.facts, 50)
    measure_check(options.facts, 0)
    measure_packaging(options.mb)
    measure_delivery(options.packages)
    load_reports(options.reports)
    measure_list(options.runs)


if __name__ == "__main__":
    main()
