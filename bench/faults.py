"""Issue 18's fault-injection figures: how long FAULT_RUNS (default 100) kill -9's of the real worker took, and the
longest time any interrupted job waited to be taken up again (kill → the re-run's start), over every job type in
turn (e-mail, dump, SPARQL sync with LDES pages, link download, vendor import, BBC-DR packaging and upload). Same rig
as `make faults` (tests/faults/rig.py: a throwaway PostgreSQL cluster, aiosmtpd, OpenSSH's SFTP server, a loopback
page server, `manage.py worker` with LOKET_TASK_LEASE=2). Prints the load average before and after: the machine
may be shared.

    .venv/bin/python bench/faults.py            # or FAULT_RUNS=30 .venv/bin/python bench/faults.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.faults.rig import JOB_TYPES, LEASE, run_many


def main() -> None:
    runs = int(os.environ.get("FAULT_RUNS", "100"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    started = time.monotonic()
    results = run_many(runs, report=lambda line: None)
    took = time.monotonic() - started
    hit = [result for result in results if result.killed_while_running]
    problems = sum(len(result.problems) for result in results)
    print(f"{runs} worker kills took {took:.0f} s ({took / runs:.1f} s a kill, restart and check)")
    print(f"kills inside a running job: {len(hit)}")
    done = sum(len(result.finished_before_kill) for result in results)
    print(f"interrupted tasks whose work had committed (not run again, their row settled by recovery): {done}")
    print(f"longest wait of an interrupted job to resume: {max((r.resume_wait for r in results), default=0):.1f} s")
    for job_type in JOB_TYPES:
        mine = [result for result in results if result.job_type == job_type]
        if mine:
            print(
                f"  {job_type:6} {len(mine):3} kills, {sum(1 for r in mine if r.killed_while_running):3} inside a "
                f"running job, longest resume wait {max(r.resume_wait for r in mine):.1f} s"
            )
    print(f"lease during the run: {LEASE} s; problems found: {problems}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for result in results:
        for problem in result.problems:
            print(f"  {result.job_type}: {problem[:400]}")


if __name__ == "__main__":
    main()
