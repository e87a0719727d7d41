"""Every timestamp token is a reading of a trusted clock (ASVS 7.3.4): its time must fall between our clock's readings
around the request, give or take LOKET_CLOCK_SKEW_SECONDS. Outside it the token is still used, and an alert is logged,
audited and mailed (through the real worker, to a real SMTP server) once the transaction has committed, at most once
per interval. The real openssl TSA on loopback; our own clock is the one set wrong (the machine's cannot be)."""

import hashlib
import time

import pytest
from django.utils import translation

from loket.core import timestamping
from loket.core.audit import audit_describe
from loket.core.models import AuditEvent
from tests.support.smtp import smtp_server  # noqa: F401 - a real SMTP server on loopback

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

DIGEST = hashlib.sha256(b"notulen gemeenteraad").digest()


def test_the_skew_is_the_distance_outside_our_two_readings() -> None:
    assert timestamping.clock_skew(100.0, asked=99.0, answered=101.0) == 0.0
    assert timestamping.clock_skew(99.0, asked=99.0, answered=101.0) == 0.0
    assert timestamping.clock_skew(95.5, asked=99.0, answered=101.0) == -3.5  # the TSA is behind us
    assert timestamping.clock_skew(108.0, asked=99.0, answered=101.0) == 7.0  # the TSA is ahead of us


def test_a_right_clock_raises_nothing(timestamp_authority, django_capture_on_commit_callbacks, caplog):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        token = timestamping.timestamp(DIGEST)
    assert timestamping.verify_token(token, DIGEST)
    assert callbacks == [] and "clock:" not in caplog.text
    assert not AuditEvent.objects.filter(action="security.clock_skew").exists()


def test_a_clock_two_minutes_fast_is_reported_once_and_the_token_still_serves(  # type: ignore[no-untyped-def]
    timestamp_authority,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
    caplog,
    run_worker,
    smtp_server,  # noqa: F811
):
    settings.LOKET_SECURITY_ALERT_EMAILS = ["security@abb.example"]
    monkeypatch.setattr(timestamping, "_clock", lambda: time.time() + 120)
    with django_capture_on_commit_callbacks(execute=True):
        token = timestamping.timestamp(DIGEST)
    assert timestamping.verify_token(token, DIGEST)  # the proof is kept: only our clock is wrong
    [event] = AuditEvent.objects.filter(action="security.clock_skew")
    assert event.details["direction"] == "behind" and 117 <= event.details["seconds"] <= 123
    assert event.details["source"] == timestamp_authority.url
    assert "is 1" in caplog.text and "s behind this host" in caplog.text
    run_worker()
    [mail] = smtp_server.messages
    assert mail.subject == "[Loket] Beveiligingsmelding: de klok van de server wijkt af"
    assert "s achter op de klok van deze server" in mail.body and "(toegestaan: 5.0 s)" in mail.body

    with django_capture_on_commit_callbacks(execute=True):  # again within the interval: logged, not alerted again
        timestamping.timestamp(DIGEST)
    assert AuditEvent.objects.filter(action="security.clock_skew").count() == 1
    assert caplog.text.count("s behind this host") == 2
    run_worker()
    assert len(smtp_server.messages) == 1


def test_a_slow_clock_reads_as_the_authority_ahead_in_both_languages(  # type: ignore[no-untyped-def]
    timestamp_authority, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.LOKET_CLOCK_SKEW_SECONDS = 30
    monkeypatch.setattr(timestamping, "_clock", lambda: time.time() - 45)
    with django_capture_on_commit_callbacks(execute=True):
        timestamping.timestamp(DIGEST)
    [event] = AuditEvent.objects.filter(action="security.clock_skew")
    assert event.details["direction"] == "ahead"
    seconds = event.details["seconds"]
    url = timestamp_authority.url
    assert audit_describe(event) == (
        f"De tijdstempeldienst {url} liep {seconds} s voor op de klok van de server: gemeld aan de beheerders."
    )
    with translation.override("en"):
        said = audit_describe(event)
    assert (
        said
        == f"The timestamp authority {url} was {seconds} s ahead of the server's clock: reported to the administrators."
    )


def test_within_the_allowed_skew_nothing_is_raised(
    timestamp_authority, settings, monkeypatch, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    settings.LOKET_CLOCK_SKEW_SECONDS = 30
    monkeypatch.setattr(timestamping, "_clock", lambda: time.time() - 20)
    with django_capture_on_commit_callbacks(execute=True):
        timestamping.timestamp(DIGEST)
    assert not AuditEvent.objects.filter(action="security.clock_skew").exists()
