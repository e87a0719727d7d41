"""CPU of the worker's open-data sync (`opendata.tasks.sync_store`: the SPARQL store, the LDES versions and the delta
streams) over the changes waiting, on a copy of the load test's database (issue 17/18; see bench/README.md).

    .venv/bin/python bench/sync_cpu.py [--changes 40] [--profile] [--top 40]

Makes `--changes` rounds of the load test's users in-process (bench/request_cpu.py: each round sends a submission,
marks one handled and takes a vendor's melding; its worker runs their tasks, its syncs take none of them: a send
reaches the feed when delivered, a melding when processed), waits until they have settled and keeps a copy of
`loket_load` (LOKET_LOAD_DB) as `loket_load_syncsrc`, and of the embedded SPARQL store's directory beside it; then,
each run (`--changes 0` reuses the kept copies), copies those to `loket_load_sync` and the store's directory and runs
one `sync_store` there, printing its CPU time, its queries and the feed entries it took. The same changes wait in
every run, on the same store (a sync writes to it: without the store's copy a second run found the graphs already
there), so running it with other code (`git checkout` another commit) compares them. `--profile`: cProfile (CPU
time) around the sync, its `--top` functions by cumulative time.
"""

import argparse
import cProfile
import os
import pstats
import shutil
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
    parser.add_argument("--profile", action="store_true", help="cProfile the sync (CPU time)")
    parser.add_argument("--top", type=int, default=40)
    arguments = parser.parse_args()
    source, copy = os.environ["LOKET_LOAD_DB"], os.environ["LOKET_LOAD_DB"] + "_sync"
    kept = source + "_syncsrc"
    import request_cpu

    store = Path(request_cpu.run.environment()["LOKET_VAR_DIR"]) / "sparql"  # settings.LOKET_SPARQL_STORE_DIR
    kept_store = store.with_name("sparql_syncsrc")
    if arguments.changes:
        # With its worker (a send reaches the feed only when delivered, a melding when processed), whose syncs take
        # nothing: their changes are not settled for an hour in that process.
        made = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "request_cpu.py"), "--runs", str(arguments.changes), "--warmup",
             "0"], capture_output=True, text=True, env={**os.environ, "LOKET_OPENDATA_SETTLE_SECONDS": "3600"},
        )  # fmt: skip
        if made.returncode:
            sys.exit(made.stdout + made.stderr)
        time.sleep(int(os.environ.get("LOKET_OPENDATA_SETTLE_SECONDS", "10")) + 1)
        psql("postgres", f'DROP DATABASE IF EXISTS "{kept}" WITH (FORCE)')
        psql("postgres", f'CREATE DATABASE "{kept}" TEMPLATE "{source}"')
        shutil.rmtree(kept_store, ignore_errors=True)
        if store.exists():
            shutil.copytree(store, kept_store)
        else:
            kept_store.mkdir(parents=True)
    psql("postgres", f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    psql("postgres", f'CREATE DATABASE "{copy}" TEMPLATE "{kept}"')
    if not kept_store.exists():
        sys.exit(f"no copy of the store in {kept_store}: run once with --changes N")
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(kept_store, store)
    os.environ["LOKET_LOAD_DB"] = copy
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
    profiler = cProfile.Profile(time.process_time) if arguments.profile else None
    start = time.process_time()
    with CaptureQueriesContext(connection) as queries:
        if profiler is not None:
            profiler.enable()
        result = sync_store.call()
        if profiler is not None:
            profiler.disable()
    spent = time.process_time() - start
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(arguments.top)
    print(f"sync_store over {waiting} feed entries: {spent * 1000:.0f} ms CPU, {len(queries)} queries "
          f"({spent * 1000 / max(waiting, 1):.1f} ms per entry); {result}")  # fmt: skip


if __name__ == "__main__":
    main()
