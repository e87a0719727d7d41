"""Background work shared by every module: e-mail, the timestamps a TSA outage left out of the register, and the
daily retention run (`core.retention`).

E-mail is enqueued inside the transaction that decides to send, so
the mail exists exactly when the decision commits; the worker (`manage.py db_worker`) delivers it.

A mail server that cannot be reached (refused, timed out, a 4xx answer) does not lose the mail: the task is queued
again with back-off (at most MAX_ATTEMPTS attempts, about an hour) and its result says why. A permanent refusal
(5xx, every recipient refused) fails the task with the server's answer."""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from loket.core.recovery import register_rerun

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 12


def _permanent(error: OSError) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@task()
def send_email(*, to: list[str], subject: str, body: str, attempt: int = 1) -> int | str:
    from loket.core.fetch import backoff_delays

    try:
        return send_mail(subject=subject, message=body, from_email=None, recipient_list=to, fail_silently=False)
    except OSError as error:  # smtplib's errors are OSErrors too
        if _permanent(error) or attempt >= MAX_ATTEMPTS:
            raise
        delay = backoff_delays(attempt, base=5.0)[-1]
        send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            to=to, subject=subject, body=body, attempt=attempt + 1
        )
        reason = (
            f"mailserver niet bereikbaar ({type(error).__name__}: {error}); poging {attempt}, "
            f"opnieuw over {delay:.0f} s"
        )
        logger.warning("send_email %r: %s", subject, reason)
        return reason


@task()
def stamp_ledger_entry(*, position: int, attempt: int = 1) -> str:
    """The RFC 3161 timestamp of a register entry appended while the TSA was down: asked again with back-off
    (every attempt at most an hour apart, for about two days), then `manage.py ledger stamp` asks for all of them."""
    from loket.core.fetch import backoff_delays
    from loket.core.ledger import ledger_stamp
    from loket.core.timestamping import TimestampError

    try:
        return "gestempeld" if ledger_stamp(position) else "geen tijdstempeldienst of registratie"
    except TimestampError as error:
        if attempt >= STAMP_ATTEMPTS:
            raise
        delay = backoff_delays(attempt, base=30.0, cap=3600.0)[-1]
        stamp_ledger_entry.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            position=position, attempt=attempt + 1
        )
        reason = f"{error.message}; poging {attempt}, opnieuw over {delay:.0f} s"
        logger.warning("stamp_ledger_entry %s: %s", position, reason)
        return reason


STAMP_ATTEMPTS = 60
RESCAN_MAX_DELAY = 3600.0  # a waiting upload is scanned again at least hourly while clamd stays down


@task()
def rescan_upload(*, pending_id: int, attempt: int = 1) -> str:
    """Scan an upload kept while clamd was down ("wacht op virusscan", `core.scanwait`). While clamd stays down it
    is asked again with back-off (at most an hour apart, without end: the file cannot be sent before), the reason
    recorded on the waiting file and returned as the task's result."""
    from django.db import transaction

    from loket.core import scanwait
    from loket.core.fetch import backoff_delays
    from loket.core.virusscan import ScannerUnavailable

    try:
        return scanwait.rescan(pending_id)
    except ScannerUnavailable as error:
        delay = backoff_delays(attempt, base=30.0, cap=RESCAN_MAX_DELAY)[-1]
        retry_at = timezone.now() + timedelta(seconds=delay)
        reason = f"virusscanner niet bereikbaar ({error.detail}); poging {attempt}, opnieuw over {delay:.0f} s"
        with transaction.atomic():  # the reason and the next attempt: both or neither
            scanwait.record_attempt(pending_id, reason=reason, next_attempt_at=retry_at)
            rescan_upload.using(run_after=retry_at).enqueue(pending_id=pending_id, attempt=attempt + 1)
        logger.warning("rescan_upload %s: %s", pending_id, reason)
        return reason


@task()
def purge_expired_data(*, limit: int | None = None) -> str:
    """The daily retention run (`core.retention`): every module's purges. A run that stopped at its limit is followed
    at once by the next, until the backlog is gone (the first run after an upgrade); otherwise the next runs a day
    later."""
    from loket.core.retention import PURGE_INTERVAL, PURGE_LIMIT, retention_run
    from loket.core.taskqueue import enqueue_once

    purges = retention_run(limit=PURGE_LIMIT if limit is None else limit)
    is_complete = all(purge.is_complete for _, purge in purges)
    if not is_complete:
        purge_expired_data.using(run_after=timezone.now()).enqueue(limit=limit)
    else:  # this run is still running: only a waiting one counts
        enqueue_once(purge_expired_data.using(run_after=timezone.now() + PURGE_INTERVAL))
    summary = ", ".join(f"{name}: {purge.count}" for name, purge in purges)
    return summary + ("" if is_complete else ", more to come")


# a killed worker's work is run again after the lease (core.recovery)
register_rerun(send_email, stamp_ledger_entry, purge_expired_data)
import loket.core.audit  # noqa: E402 - registers its purge (core.retention)
import loket.core.quota  # noqa: E402 - registers its purge (core.retention)
import loket.core.scanwait  # noqa: E402 - registers its recovery (core.recovery)
import loket.core.taskqueue  # noqa: E402,F401 - registers its purge (core.retention)
