"""Issue 18's fault-injection figures: how long FAULT_RUNS (default 100) kill -9's of the real worker took, and the
longest time any interrupted job waited to be taken up again (kill → the re-run's start). Same rig as `make faults`
(tests/faults/rig.py: a throwaway PostgreSQL cluster, aiosmtpd, `manage.py worker` with LOKET_TASK_LEASE=2).

    .venv/bin/python bench/faults.py            # or FAULT_RUNS=30 .venv/bin/python bench/faults.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.faults.rig import LEASE, run_many


def main() -> None:
    runs = int(os.environ.get("FAULT_RUNS", "100"))
    started = time.monotonic()
    results = run_many(runs, report=lambda line: None)
    took = time.monotonic() - started
    hit = [result for result in results if result.killed_while_running]
    problems = sum(len(result.problems) for result in results)
    print(f"{runs} worker kills took {took:.0f} s ({took / runs:.1f} s a kill, restart and check)")
    print(f"kills inside a running job: {len(hit)}")
    print(f"longest wait of an interrupted job to resume: {max((r.resume_wait for r in results), default=0):.1f} s")
    print(f"lease during the run: {LEASE} s; problems found: {problems}")
    for result in results:
        for problem in result.problems:
            print(f"  {result.job_type}: {problem[:400]}")


if __name__ == "__main__":
    main()
