"""The job pipeline end to end: the example RDFa pages served from loopback, the real worker, each job followed
to its end state."""

import datetime
import io

import pytest
from django.db import connection
from django.utils import timezone

from loket.supervision.models import GoverningBody, Submission
from loket.vendors.models import Job, JobCredential, JobTask
from tests.vendors.conftest import BODY_F7460, CONCEPT, GEMEENTERAAD, SUBMITTABLE, body_for, post
from tests.vendors.pages import PAGES

pytestmark = pytest.mark.django_db
BUDGET = "http://een.domein.van.mechelen.be/besluiten/b122fc60-dabe-4fd5-b939-1765fe0c6170-6"
LIST = "http://een.domein.van.mechelen.be/besluitenlijsten/a361ed84-4c47-4ee7-b2f9-2411a15d56ff-6"
ADVICE = "http://een.domein.van.mechelen.be/besluiten/50d3b372-a666-4434-b824-f94f5aa34ac9"
REGULATION = "http://een.domein.van.mechelen.be/besluiten/eb20653c-a025-11ea-a4a7-67577ff6612e-3"


def _page(pages, name: str) -> str:  # type: ignore[no-untyped-def]
    return pages.serve(f"/{name}", (PAGES / name).read_bytes())


def _submit(client, municipality, href: str, resource: str, status: str = SUBMITTABLE, **extra) -> Job:  # type: ignore[no-untyped-def]
    response = post(client, "/melding", body_for(municipality, href=href, resource=resource, status=status, **extra))
    assert response.status_code == 201, response.content
    return Job.objects.get(submitted_resource=resource, holds_resource=True)


def _tasks(job: Job) -> list[tuple[str, str]]:
    return [(t.operation, t.status) for t in job.tasks.order_by("index")]


def test_complete_budget_is_sent(client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker):
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    run_worker()
    job.refresh_from_db()
    assert job.status == "success", job.error_message
    assert _tasks(job) == [
        ("register", "success"),
        ("download", "success"),
        ("import", "success"),
        ("validate", "success"),
        ("send", "success"),
    ]
    submission = Submission.objects.get()
    assert submission.uri == job.submission_uri
    assert submission.status == "sent" and submission.sent_entry is not None
    assert submission.submitted_resource == BUDGET and submission.provided_by == vendor.uri
    assert submission.governing_body.uri == BODY_F7460
    assert submission.session_date == datetime.date(2020, 5, 26)
    assert submission.document_type.uri.endswith("40831a2c-771d-4b41-9720-0399998f1873")
    assert "elod:financialYear" in submission.source_ttl or "financialYear" in submission.source_ttl
    assert submission.delivered_at is not None  # the worker also ran the delivery


def test_a_job_runs_in_few_transactions(
    client, vendor, municipality, codelists, mechelen_bodies, pages, django_assert_max_num_queries
):
    """Claim and start, download, import, validate and send: one transaction each (validation and sending are one
    step for a job that asked for sending: sending validates anyway). Pinned so that extra round trips show up."""
    from loket.vendors.pipeline import job_run

    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    with django_assert_max_num_queries(65) as context:  # about 90 before the pipeline was trimmed; +1: a new public
        # instance lifts a tombstone of its URI (issue 17); a saved submission that replaces none costs no query to
        # find the one it replaces (opendata/feed.py `_forward_key`)
        assert job_run(job_id=job.pk) == "success"
    assert sum(1 for query in context.captured_queries if query["sql"].startswith("SAVEPOINT")) <= 9
    assert _tasks(job)[-2:] == [("validate", "success"), ("send", "success")]
    assert Submission.objects.get().status == "sent"


