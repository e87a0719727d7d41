"""Small SPARQL queries through `run_query` (the /sparql path without HTTP) on the store of `make run`
(`var/sparql`, the demo data after the worker's first rebuild; `LOKET_SPARQL_STORE_DIR` for another): median and p95
of 30 runs each, the first run (starting the query process) excluded.

Run: `LOKET_DEV=1 .venv/bin/python bench/sparql_queries.py`"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

import django  # noqa: E402

django.setup()

from loket.opendata.sparql import run_query  # noqa: E402

AALST = "http://data.lblod.info/id/bestuurseenheden/974816591f269bb7d74aa1720922651529f3d3b2a787f5c60b73e5a0384950a4"
QUERIES = {
    "organs of one city": "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> "
    f"SELECT ?o WHERE {{ ?o besluit:bestuurt <{AALST}> }} LIMIT 20",
    "count the units": "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> "
    "SELECT (COUNT(*) AS ?n) WHERE { ?u a besluit:Bestuurseenheid }",
}

print(f"load average {os.getloadavg()[0]:.1f}")
for label, query in QUERIES.items():
    run_query(query)
    samples = []
    for _ in range(30):
        started = time.perf_counter()
        run_query(query, result_format="json")
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    print(f"{label}: median {statistics.median(samples):.1f} ms, p95 {samples[int(0.95 * len(samples)) - 1]:.1f} ms")
