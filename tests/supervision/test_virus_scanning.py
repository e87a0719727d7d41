"""An infected file uploaded on the Toezicht page is refused with the signature named, nothing of it is kept, and
the audit trail names the clerk (real clamd, tests/support/clamd.py)."""

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.core.models import AuditEvent
from loket.supervision.models import SubmissionFile
from loket.supervision.services import submission_create
from loket.supervision.tasks import cache_remote_file
from tests.core.fetch_support import LocalServer, serve
from tests.supervision.conftest import BESLUITENLIJST
from tests.supervision.test_links import send_with_link
from tests.supervision.test_uploads import post_upload, stored_files
from tests.support.clamd import SIGNATURE_NAME, eicar

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept(db, clerk, municipality, document_types, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)


@pytest.fixture
def local_server(settings) -> LocalServer:  # type: ignore[no-untyped-def]
    settings.LOKET_ALLOW_PRIVATE_FETCH = ["127.0.0.1"]
    with serve() as server:
        yield server


def test_eicar_renamed_pdf_is_refused_on_the_toezicht_page(client, clerk, concept, settings, clamd):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = post_upload(client, concept, "besluit.pdf", b"%PDF-1.4\n" + eicar() + b"\n%%EOF\n")
    body = response.content.decode()
    assert response.status_code in (200, 400), response.status_code
    assert SIGNATURE_NAME in body and "virus" in body
    assert not SubmissionFile.objects.exists() and stored_files(settings) == []
    event = AuditEvent.objects.get(action="core.virus_found")
    assert event.actor == clerk and event.details["bron"] == "upload"


def test_a_clean_pdf_is_kept_on_the_toezicht_page(client, clerk, concept, settings, clamd):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    post_upload(client, concept, "besluit.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    assert SubmissionFile.objects.count() == 1 and len(stored_files(settings)) == 1
    assert not AuditEvent.objects.filter(action="core.virus_found").exists()


def test_an_infected_linked_decision_is_not_kept_and_is_audited(  # type: ignore[no-untyped-def]
    db, clerk, municipality, document_types, local_server, run_worker, clamd, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sent = send_with_link(clerk, municipality, document_types, local_server.url("/eicar/besluitenlijst.pdf"))
    run_worker()
    link = sent.files.get()
    assert (link.cache_status, link.storage_name) == ("failed", "")
    assert SIGNATURE_NAME in link.cache_error
    event = AuditEvent.objects.get(action="core.virus_found")
    assert event.details["bron"] == "download" and event.details["signature"] == SIGNATURE_NAME
    assert stored_files(settings) == []


def test_a_linked_decision_waits_while_clamd_is_stopped_and_is_kept_once_it_is_back(  # type: ignore[no-untyped-def]
    db, clerk, municipality, document_types, local_server, run_worker, clamd, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    running = settings.LOKET_CLAMD_SOCKET
    settings.LOKET_CLAMD_SOCKET = str(tmp_path / "gestopt.sock")  # no clamd listens there
    sent = send_with_link(clerk, municipality, document_types, local_server.url("/small/besluitenlijst.pdf"))
    run_worker()
    link = sent.files.get()
    assert (link.cache_status, link.storage_name) == ("pending", "")
    assert "virusscanner is tijdelijk niet bereikbaar" in link.cache_error
    retry = DBTaskResult.objects.get(task_path=cache_remote_file.module_path, status=TaskResultStatus.READY)
    settings.LOKET_CLAMD_SOCKET = running  # clamd is back
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    link.refresh_from_db()
    assert link.cache_status == "done" and len(stored_files(settings)) == 1
