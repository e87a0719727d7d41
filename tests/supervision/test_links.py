"""Links to a published decision: after sending, the worker keeps a cached copy (with its SHA-256); a link that
fails says why in Dutch, a passing fault is retried with backoff, and work a killed worker left is resumed."""

import hashlib
import io
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission
from loket.supervision.services import submission_create, submission_deliver, submission_send, submission_update
from loket.supervision.tasks import MAX_CACHE_ATTEMPTS, cache_remote_file, deliver_submission
from tests.core.fetch_support import SMALL_BODY, LocalServer, serve
from tests.supervision.conftest import BESLUITENLIJST, name_of

_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture
def local_server(settings) -> LocalServer:  # type: ignore[no-untyped-def]
    settings.LOKET_ALLOW_PRIVATE_FETCH = ["127.0.0.1"]
    with serve() as server:
        yield server


@pytest.fixture
def unknown_host(monkeypatch):  # type: ignore[no-untyped-def]
    """`weg.example.test` does not exist (an answer from DNS, not a network outage); other names resolve."""

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "weg.example.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return _real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def send_with_link(clerk, municipality, document_types, url: str) -> Submission:  # type: ignore[no-untyped-def]
    concept = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    outcome = submission_update(
        submission=concept,
        actor=clerk,
        data={
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "governingBody"): council.uri,
            name_of(concept, "sessionDate"): "2026-10-14",
            name_of(concept, "links"): url,
        },
    )
    assert outcome.valid, outcome.errors
    return submission_send(submission=concept, actor=clerk)


def cache_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=cache_remote_file.module_path).order_by("enqueued_at"))


def test_a_link_that_does_not_resolve_is_sent_and_the_copy_says_why(
    db, clerk, municipality, document_types, unknown_host, run_worker
):  # type: ignore[no-untyped-def]
    sent = send_with_link(clerk, municipality, document_types, "https://weg.example.test/besluitenlijst.pdf")
    assert sent.status == Submission.Status.SENT
    run_worker()
    link = sent.files.get()
    assert (link.kind, link.cache_status, link.cache_attempts, link.cache_error, link.storage_name) == (
        "link",
        "failed",
        1,
        "Het adres weg.example.test bestaat niet.",
        "",
    )
    sent.refresh_from_db()
    assert sent.delivered_at is not None  # a failed copy never holds up delivery


def test_why_a_copy_failed_is_said_in_the_language_of_the_page(
    db, client, clerk, municipality, document_types, unknown_host, run_worker
):  # type: ignore[no-untyped-def]
    sent = send_with_link(clerk, municipality, document_types, "https://weg.example.test/besluitenlijst.pdf")
    run_worker()  # the worker words it in Dutch; the page words it again
    client.force_login(clerk)
    page = client.get(f"/toezicht/{sent.uuid}/").content.decode()
    assert "kopie: ophalen mislukt (Het adres weg.example.test bestaat niet.)" in page
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    page = client.get(f"/toezicht/{sent.uuid}/").content.decode()
    assert "copy: retrieval failed (The address weg.example.test does not exist.)" in page


