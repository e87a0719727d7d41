"""`make faults`: kill -9 the real worker at a random moment of each job type, FAULT_RUNS times (default 100), and
check that a restarted worker resumes every interrupted job and that every side effect happens once."""

import os
import sys
import time

from tests.faults.rig import run_many


def main() -> int:
    runs = int(os.environ.get("FAULT_RUNS", "100"))
    started = time.monotonic()
    results = run_many(runs, seed=int(os.environ.get("FAULT_SEED", "18")))
    bad = [result for result in results if result.problems]
    interrupted = sum(1 for result in results if result.killed_while_running)
    print(
        f"{runs} kills in {time.monotonic() - started:.0f} s; {interrupted} hit a running job; longest resume wait "
        f"{max((r.resume_wait for r in results), default=0):.1f} s; {len(bad)} run(s) with problems"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
