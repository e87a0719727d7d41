"""CPU time of one dataset dump as the task worker makes it (issue 18: `regenerate_dump` held the one worker).

    .venv/bin/python bench/dump_cpu.py [--dataset inzendingen] [--runs 3] [--profile] [--top 30]

Runs `loket.opendata.dumps.dump_dataset` in this process with the load test's production settings on PostgreSQL
`loket_perf` (LOKET_LOAD_DB wins; filled by bench/locust/prepare.py), and prints per run the CPU time of this
process (time.process_time: not the PostgreSQL backend, not `sort`), the triples and the SHA-256 of both files, so
that two versions of the code can be compared on the same data, and at the end the process's peak RSS
(`ru_maxrss`, Django's start included). Each run stores its files and Dump rows as the worker does (the last three
are kept). `--profile`: cProfile (CPU clock) around the last run.
"""

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench" / "locust"), str(ROOT / "src")]
os.environ.setdefault("LOKET_LOAD_DB", "loket_perf")

import run  # noqa: E402  bench/locust/run.py: the load test's environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="inzendingen")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile around the last run")
    parser.add_argument("--top", type=int, default=30)
    arguments = parser.parse_args()
    os.environ.update(run.environment())
    import django

    django.setup()
    from loket.opendata.dumps import dump_dataset

    profiler = cProfile.Profile(time.process_time)
    print(f"database {run.DB}, dataset {arguments.dataset}")
    for number in range(1, arguments.runs + 1):
        profiled = arguments.profile and number == arguments.runs
        if profiled:
            profiler.enable()
        start = time.process_time()
        result = dump_dataset(arguments.dataset)
        spent = time.process_time() - start
        if profiled:
            profiler.disable()
        hashes = ", ".join(f"{dump.kind} {dump.sha256}" for dump in result.files)
        print(f"run {number}: {spent:.2f} s CPU, {result.triples:,} triples; {hashes}", flush=True)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if arguments.profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(arguments.top)


if __name__ == "__main__":
    main()