def test_a_sent_melding_costs_the_worker_one_claim_and_few_queries_delivery_included(
    client, vendor, municipality, codelists, mechelen_bodies, pages, django_assert_max_num_queries
):
    """The job's own task does everything up to the supervisor's inbox: sending and delivery (the second ledger
    entry) in one transaction, so no delivery task is queued for another claim. Queries pinned (issue 18's load
    test: the one worker could not keep up)."""
    from django_tasks_db.models import DBTaskResult

    from loket.core.ledger_models import LedgerEntry
    from loket.supervision.services import submission_deliver
    from loket.vendors.pipeline import job_run

    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    deliveries = DBTaskResult.objects.filter(task_path="loket.supervision.tasks.deliver_submission", status="READY")
    # SQLite; 80 when delivery was a task of its own; +2 for the storage quota of the page and the link's copy
    # (core.quota), +2 more on PostgreSQL (their advisory locks)
    with django_assert_max_num_queries(60 if connection.vendor == "sqlite" else 62):
        assert job_run(job_id=job.pk) == "success"
        for row in deliveries:  # the work up to the inbox: a delivery queued for another claim counts too
            submission_deliver(submission_id=row.args_kwargs["kwargs"]["submission_id"])
    submission = Submission.objects.get()
    assert submission.status == "sent" and submission.delivered_at is not None
    kinds = list(LedgerEntry.objects.filter(subject_uri=submission.uri).order_by("position").values_list("kind"))
    assert kinds == [("sent",), ("delivered",)]
    assert submission.delivered_entry.position == submission.sent_entry.position + 1
    assert not deliveries.exists()


def test_a_step_rolled_back_to_break_a_deadlock_runs_again(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker, monkeypatch
):
    """PostgreSQL breaks a deadlock between two workers by aborting one transaction; that step runs again."""
    import psycopg.errors
    from django.db import OperationalError

    from loket.supervision import services

    real_send = services.submission_send
    calls = []

    def deadlocked_once(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected") from psycopg.errors.DeadlockDetected("deadlock detected")
        return real_send(**kwargs)

    monkeypatch.setattr(services, "submission_send", deadlocked_once)
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    run_worker()
    job.refresh_from_db()
    assert job.status == "success", job.error_message
    assert len(calls) == 2
    assert Submission.objects.get().status == "sent"


def test_other_database_errors_fail_the_job(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker, monkeypatch
):
    from django.db import OperationalError

    from loket.supervision import services

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("disk full")

    monkeypatch.setattr(services, "submission_send", broken)
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error_message.startswith("Er ging iets mis bij het valideren in het Loket.")


def test_a_job_left_waiting_in_the_send_step_is_sent(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker
):
    """A job validated before validating and sending became one step, with its send step still to do."""
    from loket.vendors.tasks import process_job

    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET, status=CONCEPT)
    run_worker()
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status="scheduled", requested_status="submittable")
    JobTask.objects.create(job=job, operation="send", index=4, created_at=now, modified_at=now)
    process_job.enqueue(job_id=job.pk)
    run_worker()
    job.refresh_from_db()
    assert job.status == "success", job.error_message
    assert _tasks(job)[-1] == ("send", "success")
    assert Submission.objects.get().status == "sent"


def test_concept_requested_stays_concept(client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker):
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET, status=CONCEPT)
    run_worker()
    job.refresh_from_db()
    assert job.status == "success"
    assert _tasks(job)[-1] == ("validate", "success")
    assert Submission.objects.get().status == "concept"


def test_incomplete_page_stays_a_concept_with_the_reason(client, vendor, municipality, codelists, pages, run_worker):
    """The list names a governing body the municipality does not have: a clerk picks it in the UI."""
    job = _submit(client, municipality, _page(pages, "voorbeeld-besluitenlijst.html"), LIST)
    run_worker()
    job.refresh_from_db()
    assert job.status == "success"
    validate = job.tasks.get(operation="validate")
    assert "Bestuursorgaan" in validate.message
    assert not job.tasks.filter(operation="send").exists()
    submission = Submission.objects.get()
    assert submission.status == "concept" and submission.session_date == datetime.date(2019, 4, 13)


@pytest.mark.parametrize(
    ("name", "resource"),
    [
        ("voorbeeld-rdfa-met-link-bestuurseenheid.html", ADVICE),
        ("voorbeeld-reglement.html", REGULATION),
        ("voorbeeld-besluitenlijst-met-stemming.html", LIST),
    ],
)
def test_every_example_page_is_imported(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker, name, resource
):
    job = _submit(client, municipality, _page(pages, name), resource)
    run_worker()
    job.refresh_from_db()
    assert job.status == "success", job.error_message
    assert Submission.objects.get().submitted_resource == resource


