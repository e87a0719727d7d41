"""The vendor job's state machine: every change of a job's status goes through `job_transition`, a compare-and-set.

    scheduled ──claim──> busy ──done──> success
        │                 │ ├──retry──> scheduled      (a passing fault; a later attempt)
        │                 │ └──fail───> failed
        └──withdrawn──────┴──withdrawn> failed         (the vendor's /delete-melding)

A worker that takes a job gets a *lease* (a fresh UUID, renewed with the heartbeat). Every write it makes later is
conditional on the job still being busy under that same lease: when the vendor withdrew the melding meanwhile, or
a recovery gave the job to another worker after this one stalled, the write changes nothing and the worker stops
(`JobMovedOn`) instead of acting on a state that is gone. Each step renews the lease in the transaction that
commits the step's effects (the submission, the ledger entry), so on PostgreSQL the row stays locked until that
commit and on SQLite the write lock is taken first: a withdrawal either happens before (and the step does nothing)
or after (and finds a concept to delete, or a sent submission it may not delete).
"""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from loket.vendors.models import Job

Status = Job.Status
ALLOWED: dict[str, frozenset[str]] = {
    Status.SCHEDULED: frozenset({Status.BUSY, Status.FAILED}),
    Status.BUSY: frozenset({Status.BUSY, Status.SCHEDULED, Status.SUCCESS, Status.FAILED}),
    # A finished job changes no more; only its hold on the decision's URI is released (same status).
    Status.SUCCESS: frozenset({Status.SUCCESS}),
    Status.FAILED: frozenset({Status.FAILED}),
}


class JobMovedOn(Exception):
    """The job is no longer in the state it was read in (withdrawn, finished, or taken over by another worker)."""


class TransitionNotAllowed(ValueError):
    """A programming error: the state machine has no such arrow."""


@dataclass(frozen=True)
class JobState:
    """A job's state as a caller read it: its status and, while busy, the lease of the worker running it.
    `stale_before` is for taking a job from a worker that stopped renewing its lease: the compare then also
    requires the heartbeat to be older than that (a worker that renewed since keeps its job)."""

    status: str
    lease: uuid.UUID | None = None
    stale_before: datetime.datetime | None = None

    @classmethod
    def of(cls, job: Job, *, stale_before: datetime.datetime | None = None) -> "JobState":
        return cls(status=job.status, lease=job.lease, stale_before=stale_before)

    @classmethod
    def running(cls, job: Job) -> "JobState":
        """The state of a job this worker runs: busy under its lease (whatever it last wrote in memory)."""
        return cls(status=Status.BUSY, lease=job.lease)


def job_transition(*, job: Job, source: JobState, target: str, **changes: Any) -> JobState:
    """Move `job` from `source` (the state the caller read) to `target`, writing `changes` with it, in one
    conditional UPDATE; JobMovedOn when the stored state is no longer `source`. Entering busy (claim, renewal)
    stamps the heartbeat and keeps the lease (a claim passes a new `lease`); leaving busy clears both. Updates `job`
    in memory and returns the new state."""
    if target not in ALLOWED[source.status]:
        raise TransitionNotAllowed(f"A vendor job cannot go from {source.status} to {target}.")
    now = timezone.now()
    values: dict[str, Any] = {"status": target, "modified_at": now, **changes}
    if target == Status.BUSY:
        values.setdefault("lease", source.lease)
        values["heartbeat_at"] = now
    else:
        values["lease"] = None
        values.setdefault("heartbeat_at", None)
    stored = Job.objects.filter(pk=job.pk, status=source.status, lease=source.lease)
    if source.stale_before is not None:
        stored = stored.filter(heartbeat_at__lt=source.stale_before)
    if stored.update(**values) != 1:
        raise JobMovedOn(f"Job {job.pk} is no longer {source.status}.")
    for name, value in values.items():
        setattr(job, name, value)
    return JobState(status=target, lease=values["lease"])


def job_claim(*, job: Job, stale_before: datetime.datetime | None = None) -> JobState:
    """Take a scheduled job, or a busy one whose heartbeat is older than `stale_before` (its worker died)."""
    source = JobState.of(job, stale_before=stale_before if job.status == Status.BUSY else None)
    return job_transition(job=job, source=source, target=Status.BUSY, lease=uuid.uuid4())


def job_renew(*, job: Job) -> JobState:
    """Still mine? Renew the lease (heartbeat now); JobMovedOn otherwise. Inside a step's transaction this also
    holds the job until that transaction commits."""
    return job_transition(job=job, source=JobState.running(job), target=Status.BUSY)
