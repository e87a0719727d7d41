"""Benchmark of first visits of full LDES pages (issue 17: an LDES page p95 < 30 ms), per format (prints numbers; not
a timed test). See bench/README.md.

Run: `.venv/bin/python bench/ldes_pages.py [--reset] [--pages 3] [--runs 10]`. Uses the PostgreSQL database
`loket_bench_ldes` on 127.0.0.1 (created when missing; `DATABASE_URL` wins). Fills it once (about a minute): the
3,737 real organisations (data/organisations.csv) and enough renames of them, materialised as LDES versions, for
`--pages` full pages of `LOKET_LDES_PAGE_SIZE` (250) members in the `organisaties` stream. Then, for every format the
stream offers (HTML, Turtle, JSON-LD, N-Triples, RDF/XML), `--runs` rounds over the full pages, each request through
Django's handler (the full middleware stack, in-process) with the cache cleared before it: a first visit, which
builds the page. Prints p50/p95 of the wall time per format, the p50 of this process's CPU time (PostgreSQL's is not
in it; robust on a shared machine), and the p50 of a later (cached) visit for comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

from _postgres import prepare_database
from _stats import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_ldes")

DATASET = "organisaties"
ACCEPT = {
    "html": "text/html",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}


def setup(pages: int) -> list[int]:
    """Django, the schema, the data; returns the first feed position of each full page."""
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from loket.opendata.ldes import materialize
    from loket.opendata.models import FeedEntry
    from loket.organisations.importer import import_organisations
    from loket.organisations.models import Organisation

    settings.LOKET_OPENDATA_SETTLE_SECONDS = 0
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    if not Organisation.objects.exists():
        data = settings.REPO_DIR / "data"
        import_organisations(data / "organisations.csv", statuses=data / "organisations-status.csv", target_group=None)
    size = settings.LOKET_LDES_PAGE_SIZE
    entries = FeedEntry.objects.filter(dataset=DATASET, snapshot__isnull=False)
    missing = pages * size + 1 - entries.count()
    if missing > 0:
        for round_, organisation in enumerate(Organisation.objects.order_by("pk")[:missing]):
            organisation.name = organisation.name.split(" ·")[0] + f" · {round_}"
            organisation.save()
        while materialize():
            pass
        print(f"data: {missing} renames materialised in {time.perf_counter() - started:.0f} s")
    positions = list(entries.order_by("position").values_list("position", flat=True))
    return [0, *positions[size : pages * size : size]]


def measure(starts: list[int], runs: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    print(f"{len(starts)} full pages of the {DATASET} stream, {runs} first visits each per format:")
    for name, media_type in ACCEPT.items():
        cold, cpu, warm = [], [], []
        for _round in range(runs):
            for start in starts:
                url = f"/streams/ldes/{DATASET}?vanaf={start}"
                cache.clear()
                began, began_cpu = time.perf_counter(), time.process_time()
                response = client.get(url, HTTP_ACCEPT=media_type)
                cold.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
                assert response.status_code == 200 and response["Content-Type"].startswith(media_type), url
                assert "immutable" in response["Cache-Control"], "not a full page"
                began = time.perf_counter()
                client.get(url, HTTP_ACCEPT=media_type)
                warm.append((time.perf_counter() - began) * 1000)
        print(
            f"  {name:9} first visits p50 {statistics.median(cold):6.1f} ms, p95 {percentile(cold, 0.95):6.1f} ms,"
            f" CPU of this process p50 {statistics.median(cpu):6.1f} ms"
            f"   (later visits p50 {statistics.median(warm):5.1f} ms; body {len(response.content):,} bytes)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    prepare_database(reset=options.reset, script="bench/ldes_pages.py")
    starts = setup(options.pages)
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2 cores, shared)")
    measure(starts, options.runs)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
