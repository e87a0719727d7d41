"""CPU of the worker's open-data sync (`opendata.tasks.sync_store`: the SPARQL store, the LDES versions and the delta
streams) over the changes waiting, on a copy of the load test's database (issue 17/18; see bench/README.md).

    .venv/bin/python bench/sync_cpu.py [--changes 40]

Makes `--changes` rounds of the load test's users in-process (bench/request_cpu.py: each round sends a submission,
marks one handled and takes a vendor's melding), waits until they have settled and keeps a copy of `loket_load`
(LOKET_LOAD_DB) as `loket_load_syncsrc`; then, each run (`--changes 0` reuses the kept copy), copies that to
`loket_load_sync` and runs one `sync_store` there, printing its CPU time, its queries and the feed entries it took.
The same changes wait in every run, so running it with other code (the script from another checkout) compares them.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench")]
os.environ.setdefault("LOKET_LOAD_DB", "loket_load")


def psql(database: str, sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=40, help="rounds of changes to make first (0: use the copy)")
    arguments = parser.parse_args()
    source, copy = os.environ["LOKET_LOAD_DB"], os.environ["LOKET_LOAD_DB"] + "_sync"
    kept = source + "_syncsrc"
    if arguments.changes:
        made = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "request_cpu.py"), "--runs", str(arguments.changes), "--warmup",
             "0", "--no-worker"], capture_output=True, text=True,
        )  # fmt: skip
        if made.returncode:
            sys.exit(made.stdout + made.stderr)
        time.sleep(int(os.environ.get("LOKET_OPENDATA_SETTLE_SECONDS", "10")) + 1)
        psql("postgres", f'DROP DATABASE IF EXISTS "{kept}" WITH (FORCE)')
        psql("postgres", f'CREATE DATABASE "{kept}" TEMPLATE "{source}"')
    psql("postgres", f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    psql("postgres", f'CREATE DATABASE "{copy}" TEMPLATE "{kept}"')
    os.environ["LOKET_LOAD_DB"] = copy
    import request_cpu

    os.environ.update(request_cpu.run.environment())
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{copy}"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loket.opendata.models import FeedEntry, StoreState
    from loket.opendata.tasks import sync_store

    position = StoreState.objects.values_list("position", flat=True).first() or 0
    waiting = FeedEntry.objects.filter(position__gt=position).count()
    start = time.process_time()
    with CaptureQueriesContext(connection) as queries:
        result = sync_store.call()
    spent = time.process_time() - start
    print(f"sync_store over {waiting} feed entries: {spent * 1000:.0f} ms CPU, {len(queries)} queries "
          f"({spent * 1000 / max(waiting, 1):.1f} ms per entry); {result}")  # fmt: skip


if __name__ == "__main__":
    main()
