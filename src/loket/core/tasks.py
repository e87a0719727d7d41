"""Background work shared by every module: e-mail. Enqueued inside the transaction that decides to send, so
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


register_rerun(send_email)  # a killed worker's mail is sent again after the lease (core.recovery)
