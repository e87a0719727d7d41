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


def test_a_task_within_its_lease_is_left_to_its_worker(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_TASK_LEASE = 300
    mail = claimed(send_email.enqueue(to=["a@example.org"], subject="s", body="b"), seconds_ago=200)
    call_command("recover", stdout=open("/dev/null", "w"))
    mail.refresh_from_db()
    assert mail.status == TaskResultStatus.RUNNING
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
