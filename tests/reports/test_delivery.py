"""Delivery to a real SFTP server (OpenSSH on loopback, host key pinned) and a real S3-compatible server (moto in
server mode): the same bytes arrive (SHA-256), the receiver never sees a partial file, failures are retried with a
growing delay and shown, and the delivery is the report's second register entry."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.utils import timezone

from loket.core import signing
from loket.core.ledger import canonical_json, ledger_verify
from loket.core.models import AuditEvent
from loket.core.receipts import receipt_verify
from loket.reports import delivery
from loket.reports.models import Report
from loket.reports.receipts import report_receipt
from loket.reports.recovery import recover_reports
from loket.reports.services import backoff_seconds, report_deliver, report_offer_again, report_package

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_connections():  # type: ignore[no-untyped-def]
    delivery.forget_connections()
    yield
    delivery.forget_connections()


def _packaged(sent_report) -> Report:  # type: ignore[no-untyped-def]
    return report_package(report_id=sent_report.pk)


def _package_sha(report: Report) -> str:
    with default_storage.open(report.package_storage_name, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def test_delivered_over_sftp_byte_for_byte_with_a_second_register_entry(sent_report, sftp_server, settings):  # type: ignore[no-untyped-def]
    sftp_server.configure(settings)
    report = report_deliver(report_id=_packaged(sent_report).pk)
    assert report.delivery_status == Report.Delivery.DELIVERED
    assert sftp_server.files() == [report.package_name]  # no temporary file left
    arrived = (sftp_server.target_dir / report.package_name).read_bytes()
    assert hashlib.sha256(arrived).hexdigest() == report.package_sha256 == _package_sha(report)
    assert report.delivered_entry.kind == "delivered"
    assert report.delivered_entry.payload["package_sha256"] == report.package_sha256
    assert report.delivery_target.startswith("sftp://") and "127.0.0.1" in report.delivery_target
    receipt = report_receipt(report)
    assert receipt["delivered_at"] is not None
    assert receipt["package"] == {
        "name": report.package_name,
        "size": report.package_size,
        "sha256": report.package_sha256,
    }
    assert receipt_verify(receipt).ok
    forged = {**receipt, "package": {**receipt["package"], "sha256": "0" * 64}}
    forged["signature"] = signing.sign(canonical_json({k: v for k, v in forged.items() if k != "signature"}))
    assert not receipt_verify(forged).ok  # signed by us, but not the package the register says was delivered
    assert ledger_verify().ok


def test_delivered_to_s3_byte_for_byte(sent_report, s3_server):  # type: ignore[no-untyped-def]
    report = report_deliver(report_id=_packaged(sent_report).pk)
    assert report.delivery_status == Report.Delivery.DELIVERED
    stored = s3_server.get_object(Bucket="mft-bbcdr", Key=f"inkomend/{report.package_name}")["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == report.package_sha256
    keys = [item["Key"] for item in s3_server.list_objects_v2(Bucket="mft-bbcdr")["Contents"]]
    assert keys == [f"inkomend/{report.package_name}"]


def test_backoff_doubles_from_a_minute_to_an_hour():  # type: ignore[no-untyped-def]
    assert [backoff_seconds(n) for n in range(1, 10)] == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_target_down_is_retried_shown_and_delivered_once_it_is_back(sent_report, sftp_server, settings):  # type: ignore[no-untyped-def]
    sftp_server.configure(settings)
    packaged = _packaged(sent_report)
    sftp_server.stop()
    failed = report_deliver(report_id=packaged.pk)
    assert failed.delivery_status == Report.Delivery.FAILED
    assert failed.delivery_attempts == 1
    assert "niet bereikbaar" in failed.delivery_error
    assert timedelta(seconds=55) < failed.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    assert report_deliver(report_id=packaged.pk).delivery_attempts == 1  # not due yet: nothing tried
    with time_machine.travel(failed.next_attempt_at + timedelta(seconds=1)):
        again = report_deliver(report_id=packaged.pk)
        assert (again.delivery_status, again.delivery_attempts) == (Report.Delivery.FAILED, 2)
        assert timedelta(seconds=115) < again.next_attempt_at - timezone.now() <= timedelta(seconds=120)
    sftp_server.start()
    with time_machine.travel(again.next_attempt_at + timedelta(seconds=1)):
        done = report_deliver(report_id=packaged.pk)
    assert (done.delivery_status, done.delivery_attempts, done.delivery_error) == (Report.Delivery.DELIVERED, 3, "")
    assert sftp_server.files() == [done.package_name]


def test_after_the_last_attempt_it_is_final_and_the_helpdesk_can_offer_it_again(
    sent_report,
    sftp_server,
    settings,
    helpdesk,
):  # type: ignore[no-untyped-def]
    settings.LOKET_BBCDR_MAX_ATTEMPTS = 2
    sftp_server.configure(settings)
    packaged = _packaged(sent_report)
    sftp_server.stop()
    first = report_deliver(report_id=packaged.pk)
    with time_machine.travel(first.next_attempt_at + timedelta(seconds=1)):
        final = report_deliver(report_id=packaged.pk)
    assert (final.delivery_status, final.next_attempt_at) == (Report.Delivery.FAILED_FINAL, None)
    assert AuditEvent.objects.filter(action="bbcdr.delivery_failed").count() == 1
    assert report_deliver(report_id=packaged.pk).delivery_attempts == 2  # final: not tried again by itself
    sftp_server.start()
    report_offer_again(actor=helpdesk, report=final, reason="MFT weer bereikbaar")
    assert AuditEvent.objects.get(action="bbcdr.offered_again").details["reason"] == "MFT weer bereikbaar"
    done = report_deliver(report_id=packaged.pk)
    assert done.delivery_status == Report.Delivery.DELIVERED


def test_a_wrong_host_key_is_refused_and_nothing_is_sent(sent_report, sftp_server, settings, tmp_path):  # type: ignore[no-untyped-def]
    import subprocess

    sftp_server.configure(settings)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "other")], check=True)
    kind, key = (tmp_path / "other.pub").read_text().split()[:2]
    pinned = tmp_path / "known_hosts_wrong"
    pinned.write_text(f"[127.0.0.1]:{sftp_server.port} {kind} {key}\n")
    settings.LOKET_BBCDR_SFTP_KNOWN_HOSTS = str(pinned)
    failed = report_deliver(report_id=_packaged(sent_report).pk)
    assert failed.delivery_status == Report.Delivery.FAILED
    assert "is niet de vastgepinde sleutel" in failed.delivery_error
    assert sftp_server.files() == []


def test_an_unknown_host_key_is_refused(sent_report, sftp_server, settings, tmp_path):  # type: ignore[no-untyped-def]
    sftp_server.configure(settings)
    empty = tmp_path / "known_hosts_empty"
    empty.write_text("")
    settings.LOKET_BBCDR_SFTP_KNOWN_HOSTS = str(empty)
    failed = report_deliver(report_id=_packaged(sent_report).pk)
    assert "onbekende sleutel" in failed.delivery_error
    assert sftp_server.files() == []


def test_permission_denied_on_the_target_is_said(sent_report, readonly_sftp_server, settings):  # type: ignore[no-untyped-def]
    readonly_sftp_server.configure(settings)
    failed = report_deliver(report_id=_packaged(sent_report).pk)
    assert failed.delivery_status == Report.Delivery.FAILED
    assert "Geen schrijfrechten in de map" in failed.delivery_error
    assert readonly_sftp_server.files() == []


def test_no_target_configured_is_a_failure_that_says_so(sent_report):  # type: ignore[no-untyped-def]
    failed = report_deliver(report_id=_packaged(sent_report).pk)
    assert failed.delivery_status == Report.Delivery.FAILED
    assert "LOKET_BBCDR_TARGET" in failed.delivery_error


class _Killed(BaseException):
    """What a worker killed mid-upload looks like from inside: the upload stops and nothing after it runs."""


def test_a_worker_killed_mid_upload_delivers_once_and_leaves_no_partial_file(
    sent_report,
    sftp_server,
    settings,
    monkeypatch,
):  # type: ignore[no-untyped-def]
    sftp_server.configure(settings)
    packaged = _packaged(sent_report)
    real_deliver = delivery.deliver

    class DyingStream:
        """Gives the first kilobyte, then the worker "dies"."""

        def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
            self.stream, self.given = stream, 0

        def read(self, size: int = -1) -> bytes:
            if self.given:
                raise _Killed
            chunk = self.stream.read(1024)
            self.given += len(chunk)
            return chunk

    def dying_deliver(*, target, name, stream, size, progress):  # type: ignore[no-untyped-def]
        return real_deliver(target=target, name=name, stream=DyingStream(stream), size=size, progress=progress)

    monkeypatch.setattr(delivery, "deliver", dying_deliver)
    with pytest.raises(_Killed):
        report_deliver(report_id=packaged.pk)
    monkeypatch.setattr(delivery, "deliver", real_deliver)
    delivery.forget_connections()  # the dead worker's connection is gone with it
    assert Report.objects.get(pk=packaged.pk).delivery_status == Report.Delivery.DELIVERING
    assert sftp_server.files() == [f".{packaged.package_name}.part"]  # the receiver only sees a hidden partial
    lease = timedelta(seconds=settings.LOKET_TASK_LEASE)
    assert "0 aflevering(en)" in recover_reports(lease)  # "bezig", last progress within the lease: left alone
    assert report_deliver(report_id=packaged.pk).delivery_status == Report.Delivery.DELIVERING  # nor taken over
    with time_machine.travel(timezone.now() + lease + timedelta(seconds=1)):
        assert "1 aflevering(en)" in recover_reports(lease)
        done = report_deliver(report_id=packaged.pk)
    assert done.delivery_status == Report.Delivery.DELIVERED
    assert sftp_server.files() == [done.package_name]
    arrived = (sftp_server.target_dir / done.package_name).read_bytes()
    assert hashlib.sha256(arrived).hexdigest() == done.package_sha256
    assert done.delivered_entry is not None
    assert ledger_verify().ok


def test_an_upload_longer_than_the_lease_that_progresses_is_not_taken_over(sent_report, sftp_server, settings):  # type: ignore[no-untyped-def]
    """The upload renews the report's sign of life: a slow but moving upload outlives the lease without recovery
    or a second worker starting another upload of the same package."""
    sftp_server.configure(settings)
    settings.LOKET_TASK_LEASE = 1
    packaged = _packaged(sent_report)
    real_deliver = delivery.deliver
    seen = []

    class SlowStream:
        """Gives 64 bytes at a time, 0.1 s apart; after 1.5 s (past the lease), asks what recovery would do."""

        def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
            self.stream, self.started = stream, timezone.now()

        def read(self, size: int = -1) -> bytes:
            import time

            time.sleep(0.1)
            if timezone.now() - self.started > timedelta(seconds=1.5) and not seen:
                report = Report.objects.get(pk=packaged.pk)
                seen.append((report.delivery_status, recover_reports(timedelta(seconds=1))))
                seen.append(report_deliver(report_id=packaged.pk).delivery_status)
            return self.stream.read(64)

    def slow_deliver(*, target, name, stream, size, progress):  # type: ignore[no-untyped-def]
        return real_deliver(target=target, name=name, stream=SlowStream(stream), size=size, progress=progress)

    assert packaged.package_size > 64 * 20  # more than 2 s of reading
    delivery.deliver = slow_deliver  # type: ignore[assignment]
    try:
        done = report_deliver(report_id=packaged.pk)
    finally:
        delivery.deliver = real_deliver  # type: ignore[assignment]
    assert seen and seen[0][0] == Report.Delivery.DELIVERING
    assert "0 aflevering(en)" in seen[0][1]  # alive within the lease: recovery leaves it alone
    assert seen[1] == Report.Delivery.DELIVERING  # and a second worker too
    assert done.delivery_status == Report.Delivery.DELIVERED
    assert sftp_server.files() == [done.package_name]


def test_a_local_folder_target_for_the_demo(sent_report, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.LOKET_BBCDR_TARGET = f"file://{tmp_path / 'mft'}"
    report = report_deliver(report_id=_packaged(sent_report).pk)
    assert report.delivery_status == Report.Delivery.DELIVERED
    assert [p.name for p in (tmp_path / "mft").iterdir()] == [report.package_name]
    assert hashlib.sha256((tmp_path / "mft" / report.package_name).read_bytes()).hexdigest() == report.package_sha256
