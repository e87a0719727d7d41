"""Retention of vendors' jobs (ASVS 8.3.8, docs/security/retention.md): the daily run deletes a job
LOKET_VENDOR_JOB_RETENTION_DAYS after it ended, with its steps and the stored copy of its page and attachments;
never a job still scheduled or busy, nor one whose submission is still a concept; a sent submission stays whole.
Berichtencentrum meldingen (message jobs) likewise. One audit event per run, with the counts."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from loket.core.audit import audit_describe
from loket.core.models import AuditEvent
from loket.core.tasks import purge_expired_data
from loket.supervision.models import Submission
from loket.supervision.services import submission_delete
from loket.vendors.models import Job, JobTask, MessageJob
from tests.vendors.conftest import CONCEPT, SUBMITTABLE, body_for, post
from tests.vendors.test_pipeline import BUDGET, LIST, PAGES

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PDF = "http://data.example.be/besluiten/pdf"


def at(days: float) -> "time_machine.travel":
    return time_machine.travel(START + timedelta(days=days), tick=False)


def purged() -> list[dict]:  # type: ignore[type-arg]
    return [event.details for event in AuditEvent.objects.filter(action="vendor_job.purged").order_by("pk")]


def stored(job: Job) -> list[str]:
    try:
        return sorted(default_storage.listdir(f"vendors/jobs/{job.uuid}")[1])
    except FileNotFoundError:
        return []


def submit(client, municipality, href: str, resource: str, status: str) -> Job:  # type: ignore[no-untyped-def]
    response = post(client, "/melding", body_for(municipality, href=href, resource=resource, status=status))
    assert response.status_code == 201, response.content
    return Job.objects.get(submitted_resource=resource)


@pytest.fixture
def run_retention(run_worker, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """The daily run, its after-commit work (deleting stored files) run too (the test's transaction never commits)."""

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            purge_expired_data.enqueue()
            run_worker()

    return run


def test_ended_jobs_go_after_the_period_a_concepts_job_and_unfinished_ones_stay(  # type: ignore[no-untyped-def]
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker, run_retention
):
    with at(0):
        budget = pages.serve("/budget", (PAGES / "voorbeeld-budget.html").read_bytes())
        sent = submit(client, municipality, budget, BUDGET, SUBMITTABLE)
        listing = pages.serve("/lijst", (PAGES / "voorbeeld-besluitenlijst.html").read_bytes())
        concept = submit(client, municipality, listing, LIST, CONCEPT)
        failed = submit(client, municipality, pages.serve("/pdf", b"%PDF-1.7\n", "application/pdf"), PDF, SUBMITTABLE)
        run_worker()
        busy = Job.objects.create(
            vendor=vendor,
            organisation=municipality,
            submitted_resource="http://data.example.be/besluiten/bezig",
            href="http://data.example.be/bezig",
            requested_status=Job.RequestedStatus.SUBMITTABLE,
            status=Job.Status.BUSY,
            created_at=timezone.now(),
            modified_at=timezone.now(),
        )
        message_jobs = {
            status: MessageJob.objects.create(
                vendor=vendor,
                organisation=municipality,
                href=f"http://data.example.be/bericht/{status}",
                resource=f"http://data.example.be/berichten/{status}",
                status=status,
            )
            for status in MessageJob.Status.values
        }
        assert [Job.objects.get(pk=job.pk).status for job in (sent, concept, failed)] == ["success"] * 2 + ["failed"]
        sent_submission = Submission.objects.get(submitted_resource=BUDGET)
        assert sent_submission.status == Submission.Status.SENT
        assert stored(sent) == ["pagina.html"]  # a successful job keeps its copy of the page until now
    jobs = {sent.pk, concept.pk, failed.pk, busy.pk}

    with at(89):  # one day before the end of the period: nothing goes
        run_retention()
        assert set(Job.objects.values_list("pk", flat=True)) == jobs
        assert MessageJob.objects.count() == 4
        assert purged()[-1] == {
            "count": 0,
            "jobs": 0,
            "message_jobs": 0,
            "days": 90,
            "before": (START - timedelta(days=1)).isoformat(),
        }

    with at(91):  # one day after: the sent one's and the failed one's jobs, the ended message jobs
        run_retention()
        assert set(Job.objects.values_list("pk", flat=True)) == {concept.pk, busy.pk}
        assert set(JobTask.objects.values_list("job_id", flat=True)) == {concept.pk}  # the steps went with them
        assert stored(sent) == []
        assert set(MessageJob.objects.values_list("status", flat=True)) == {"scheduled", "busy"}
        # this run, and the daily one the run of day 89 queued (overdue): the first did it all
        *_, event, following = AuditEvent.objects.filter(action="vendor_job.purged").order_by("pk")
        assert (event.details["jobs"], event.details["message_jobs"], following.details["count"]) == (2, 2, 0)
        assert audit_describe(event) == (
            "4 afgelopen job(s) van leveranciers verwijderd, waarvan 2 voor berichten: geëindigd meer dan 90 dagen "
            "geleden, zonder inzending die nog een concept is (bewaartermijn)."
        )
        # the sent submission does not depend on its job: whole, and its register entry still matches its content
        sent_submission.refresh_from_db()
        assert (sent_submission.status, sent_submission.submitted_resource) == ("sent", BUDGET)
        assert sent_submission.uri == sent.submission_uri
        out = io.StringIO()
        call_command("ledger", "verify", "--content", stdout=out)
        assert "OK: content of 1 sent submissions matches the register" in out.getvalue()
        # the vendor can no longer push the same decision: the submission refuses it
        response = post(client, "/melding", body_for(municipality, href=budget, resource=BUDGET, status=SUBMITTABLE))
        assert response.status_code == 409

        submission_delete(submission=Submission.objects.get(submitted_resource=LIST), actor=None, actor_label="x")
    with at(92):  # its concept deleted, the job that made it ended 92 days ago: it goes too
        run_retention()
        assert set(Job.objects.values_list("pk", flat=True)) == {busy.pk}
        assert [details["jobs"] for details in purged()[-2:]] == [1, 0]  # this run and the daily one
    assert set(message_jobs) == set(MessageJob.Status.values)


def test_zero_keeps_the_jobs(client, vendor, municipality, codelists, pages, run_worker, run_retention, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_VENDOR_JOB_RETENTION_DAYS = 0
    with at(0):
        submit(client, municipality, pages.serve("/pdf", b"%PDF-1.7\n", "application/pdf"), PDF, SUBMITTABLE)
        run_worker()
    with at(1000):
        run_retention()
        assert Job.objects.get().status == "failed"
        assert purged()[-1]["count"] == 0 and purged()[-1]["days"] == 0


def test_a_backlog_goes_in_runs_of_the_limit(vendor, municipality, run_worker):  # type: ignore[no-untyped-def]
    with at(0):
        for number in range(3):
            MessageJob.objects.create(
                vendor=vendor,
                organisation=municipality,
                href="http://data.example.be/bericht",
                resource=f"http://data.example.be/berichten/{number}",
                status=MessageJob.Status.SUCCESS,
            )
    with at(100):
        purge_expired_data.enqueue(limit=2)
        run_worker()
        assert MessageJob.objects.count() == 0
        assert [details["count"] for details in purged()] == [2, 1]
