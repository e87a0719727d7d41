"""A bounded count of `make faults` in every CI pass (it starts its own PostgreSQL cluster): the real worker is
killed with SIGKILL inside each job type twice; a restarted worker resumes every interrupted job, no task is left
waiting or running, every mail arrives once, no partial dump file. About 90 s; `make faults` does 100 runs."""

import os

import pytest

from tests.faults.rig import JOB_TYPES, LEASE, run_many
from tests.support.pgcluster import postgres_bin

pytestmark = pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL (initdb/pg_ctl) is not installed")


def test_a_killed_worker_s_jobs_are_resumed_by_the_next_one_and_every_side_effect_happens_once():  # type: ignore[no-untyped-def]
    runs = int(os.environ.get("FAULT_RUNS_CI", str(2 * len(JOB_TYPES))))
    results = run_many(runs, seed=int(os.environ.get("FAULT_SEED", "18")), report=lambda line: None)
    problems = [(result.job_type, problem) for result in results for problem in result.problems]
    assert problems == []
    assert any(result.killed_while_running for result in results), "no kill fell inside a running job"
    # Resumed within the lease plus the recovery's half-lease round (and a queue of mails ahead of it).
    assert max(result.resume_wait for result in results) < 3 * LEASE + 10
