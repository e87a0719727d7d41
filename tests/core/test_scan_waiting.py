"""The kernel of "wacht op virusscan" (core.scanwait): the register refuses a send whose file waits, and a scan a
killed worker left RUNNING (or a waiting file without any scan queued) is taken up by `manage.py recover`."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.core.files import PDF, store_upload
from loket.core.ledger import KIND_DELIVERED, KIND_SENT, LedgerError, SentFile, ledger_append
from loket.core.ledger_models import LedgerEntry
from loket.core.models import PendingScan
from loket.core.scanwait import ScanPending, waiting_names
from loket.core.tasks import rescan_upload

ORG = "http://data.lblod.info/id/bestuurseenheden/aalst"
WAITING_HASH = "ab" * 32
WAITING = SentFile("toezicht/x/besluit.pdf", "besluit.pdf", WAITING_HASH)
SCANNED = SentFile("berichten/y/besluit.pdf", "besluit.pdf", WAITING_HASH)  # the same bytes, another upload: scanned
OTHER = SentFile("berichten/z/bijlage.pdf", "bijlage.pdf", "ef" * 32)


def _append(kind: str, stored_files: list[SentFile], listed: list[SentFile] | None = None) -> LedgerEntry:
    """An entry that lists `listed` (by default the files it names in `stored_files`) as "<uri> <sha256>"."""
    listed = stored_files if listed is None else listed
    with transaction.atomic():
        return ledger_append(
            kind=kind,
            subject_uri="http://data.lblod.info/submissions/1",
            organisation_uri=ORG,
            actor_label="Rita Roles",
            content_hash="cd" * 32,
            payload={"files": [f"http://data.lblod.info/files/{n} {file.sha256}" for n, file in enumerate(listed)]},
            stored_files=stored_files,
        )


@pytest.mark.django_db
def test_the_register_refuses_a_send_whose_own_upload_waits_for_the_scan_and_writes_nothing():  # type: ignore[no-untyped-def]
    PendingScan.objects.create(
        storage_name=WAITING[0], sha256=WAITING_HASH, file_name="besluit.pdf", created_at=timezone.now()
    )
    with pytest.raises(ScanPending) as refused:
        _append(KIND_SENT, [OTHER, WAITING])
    assert str(refused.value.message).startswith("besluit.pdf wacht nog op de virusscan")
    assert not LedgerEntry.objects.exists()
    # identical bytes kept under another name were scanned when they came in: they are sent (the page says so too)
    assert waiting_names([SCANNED[0], WAITING[0]]) == {WAITING[0]}
    assert _append(KIND_SENT, [SCANNED]).position == 1
    assert _append(KIND_DELIVERED, [WAITING]).position == 2  # not a send


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stored_files",
    [[], [OTHER], [WAITING, OTHER, SCANNED], [OTHER, OTHER]],
    ids=["forgotten", "another-file", "one-too-many", "the-wrong-one-twice"],
)
def test_a_send_whose_named_uploads_are_not_the_files_it_lists_is_refused(stored_files):  # type: ignore[no-untyped-def]
    """A module that forgets or mistakes the uploads it sends would skip the scan rule for them: refused, whether
    or not a file waits, so that every module's own send tests fail on it."""
    with pytest.raises(LedgerError, match="stored_files"):
        _append(KIND_SENT, stored_files, listed=[WAITING, OTHER])
    assert not LedgerEntry.objects.exists()
    assert _append(KIND_SENT, [OTHER, WAITING], listed=[WAITING, OTHER]).position == 1  # the order does not matter
    with pytest.raises(LedgerError, match="stored_files"):  # a send without files names none
        _append(KIND_SENT, [OTHER], listed=[])


@pytest.mark.django_db(transaction=True)
def test_a_scan_a_killed_worker_left_running_is_queued_again_and_done(
    uploader,  # type: ignore[no-untyped-def]
    own_clamd,
    settings,
    tmp_path,
    keep_test_connection,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_TASK_LEASE = 300
    own_clamd.stop()
    store_upload(
        SimpleUploadedFile("besluit.pdf", b"%PDF-1.4\nniets\n"),
        allowed={PDF},
        max_bytes=10**6,
        prefix="t",
        uploader=uploader,
    )
    task = DBTaskResult.objects.get(task_path=rescan_upload.module_path)
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(seconds=301)
    )
    call_command("recover", stdout=open("/dev/null", "w"))
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path.endswith("WorkerLost")
    again = DBTaskResult.objects.get(task_path=rescan_upload.module_path, status=TaskResultStatus.READY)
    assert again.args_kwargs["kwargs"] == {"pending_id": PendingScan.objects.get().pk}
    call_command("recover", stdout=open("/dev/null", "w"))  # a live task: nothing queued twice
    # (the scan's task only: the body the upload is charged to queued the open data's refresh when it was made)
    assert DBTaskResult.objects.filter(task_path=rescan_upload.module_path, status=TaskResultStatus.READY).count() == 1

    DBTaskResult.objects.all().delete()  # a waiting file without any scan queued at all
    call_command("recover", stdout=open("/dev/null", "w"))
    assert DBTaskResult.objects.filter(task_path=rescan_upload.module_path, status=TaskResultStatus.READY).count() == 1
    own_clamd.start()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert not PendingScan.objects.exists()
