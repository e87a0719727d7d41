"""The mail server down: the mail is not lost, the task is queued again with back-off and says why; a permanent
refusal fails with the server's answer. Real SMTP (aiosmtpd) and a real closed port, no mocks."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.core.tasks import send_email
from tests.support.smtp import _free_port, smtp_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_with_the_mail_server_down_the_mail_is_retried_and_the_result_says_why(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    outcome = send_email.call(to=["griffie@example.org"], subject="Ontvangstbewijs", body="x")
    assert outcome.startswith("mailserver niet bereikbaar (ConnectionRefusedError")
    assert "poging 1, opnieuw over" in outcome
    again = DBTaskResult.objects.get(task_path=send_email.module_path, status=TaskResultStatus.READY)
    assert again.args_kwargs["kwargs"]["attempt"] == 2
    assert again.args_kwargs["kwargs"]["subject"] == "Ontvangstbewijs"
    assert again.run_after is not None


def test_the_retried_mail_arrives_once_when_the_server_is_back(smtp_server):  # type: ignore[no-untyped-def]  # noqa: F811
    assert send_email.call(to=["griffie@example.org"], subject="Ontvangstbewijs", body="x", attempt=2) == 1
    assert [mail.subject for mail in smtp_server.messages] == ["Ontvangstbewijs"]


def test_after_the_last_attempt_the_task_fails_with_the_reason(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    with pytest.raises(ConnectionRefusedError):
        send_email.call(to=["griffie@example.org"], subject="s", body="x", attempt=12)
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