def test_a_link_on_an_allowed_local_server_is_cached_and_downloadable(
    db, client, clerk, helpdesk, municipality, document_types, local_server, run_worker
):  # type: ignore[no-untyped-def]
    sent = send_with_link(clerk, municipality, document_types, local_server.url("/small/besluitenlijst.pdf"))
    run_worker()
    link = sent.files.get()
    assert (link.cache_status, link.cache_attempts, link.cache_error) == ("done", 1, "")
    assert (link.sha256, link.size, link.content_type) == (
        hashlib.sha256(SMALL_BODY).hexdigest(),
        len(SMALL_BODY),
        "application/pdf",
    )
    assert link.original_name == "besluitenlijst.pdf"
    client.force_login(clerk)
    download = client.get(f"/toezicht/{sent.uuid}/bestanden/{link.uuid}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == SMALL_BODY
    assert download["Content-Type"] == "application/pdf"
    page = client.get(f"/toezicht/{sent.uuid}/").content.decode()
    assert f"SHA-256 <code>{link.sha256[:19]}…</code>" in page and "kopie: opgehaald" in page
    client.force_login(helpdesk)
    download = client.get(f"/toezichthouder/inzendingen/{sent.uuid}/bestanden/{link.uuid}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == SMALL_BODY


def test_an_unavailable_server_is_retried_with_backoff_then_the_copy_fails(
    db, clerk, municipality, document_types, local_server, run_worker
):  # type: ignore[no-untyped-def]
    sent = send_with_link(clerk, municipality, document_types, local_server.url("/status/503"))
    for attempt in range(1, MAX_CACHE_ATTEMPTS):
        before = timezone.now()
        run_worker()  # runs what is due; the retry waits for its run_after
        link = sent.files.get()
        assert (link.cache_status, link.cache_attempts) == ("pending", attempt)
        assert link.cache_error == "De server antwoordde met foutcode 503."
        waiting = DBTaskResult.objects.ready()
        assert not waiting.exists()
        retry = DBTaskResult.objects.get(task_path=cache_remote_file.module_path, status=TaskResultStatus.READY)
        bound = min(300.0, 2.0 * 2 ** (attempt - 1))
        assert before + timedelta(seconds=bound / 10) <= retry.run_after <= timezone.now() + timedelta(seconds=bound)
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # the wait is over
    run_worker()
    link = sent.files.get()
    assert (link.cache_status, link.cache_attempts) == ("failed", MAX_CACHE_ATTEMPTS)
    assert link.cache_error == "De server antwoordde met foutcode 503."
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert len([path for path in local_server.requests if path.path == "/status/503"]) == MAX_CACHE_ATTEMPTS


def test_private_addresses_are_refused_unless_allowed(db, clerk, municipality, document_types, settings, run_worker):  # type: ignore[no-untyped-def]
    settings.LOKET_ALLOW_PRIVATE_FETCH = []
    with serve() as server:
        sent = send_with_link(clerk, municipality, document_types, server.url("/small/besluit.pdf"))
        run_worker()
        assert server.requests == []
    link = sent.files.get()
    assert (link.cache_status, link.cache_error, link.storage_name) == (
        "failed",
        "Het adres 127.0.0.1 verwijst naar een intern netwerk en wordt niet opgehaald.",
        "",
    )


# A worker that dies ---------------------------------------------------------------------------------------------


def kill_worker_mid_task(task_result: DBTaskResult, minutes_ago: int) -> None:
    """What a killed db_worker leaves: its task claimed (RUNNING) and never finished."""
    DBTaskResult.objects.filter(pk=task_result.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        worker_ids=["killed-worker"],
    )


def test_resume_picks_up_a_download_a_killed_worker_left(
    db, clerk, municipality, document_types, local_server, run_worker
):  # type: ignore[no-untyped-def]
    sent = send_with_link(clerk, municipality, document_types, local_server.url("/small/besluit.pdf"))
    assert cache_tasks() == []  # the delivery copies the link after delivering: one task per send
    (stuck,) = DBTaskResult.objects.filter(task_path=deliver_submission.module_path)
    kill_worker_mid_task(stuck, minutes_ago=60)
    run_worker()
    assert sent.files.get().cache_status == "pending"  # the worker alone never looks at RUNNING rows again

    out = io.StringIO()
    call_command("recover", "--older-than", "600", stdout=out)
    assert (  # the delivery queued again copies the link too: no task of its own for it
        "toezicht: 1 vastgelopen taak/taken afgesloten; opnieuw ingepland: 0 kopie(ën) van links, 1 aflevering(en)."
        in out.getvalue().splitlines()
    )
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.FAILED and stuck.finished_at is not None
    run_worker()

    link = sent.files.get()
    assert (link.cache_status, link.sha256) == ("done", hashlib.sha256(SMALL_BODY).hexdigest())
    sent.refresh_from_db()
    assert sent.delivered_at is not None
    assert not DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists()
    out = io.StringIO()
    call_command("recover", stdout=out)  # nothing left: running it again changes nothing
    assert "toezicht: 0 vastgelopen taak/taken afgesloten; opnieuw ingepland: 0 kopie(ën)" in out.getvalue()


def test_resume_copies_the_link_of_a_delivery_whose_worker_died_after_delivering(
    db, clerk, municipality, document_types, local_server, run_worker
):  # type: ignore[no-untyped-def]
    """The delivery committed, then the worker died while copying the link: the link alone is queued again."""
    sent = send_with_link(clerk, municipality, document_types, local_server.url("/small/besluit.pdf"))
    (stuck,) = DBTaskResult.objects.filter(task_path=deliver_submission.module_path)
    submission_deliver(submission_id=sent.pk)  # what the killed worker's task had done
    kill_worker_mid_task(stuck, minutes_ago=60)
    out = io.StringIO()
    call_command("recover", "--older-than", "600", stdout=out)
    assert (
        "toezicht: 1 vastgelopen taak/taken afgesloten; opnieuw ingepland: 1 kopie(ën) van links, 0 aflevering(en)."
        in out.getvalue().splitlines()
    )
    assert [task.args_kwargs["kwargs"] for task in cache_tasks()] == [{"file_id": sent.files.get().pk}]
    run_worker()
    link = sent.files.get()
    assert (link.cache_status, link.cache_attempts, link.sha256) == ("done", 1, hashlib.sha256(SMALL_BODY).hexdigest())
    sent.refresh_from_db()
    assert sent.delivered_entry.payload == {"sent_position": sent.sent_entry.position}  # delivered once


def test_the_partial_file_of_a_worker_killed_while_writing_the_copy_is_replaced_by_one_whole_copy(
    db, clerk, municipality, document_types, local_server, run_worker, settings
):  # type: ignore[no-untyped-def]
    """A worker killed while writing the copy (a window of the worker-kill rig, tests/faults) leaves part of a file
    under the link's name; the run that resumed it stored its copy beside it under another name, an orphan."""
    from pathlib import Path

    sent = send_with_link(clerk, municipality, document_types, local_server.url("/small/besluit.pdf"))
    link = sent.files.get()
    folder = Path(settings.MEDIA_ROOT) / "submissions" / str(sent.uuid) / "links" / str(link.uuid)
    folder.mkdir(parents=True)
    (folder / "besluit.pdf").write_bytes(SMALL_BODY[:100])  # what the killed worker wrote
    run_worker()
    link.refresh_from_db()
    assert link.cache_status == "done"
    assert [path.name for path in folder.iterdir()] == [Path(link.storage_name).name]
    assert hashlib.sha256((folder / Path(link.storage_name).name).read_bytes()).hexdigest() == link.sha256


def test_resume_leaves_waiting_and_recently_started_tasks_alone(db, clerk, municipality, document_types, local_server):  # type: ignore[no-untyped-def]
    send_with_link(clerk, municipality, document_types, local_server.url("/small/a.pdf"))  # its delivery waits
    second = send_with_link(clerk, municipality, document_types, local_server.url("/small/b.pdf"))
    deliveries = DBTaskResult.objects.filter(task_path=deliver_submission.module_path)
    recent = next(t for t in deliveries if t.args_kwargs["kwargs"]["submission_id"] == second.pk)
    kill_worker_mid_task(recent, minutes_ago=2)  # probably still busy (copying the link): another worker may be on it
    before = set(DBTaskResult.objects.values_list("pk", "status"))
    out = io.StringIO()
    call_command("recover", "--older-than", "600", stdout=out)
    assert "toezicht: 0 vastgelopen taak/taken afgesloten; opnieuw ingepland: 0 kopie(ën)" in out.getvalue()
    assert set(DBTaskResult.objects.values_list("pk", "status")) == before


def test_worker_command_resumes_then_runs_the_queue(
    db, keep_test_connection, clerk, municipality, document_types, local_server
):  # type: ignore[no-untyped-def]
    sent = send_with_link(clerk, municipality, document_types, local_server.url("/small/besluit.pdf"))
    (stuck,) = DBTaskResult.objects.filter(task_path=deliver_submission.module_path)
    kill_worker_mid_task(stuck, minutes_ago=60)
    call_command("worker", "--batch", "--older-than", "600", verbosity=0, stdout=io.StringIO())
    assert sent.files.get().cache_status == "done"
    sent.refresh_from_db()
    assert sent.delivered_at is not None
