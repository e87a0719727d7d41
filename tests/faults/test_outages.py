"""Issue 18, item 1, the outage line: "SMTP, the SFTP/S3 target or the timestamp authority down: sending goes on, the
dependent job retries and says why". Each test stops the real server (aiosmtpd, OpenSSH's sftp, moto's S3 server,
the loopback RFC 3161 authority), sends the way a user does, sees the sending succeed and the dependent job wait with
its reason, starts the server again on the same port and sees the job finish exactly once (the real worker,
django-tasks-db's db_worker)."""

import hashlib
import threading
from datetime import timedelta
from http.server import HTTPServer

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.core.ledger import ledger_verify
from loket.core.models import LedgerEntry
from loket.core.tasks import stamp_ledger_entry
from loket.messaging.models import Message, Notification
from loket.messaging.services import ConversationDraft, attachments_store, conversation_start, message_reply
from loket.reports import delivery
from loket.reports.models import Report
from loket.reports.services import report_send
from tests.core.conftest import _handler, make_authority_files
from tests.messaging.conftest import PDF_BYTES, pdf
from tests.reports.conftest import bbcdr_settings  # noqa: F401 - autouse: the test taxonomy and schema
from tests.support.smtp import CollectingHandler, _free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_connections():  # type: ignore[no-untyped-def]
    delivery.forget_connections()
    yield
    delivery.forget_connections()


def _waiting(path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY))


def _later(minutes: int = 120):  # type: ignore[no-untyped-def]
    """The retry's time has come (every back-off here is shorter)."""
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes))


def test_smtp_down_a_reply_is_sent_and_its_mail_waits_saying_why_then_arrives_once(
    settings,
    run_worker,
    agency_staff,
    message_clerk,
    municipality,
    uploader,
):  # type: ignore[no-untyped-def]
    handler = CollectingHandler()
    port = _free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    conversation = conversation_start(
        actor=agency_staff,
        organisation=municipality,
        draft=ConversationDraft(
            dossier_number="KB/2026/18",
            subject="Opvraging",
            kind="Opvraging",
            handler_email="behandelaar@abb.example",
        ),
        blobs=attachments_store([pdf()], uploader=uploader),
    )
    smtp.stop()  # the mail server goes down
    message_reply(
        actor=message_clerk,
        conversation=conversation,
        text="Hierbij ons antwoord.",
        blobs=attachments_store([pdf("antwoord.pdf", PDF_BYTES + b"a")], uploader=uploader),
    )
    run_worker()
    reply = Message.objects.get(from_agency=False)
    assert reply.delivered_entry is not None  # the sending went on: delivered, with its register entry
    notification = Notification.objects.get(message=reply)
    assert (notification.sent_at, notification.attempts) == (None, 1)
    assert "refused" in notification.last_error.lower()  # says why
    assert _waiting("loket.messaging.tasks.send_notification")  # and waits for its next attempt
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()  # back
    try:
        with _later():
            run_worker()
            run_worker()  # nothing is sent twice
    finally:
        smtp.stop()
    notification.refresh_from_db()
    assert notification.sent_at is not None
    mails_to_handler = [mail for mail in handler.received if mail.rcpt_tos == ("behandelaar@abb.example",)]
    assert len(mails_to_handler) == 1


def _sent_report(report, clerk) -> Report:  # type: ignore[no-untyped-def]
    sent = report_send(actor=clerk, report=report)
    assert sent.status == Report.Status.SENT and sent.sent_entry is not None
    return sent


def test_sftp_target_down_a_report_is_sent_and_its_delivery_waits_saying_why_then_arrives_once(
    settings,
    run_worker,
    sftp_server,
    checked_report,
    bbcdr_clerk,
):  # type: ignore[no-untyped-def]
    sftp_server.configure(settings)
    sftp_server.stop()
    sent = _sent_report(checked_report, bbcdr_clerk)  # the sending goes on
    run_worker()
    waiting = Report.objects.get(pk=sent.pk)
    assert waiting.package_sha256  # packaged
    assert (waiting.delivery_status, waiting.delivery_attempts) == (Report.Delivery.FAILED, 1)
    assert "niet bereikbaar" in waiting.delivery_error  # says why
    assert _waiting("loket.reports.tasks.deliver_report")
    sftp_server.start()
    with _later():
        run_worker()
        run_worker()
    done = Report.objects.get(pk=sent.pk)
    assert (done.delivery_status, done.delivery_error) == (Report.Delivery.DELIVERED, "")
    assert sftp_server.files() == [done.package_name]  # once, whole, no partial file
    arrived = (sftp_server.target_dir / done.package_name).read_bytes()
    assert hashlib.sha256(arrived).hexdigest() == done.package_sha256
    assert ledger_verify().ok


