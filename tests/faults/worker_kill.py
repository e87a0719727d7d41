"""`make faults`: kill -9 the real worker at a random moment of each job type, FAULT_RUNS times (default 100), and
check that a restarted worker resumes every interrupted job and that every side effect happens once.
FAULT_JOB_TYPES=link,bbcdr limits the runs to some job types (tests/faults/rig.py: JOB_TYPES)."""

import os
import sys
import time

from tests.faults.rig import JOB_TYPES, run_many


def main() -> int:
    runs = int(os.environ.get("FAULT_RUNS", "100"))
    started = time.monotonic()
    chosen = tuple(os.environ.get("FAULT_JOB_TYPES", "").split(",")) if os.environ.get("FAULT_JOB_TYPES") else JOB_TYPES
    unknown = set(chosen) - set(JOB_TYPES)
    if unknown:
        print(f"unknown job type(s) {sorted(unknown)}; known: {', '.join(JOB_TYPES)}")
        return 2
    results = run_many(runs, seed=int(os.environ.get("FAULT_SEED", "18")), job_types=chosen)
    bad = [result for result in results if result.problems]
    interrupted = sum(1 for result in results if result.killed_while_running)
    print(
        f"{runs} kills in {time.monotonic() - started:.0f} s; {interrupted} hit a running job; longest resume wait "
        f"{max((r.resume_wait for r in results), default=0):.1f} s; {len(bad)} run(s) with problems"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
