"""The storage quota under concurrent uploads (core.quota): callers at the same moment, each on its own database
connection, cannot together slip past the bound; on PostgreSQL (advisory locks) and SQLite (the write lock taken at
BEGIN IMMEDIATE)."""

import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from loket.core.files import PDF, store_upload
from loket.core.models import AuditEvent
from loket.core.quota import QuotaExceeded, Uploader
from loket.core.quota_models import QuotaCharge

CALLERS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_store_no_more_than_the_quota(municipality, clerk, settings, tmp_path: Path, fresh_throttle):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_UPLOAD_QUOTA_FILES = 2
    barrier = threading.Barrier(CALLERS)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def upload(number: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():  # as Toezicht's save: the charge lives in the caller's transaction
                try:
                    store_upload(
                        SimpleUploadedFile(f"{number}.pdf", b"%PDF-1.7\n" + bytes([number]) * 100),
                        allowed={PDF},
                        max_bytes=10_000,
                        prefix="race",
                        uploader=Uploader(municipality, clerk),
                    )
                    outcomes.append("stored")
                except QuotaExceeded:  # the save goes on without the file, and commits
                    outcomes.append("refused")
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["refused"] * (CALLERS - 2) + ["stored"] * 2
    assert QuotaCharge.objects.filter(organisation=municipality).count() == 2
    assert len([path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]) == 2
    assert AuditEvent.objects.filter(action="core.quota_exceeded").count() == CALLERS - 2
    assert AuditEvent.objects.filter(action="security.alert").count() == 1