def test_s3_target_down_a_report_is_sent_and_its_delivery_waits_saying_why_then_arrives_once(
    settings,
    run_worker,
    s3_outage_server,
    checked_report,
    bbcdr_clerk,
):  # type: ignore[no-untyped-def]
    s3_outage_server.stop()
    sent = _sent_report(checked_report, bbcdr_clerk)
    run_worker()
    waiting = Report.objects.get(pk=sent.pk)
    assert (waiting.delivery_status, waiting.delivery_attempts) == (Report.Delivery.FAILED, 1)
    assert "niet bereikbaar" in waiting.delivery_error
    assert _waiting("loket.reports.tasks.deliver_report")
    s3_outage_server.start()
    with _later():
        run_worker()
        run_worker()
    done = Report.objects.get(pk=sent.pk)
    assert done.delivery_status == Report.Delivery.DELIVERED
    listing = s3_outage_server.client.list_objects_v2(Bucket="mft-bbcdr")["Contents"]
    assert [item["Key"] for item in listing] == [f"inkomend/{done.package_name}"]
    stored = s3_outage_server.client.get_object(Bucket="mft-bbcdr", Key=f"inkomend/{done.package_name}")
    assert hashlib.sha256(stored["Body"].read()).hexdigest() == done.package_sha256


class _Authority:
    """The loopback RFC 3161 authority of tests/core, one that can be stopped and started on the same port."""

    def __init__(self, directory) -> None:  # type: ignore[no-untyped-def]
        directory.mkdir()
        make_authority_files(directory)
        self.directory, self.requests = directory, []
        self.port = _free_port()
        self.start()

    def start(self) -> None:
        self.server = HTTPServer(("127.0.0.1", self.port), _handler(self.directory, self.requests))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_timestamp_authority_down_a_report_is_sent_and_its_stamp_waits_saying_why_then_is_added_once(
    settings,
    run_worker,
    tmp_path,
    checked_report,
    bbcdr_clerk,
):  # type: ignore[no-untyped-def]
    authority = _Authority(tmp_path / "tsa")
    settings.LOKET_TSA_URL = f"http://127.0.0.1:{authority.port}/tsa"
    settings.LOKET_TSA_CA_FILE = str(authority.directory / "ca.pem")
    settings.LOKET_BBCDR_TARGET = f"file://{tmp_path / 'mft'}"
    authority.stop()
    try:
        sent = _sent_report(checked_report, bbcdr_clerk)  # the sending goes on, its entry without a timestamp
        entry = LedgerEntry.objects.get(pk=sent.sent_entry_id)
        assert entry.timestamp_token is None
        run_worker()
        attempts = DBTaskResult.objects.filter(task_path=stamp_ledger_entry.module_path)
        said = [row.return_value for row in attempts if row.status == TaskResultStatus.SUCCESSFUL]
        assert said and all("niet bereikbaar" in reason and "opnieuw over" in reason for reason in said)  # why
        assert _waiting(stamp_ledger_entry.module_path)
        assert Report.objects.get(pk=sent.pk).delivery_status == Report.Delivery.DELIVERED  # not held up either
        authority.start()
        with _later(minutes=24 * 60):
            run_worker()
            run_worker()
    finally:
        authority.stop()
    stamped = LedgerEntry.objects.get(pk=entry.pk)
    assert stamped.timestamp_token is not None and stamped.entry_hash == entry.entry_hash
    assert not _waiting(stamp_ledger_entry.module_path)
    entries = LedgerEntry.objects.count()  # the sending and the delivery, both appended while it was down
    assert all(row.timestamp_token is not None for row in LedgerEntry.objects.all())
    assert len(authority.requests) == entries  # each asked for once, once it was back
    assert ledger_verify().ok