def test_page_about_another_organisation_fails_and_stores_nothing(
    client, vendor, municipality, other_municipality, codelists, pages, run_worker
):
    GoverningBody.objects.create(
        organisation=other_municipality, uri=BODY_F7460, classification_uri=GEMEENTERAAD, label="Gemeenteraad"
    )
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "hoort bij Berlare, niet bij Aalst" in job.error_message
    assert job.tasks.get(operation="import").status == "failed"
    assert Submission.objects.count() == 0 and not job.holds_resource and job.page_storage_name == ""


def test_page_without_the_decision_fails(client, vendor, municipality, codelists, pages, run_worker):
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), "http://data.example.be/ander")
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "beschrijft het besluit http://data.example.be/ander niet" in job.error_message
    assert Submission.objects.count() == 0


def test_not_html_fails(client, vendor, municipality, codelists, pages, run_worker):
    href = pages.serve("/besluit.pdf", b"%PDF-1.7\nbesluit", "application/pdf")
    job = _submit(client, municipality, href, BUDGET)
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error_message.startswith(f"De pagina {href} is geen HTML-pagina (ontvangen: application/pdf)")
    assert Submission.objects.count() == 0


def test_missing_page_fails_with_the_status_code(client, vendor, municipality, codelists, pages, run_worker):
    job = _submit(client, municipality, pages.url("/weg"), BUDGET)
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "De server antwoordde met foutcode 404" in job.error_message


def test_server_errors_are_retried_then_fail(client, vendor, municipality, codelists, pages, run_worker, settings):
    settings.LOKET_VENDOR_DOWNLOAD_ATTEMPTS = 3
    href = pages.serve("/kapot", b"oeps", "text/plain", status=503)
    job = _submit(client, municipality, href, BUDGET)
    for _ in range(3):
        run_worker()
        Job.objects.filter(pk=job.pk)  # each retry waits a few ms (run_after)
        import time

        time.sleep(0.05)
        run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error_message.endswith("(na 3 pogingen)")
    assert len([r for r in pages.requests if r[1] == "/kapot"]) == 3


def test_private_addresses_are_refused(client, vendor, municipality, codelists, pages, run_worker, settings):
    settings.LOKET_ALLOW_PRIVATE_FETCH = []
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "verwijst naar een intern netwerk" in job.error_message
    assert pages.requests == []


def test_basic_credentials_are_used_then_deleted(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker
):
    href = pages.serve("/privaat", (PAGES / "voorbeeld-budget.html").read_bytes(), basic=("foo", "bar"))
    job = _submit(
        client,
        municipality,
        href,
        BUDGET,
        authentication={"configuration": {"scheme": "basic"}, "credentials": {"username": "foo", "password": "bar"}},
    )
    assert JobCredential.objects.filter(job=job).exists()
    run_worker()
    job.refresh_from_db()
    assert job.status == "success", job.error_message
    assert not JobCredential.objects.filter(job=job).exists()


