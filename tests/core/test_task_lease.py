"""The task lease (LOKET_TASK_LEASE, 300 s): a task a killed worker left RUNNING past it is taken up again by
`manage.py recover` / `manage.py worker`. Regression: before, the worker's start-up recovery only looked at tasks
older than 15 minutes, so a worker restarted right after a kill left the interrupted work alone, and an e-mail or
an open-data dump a killed worker was running was never run again at all (no module recovered them)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.core.tasks import send_email
from loket.opendata.tasks import regenerate_dump

pytestmark = pytest.mark.django_db(transaction=True)


def claimed(result, *, seconds_ago: int) -> DBTaskResult:  # type: ignore[no-untyped-def]
    row = DBTaskResult.objects.get(pk=result.id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    return row


def test_a_mail_and_a_dump_left_running_past_the_lease_run_again_with_the_same_arguments(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_TASK_LEASE = 300
    mail = claimed(send_email.enqueue(to=["a@example.org"], subject="s", body="b"), seconds_ago=301)
    dump = claimed(regenerate_dump.enqueue(dataset="codelijsten"), seconds_ago=400)
    call_command("recover", stdout=open("/dev/null", "w"))
    for row, path in ((mail, send_email.module_path), (dump, regenerate_dump.module_path)):
        row.refresh_from_db()
        assert row.status == TaskResultStatus.FAILED
        assert row.exception_class_path.endswith("WorkerLost")
        again = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY)
        assert [r.args_kwargs["kwargs"] for r in again] == [row.args_kwargs["kwargs"]]
    # A second recovery does not enqueue them again.
    call_command("recover", stdout=open("/dev/null", "w"))
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2


def test_a_killed_dump_already_queued_again_is_not_queued_twice(settings):  # type: ignore[no-untyped-def]
    """A change after the kill queued the same dump (opendata.tasks.schedule_refresh): that waiting run covers the
    interrupted one; a second would rebuild the same files for nothing (9 s of CPU for the submissions)."""
    settings.LOKET_TASK_LEASE = 300
    killed = claimed(regenerate_dump.enqueue(dataset="codelijsten"), seconds_ago=400)
    regenerate_dump.enqueue(dataset="codelijsten")
    regenerate_dump.enqueue(dataset="organisaties")
    call_command("recover", stdout=open("/dev/null", "w"))
    killed.refresh_from_db()
    assert killed.status == TaskResultStatus.FAILED and killed.exception_class_path.endswith("WorkerLost")
    waiting = DBTaskResult.objects.filter(task_path=regenerate_dump.module_path, status=TaskResultStatus.READY)
    assert sorted(r.args_kwargs["kwargs"]["dataset"] for r in waiting) == ["codelijsten", "organisaties"]


def test_a_killed_mail_is_sent_again_even_when_an_equal_mail_waits(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_TASK_LEASE = 300
    mail = {"to": ["a@example.org"], "subject": "Herinnering", "body": "b"}
    claimed(send_email.enqueue(**mail), seconds_ago=400)
    send_email.enqueue(**mail)
    call_command("recover", stdout=open("/dev/null", "w"))
    assert DBTaskResult.objects.filter(task_path=send_email.module_path, status=TaskResultStatus.READY).count() == 2


def test_a_task_within_its_lease_is_left_to_its_worker(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_TASK_LEASE = 300
    mail = claimed(send_email.enqueue(to=["a@example.org"], subject="s", body="b"), seconds_ago=200)
    call_command("recover", stdout=open("/dev/null", "w"))
    mail.refresh_from_db()
    assert mail.status == TaskResultStatus.RUNNING
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def _orphan(dataset: str, when, kind: str = "nt") -> str:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    return default_storage.save(f"opendata/{dataset}/{when:%Y%m%dT%H%M%S%f}-{dataset}.{kind}.gz", ContentFile(b"half"))


def test_the_rerun_of_a_killed_dump_removes_the_file_its_row_never_named(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Regression (the fault rig, CI of 2026-12-05): a worker killed between storing a dump file and committing its
    Dump row left an orphaned file in the storage for ever. The next dump of that dataset removes older files that
    no row names, keeps the ones rows name, and leaves a file started after it alone (another run's)."""
    from django.core.files.storage import default_storage

    from loket.opendata.models import Dump

    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    left = _orphan("codelijsten", timezone.now() - timedelta(seconds=5))
    later = _orphan("codelijsten", timezone.now() + timedelta(hours=1))
    other = _orphan("organisaties", timezone.now() - timedelta(seconds=5))
    message = regenerate_dump.call(dataset="codelijsten")
    assert "1 orphaned file(s) removed" in message
    assert not default_storage.exists(left)
    assert default_storage.exists(later) and default_storage.exists(other)
    named = list(Dump.objects.filter(dataset="codelijsten").values_list("storage_name", flat=True))
    assert len(named) == 2 and all(default_storage.exists(name) for name in named)


def test_a_dump_leaves_orphans_alone_while_another_dump_of_the_dataset_runs(settings, tmp_path):  # type: ignore[no-untyped-def]
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    in_flight = _orphan("codelijsten", timezone.now() - timedelta(seconds=5))
    claimed(regenerate_dump.enqueue(dataset="codelijsten"), seconds_ago=10)  # still running somewhere else
    claimed(regenerate_dump.enqueue(dataset="codelijsten"), seconds_ago=1)  # this run, as the worker marks it
    message = regenerate_dump.call(dataset="codelijsten")
    assert "orphaned" not in message
    assert default_storage.exists(in_flight)
