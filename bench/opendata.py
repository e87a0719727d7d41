"""Benchmark of the open data (prints numbers; not a timed test).

Run: `.venv/bin/python bench/opendata.py [--reset] [--renames 600] [--runs 200]`. Uses the PostgreSQL database
`loket_bench_opendata` on 127.0.0.1 (created when missing; `DATABASE_URL` wins) and a store in
`var/bench/sparql-opendata`. Loads the real organisations (3,737) and the decretal organs, organs-in-time and
mandates of every unit (`manage.py mandates organs`), then measures:
1. a full rebuild of the SPARQL store from the database (instances, triples, seconds);
2. content negotiation of organisation URIs as Turtle: p50/p95;
3. the change feed: `--renames` organisation renames (each also re-publishes that body's organs), materialised as
   LDES versions, then LDES pages of 250: p50/p95;
4. the largest dump regenerated in a process of its own: seconds and peak RSS;
5. three typical SPARQL queries through /sparql: milliseconds each.
Not measured here yet: 100,000 submissions and 60,000 mandate versions (issue 17's full scale) and the comparison
with Virtuoso.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

from _postgres import prepare_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_opendata")
os.environ.setdefault("LOKET_SIGNING_KEY_FILE", str(ROOT / "var" / "bench" / "ledger-ed25519.pem"))
os.environ.setdefault("LOKET_MEDIA_ROOT", str(ROOT / "var" / "bench" / "media-opendata"))
os.environ.setdefault("LOKET_SPARQL_STORE_DIR", str(ROOT / "var" / "bench" / "sparql-opendata"))

QUERIES = {
    "organisations with classification": (
        "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?b ?naam ?c WHERE { ?b a besluit:Bestuurseenheid ; skos:prefLabel ?naam ; besluit:classificatie ?c }"
    ),
    "governing bodies per organisation (count)": (
        "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> "
        "SELECT ?b (COUNT(?o) AS ?n) WHERE { ?o besluit:bestuurt ?b } GROUP BY ?b ORDER BY DESC(?n) LIMIT 20"
    ),
    "mandates of one council": (
        "PREFIX org: <http://www.w3.org/ns/org#> PREFIX mandaat: <http://data.vlaanderen.be/ns/mandaat#> "
        "SELECT ?m ?rol WHERE { ?o org:hasPost ?m . ?m org:role ?rol } LIMIT 100"
    ),
}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def setup() -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = os.environ["LOKET_MEDIA_ROOT"]
    settings.LOKET_OPENDATA_SETTLE_SECONDS = 0
    settings.LOKET_SPARQL_RATE_LIMIT = 10**6
    call_command("migrate", verbosity=0, interactive=False)
    from loket.organisations.models import Organisation

    if not Organisation.objects.exists():
        from loket.organisations.importer import import_organisations

        data = settings.REPO_DIR / "data"
        import_organisations(data / "organisations.csv", statuses=data / "organisations-status.csv", target_group=None)
        call_command("mandates", "organs", verbosity=0)


def measure_rebuild() -> None:
    from loket.opendata import store

    started = time.perf_counter()
    report = store.rebuild()
    elapsed = time.perf_counter() - started
    import pyoxigraph as ox

    triples = len(ox.Store.read_only(str(store.store_dir())))
    print(f"rebuild: {report.applied:,} public instances, {triples:,} quads in {elapsed:.1f} s")


def measure_conneg(runs: int) -> None:
    from django.test import Client

    from loket.organisations.models import Organisation

    client = Client()
    paths = ["/" + uri.split("/", 3)[3] for uri in Organisation.objects.values_list("uri", flat=True)[:runs]]
    samples = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path, HTTP_ACCEPT="text/turtle")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(
        f"conneg: {len(samples)} organisation URIs as Turtle: p50 {statistics.median(samples):.1f} ms, "
        f"p95 {percentile(samples, 0.95):.1f} ms"
    )


def measure_ldes(renames: int, runs: int) -> None:
    from django.test import Client

    from loket.opendata.ldes import materialize
    from loket.opendata.models import FeedEntry
    from loket.organisations.models import Organisation

    for organisation in Organisation.objects.order_by("pk")[:renames]:
        organisation.name = organisation.name.split(" ·")[0] + f" · {int(time.time()) % 1000}"
        organisation.save()
    started = time.perf_counter()
    while materialize():
        pass
    elapsed = time.perf_counter() - started
    total = FeedEntry.objects.count()
    starts = list(
        FeedEntry.objects.filter(dataset="organisaties").order_by("position").values_list("position", flat=True)[::250]
    )
    client = Client()
    samples = []
    for index in range(runs):
        start = starts[index % len(starts)]
        t = time.perf_counter()
        response = client.get(f"/streams/ldes/organisaties?vanaf={start}", HTTP_ACCEPT="text/turtle")
        samples.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    print(
        f"ldes: {total:,} feed entries materialised in {elapsed:.1f} s; pages of 250 ({len(starts)} pages): "
        f"p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms"
    )


def measure_dump() -> None:
    script = (
        "import os, sys, time, resource; sys.path.insert(0, 'src'); sys.path.insert(0, '.');"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'loket.settings');"
        "import django; django.setup();"
        "from django.conf import settings; settings.MEDIA_ROOT = os.environ['LOKET_MEDIA_ROOT'];"
        "from loket.opendata.dumps import dump_dataset;"
        "t = time.perf_counter(); r = dump_dataset('mandatarissen');"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024;"
        "print(r.triples, round(time.perf_counter() - t, 1), peak)"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ))
    if out.returncode:
        print(out.stderr[-1500:])
        return
    triples, seconds, peak = out.stdout.split()[-3:]
    print(f"dump: mandatarissen, {int(triples):,} triples, {seconds} s, process peak RSS {peak} MB")


def measure_queries() -> None:
    from django.test import Client

    client = Client()
    for name, query in QUERIES.items():
        client.get("/sparql", {"query": query})
        t = time.perf_counter()
        response = client.get("/sparql", {"query": query}, HTTP_ACCEPT="application/sparql-results+json")
        elapsed = (time.perf_counter() - t) * 1000
        rows = len(response.json()["results"]["bindings"]) if response.status_code == 200 else response.status_code
        print(f"sparql: {name}: {elapsed:.0f} ms, {rows} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--renames", type=int, default=600)
    parser.add_argument("--runs", type=int, default=200)
    options = parser.parse_args()
    prepare_database(reset=options.reset, script="bench/opendata.py")
    setup()
    measure_rebuild()
    measure_conneg(options.runs)
    measure_ldes(options.renames, options.runs)
    measure_dump()
    measure_queries()


if __name__ == "__main__":
    main()