def test_oauth2_client_credentials(client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker):
    href = pages.serve("/oauth", (PAGES / "voorbeeld-budget.html").read_bytes(), bearer="tok-123")
    job = _submit(
        client,
        municipality,
        href,
        BUDGET,
        authentication={
            "configuration": {
                "scheme": "oauth2",
                "flow": "client",
                "resource": "private",
                "token": pages.url("/oauth2/token"),
            },
            "credentials": {"clientId": "foo", "clientSecret": "bar"},
        },
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == "success", job.error_message
    assert "grant_type=client_credentials" in pages.token_requests[0]["body"]
    assert not JobCredential.objects.filter(job=job).exists()


def _oauth2(pages, client_secret: str) -> dict:  # type: ignore[no-untyped-def]
    return {
        "configuration": {
            "scheme": "oauth2",
            "flow": "client",
            "resource": "private",
            "token": pages.url("/oauth2/token"),
        },
        "credentials": {"clientId": "foo", "clientSecret": client_secret},
    }


def test_oauth2_refused_client_credentials_fail_the_job(client, vendor, municipality, codelists, pages, run_worker):
    href = pages.serve("/oauth", (PAGES / "voorbeeld-budget.html").read_bytes(), bearer="tok-123")
    job = _submit(client, municipality, href, BUDGET, authentication=_oauth2(pages, client_secret="s3cr3t-fout"))
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error_message == (
        f"De pagina {href} kon niet worden opgehaald: De OAuth2-tokenserver 127.0.0.1 weigerde de client "
        "credentials (foutcode 401)."
    )
    assert len(pages.token_requests) == 1
    assert not any(r[1] == "/oauth" for r in pages.requests)
    assert not JobCredential.objects.filter(job=job).exists()


def test_oauth2_token_endpoint_on_an_internal_address_is_refused(
    client, vendor, municipality, codelists, pages, run_worker, settings
):
    href = pages.serve("/oauth", (PAGES / "voorbeeld-budget.html").read_bytes(), bearer="tok-123")
    job = _submit(client, municipality, href, BUDGET, authentication=_oauth2(pages, client_secret="bar"))
    settings.LOKET_ALLOW_PRIVATE_FETCH = []
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "verwijst naar een intern netwerk" in job.error_message
    assert pages.token_requests == []
    assert pages.requests == []


def test_wrong_credentials_fail_and_are_deleted(client, vendor, municipality, codelists, pages, run_worker):
    href = pages.serve("/privaat", (PAGES / "voorbeeld-budget.html").read_bytes(), basic=("foo", "bar"))
    job = _submit(
        client,
        municipality,
        href,
        BUDGET,
        authentication={"configuration": {"scheme": "basic"}, "credentials": {"username": "foo", "password": "fout"}},
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed" and "foutcode 401" in job.error_message
    assert "fout" not in job.error_message.replace("foutcode", "")
    assert not JobCredential.objects.filter(job=job).exists()


def test_attachments_are_downloaded(client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker):
    attachment = pages.serve("/bijlage.pdf", b"%PDF-1.7\nbijlage", "application/pdf")
    html = (
        (PAGES / "voorbeeld-budget.html")
        .read_text()
        .replace(
            '<span property="eli:title"',
            f'<a property="dct:source" href="{attachment}">bijlage</a><span property="eli:title"',
        )
    )
    href = pages.serve("/met-bijlage", html)
    job = _submit(client, municipality, href, BUDGET)
    run_worker()
    job.refresh_from_db()
    assert job.status == "success", job.error_message
    assert any(r[1] == "/bijlage.pdf" for r in pages.requests)
    assert attachment in Submission.objects.get().source_ttl


def test_a_job_abandoned_by_a_crashed_worker_resumes(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker
):
    """Simulated crash: the job is busy in the download step with a heartbeat of an hour ago."""
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(status="busy", heartbeat_at=an_hour_ago)
    job.tasks.filter(operation="download").update(status="busy")
    run_worker()
    job.refresh_from_db()
    assert job.status == "success" and Submission.objects.get().status == "sent"


def test_a_busy_job_with_a_fresh_heartbeat_is_left_alone(client, vendor, municipality, codelists, pages, run_worker):
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    Job.objects.filter(pk=job.pk).update(status="busy", heartbeat_at=timezone.now())
    run_worker()
    job.refresh_from_db()
    assert job.status == "busy" and pages.requests == []


def test_a_crashed_job_without_a_queued_task_is_recovered(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker
):
    """The worker died while running the job's task: the task row stays 'running', nothing is queued."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    DBTaskResult.objects.all().delete()
    Job.objects.filter(pk=job.pk).update(status="busy", heartbeat_at=timezone.now() - datetime.timedelta(hours=2))
    out = io.StringIO()
    call_command("recover", stdout=out)
    assert "vendors: 0 vastgelopen taak/taken afgesloten; 1 job(s) opnieuw ingepland." in out.getvalue().splitlines()
    run_worker()
    job.refresh_from_db()
    assert job.status == "success"


def _fields(instance) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _fields_or_none(instance) -> dict | None:  # type: ignore[no-untyped-def,type-arg]
    return None if instance is None else _fields(instance)


@pytest.mark.parametrize("with_credentials", [True, False])
@pytest.mark.parametrize("with_submission", [True, False])
def test_the_claims_own_statement_reads_what_the_orm_reads(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker, with_credentials, with_submission
):
    """A claim reads its job with one statement of its own (pipeline._locked_job, `core.statements`): every field of
    the job, its vendor, organisation, submission and credentials as the ORM's select_related loads them (absent
    ones too: no query later), in one query."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from loket.vendors.pipeline import _locked_job

    auth = {"configuration": {"scheme": "basic"}, "credentials": {"username": "foo", "password": "bar"}}
    job = _submit(
        client,
        municipality,
        _page(pages, "voorbeeld-budget.html"),
        BUDGET,
        status=CONCEPT,
        **({"authentication": auth} if with_credentials else {}),
    )
    if with_submission:
        run_worker()
        if with_credentials:  # the run deleted them; a job read mid-run may still have them
            JobCredential.objects.create(job=job, scheme="basic", secret=b"geheim")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now(), lease=None)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        found = _locked_job(job.pk)
        expected = (
            Job.objects.select_for_update(of=("self",))
            .select_related("vendor", "organisation", "submission", "credential")
            .get(pk=job.pk)
        )
        assert found is not None
        assert len(queries) == 2  # ours and the ORM's; nothing when the relations are touched below
        assert _fields(found) == _fields(expected)
        assert _fields(found.vendor) == _fields(expected.vendor)
        assert _fields(found.organisation) == _fields(expected.organisation)
        assert _fields_or_none(found.submission) == _fields_or_none(expected.submission)
        assert (found.submission is not None) == with_submission
        if with_credentials:
            assert _fields(found.credential) == _fields(expected.credential) and found.credential.job is found
        else:
            with pytest.raises(JobCredential.DoesNotExist):
                found.credential  # noqa: B018
        assert len(queries) == 2
        if connection.vendor == "postgresql":
            assert queries[0]["sql"].endswith("FOR UPDATE OF j")
        assert _locked_job(job.pk + 1000) is None


def test_the_job_copies_the_link_of_its_send_itself_without_a_task_of_its_own(
    client, vendor, municipality, codelists, mechelen_bodies, pages
):  # type: ignore[no-untyped-def]
    """Sent and delivered at once, the job's own task then copies the page's link (after the send committed), as a
    delivery task copies a clerk's: no `cache_remote_file` task to claim per melding (issue 18 item 4)."""
    import hashlib

    from django_tasks_db.models import DBTaskResult

    from loket.supervision.tasks import cache_remote_file
    from loket.vendors.pipeline import job_run

    page = (PAGES / "voorbeeld-budget.html").read_bytes()
    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    assert job_run(job_id=job.pk) == "success"
    (link,) = Submission.objects.get().files.filter(kind="link")
    assert (link.url, link.cache_status, link.sha256) == (job.href, "done", hashlib.sha256(page).hexdigest())
    assert not DBTaskResult.objects.filter(task_path=cache_remote_file.module_path).exists()


def test_recovery_counts_a_pending_link_covered_while_the_job_that_sent_it_is_live(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker, monkeypatch
):  # type: ignore[no-untyped-def]
    """A worker killed after the send committed and before the link's copy: while the job's task may still be running
    (claimed recently) recovery leaves the link to it; once that task is stalled, the link is queued on its own and
    copied once."""
    from datetime import timedelta

    from django.core.management import call_command
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from loket.supervision.tasks import cache_remote_file
    from loket.vendors import pipeline
    from loket.vendors.tasks import process_job

    job = _submit(client, municipality, _page(pages, "voorbeeld-budget.html"), BUDGET)
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "_copy_links", lambda job, submission: None)  # killed right after the commit
        assert pipeline.job_run(job_id=job.pk) == "success"
    (link,) = Submission.objects.get().files.filter(kind="link")
    assert link.cache_status == "pending"
    (row,) = DBTaskResult.objects.filter(task_path=process_job.module_path)
    copies = DBTaskResult.objects.filter(task_path=cache_remote_file.module_path)

    def killed(minutes_ago: int) -> None:
        DBTaskResult.objects.filter(pk=row.pk).update(
            status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=minutes_ago)
        )
        out = io.StringIO()
        call_command("recover", "--older-than", "600", stdout=out)

    killed(minutes_ago=2)  # the job's task may still be copying it
    assert not copies.exists()
    killed(minutes_ago=60)
    assert [copy.args_kwargs["kwargs"] for copy in copies] == [{"file_id": link.pk}]
    run_worker()
    link.refresh_from_db()
    assert (link.cache_status, link.cache_attempts) == ("done", 1)
