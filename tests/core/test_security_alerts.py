"""A client over a rate limit raises a security alert (ASVS 11.1.7, 11.1.8): logged, in the audit trail and mailed
(through the real worker, to a real SMTP server) — once per kind of limit per interval, not once per request."""

import pytest

from loket.core.models import AuditEvent
from tests.conftest import make_user
from tests.support.smtp import smtp_server  # noqa: F401 - a real SMTP server on loopback

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


def test_password_guessing_alerts_the_operators_once(client, settings, smtp_server, run_worker, caplog):  # type: ignore[no-untyped-def]  # noqa: F811
    settings.LOKET_LOGIN_THROTTLE = 3
    settings.LOKET_SECURITY_ALERT_EMAILS = ["security@abb.example", "ops@abb.example"]
    make_user("hilde-helpdesk", staff=True)
    codes = [client.post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": f"fout{i}"}).status_code
             for i in range(12)]  # fmt: skip
    assert codes == [200] * 3 + [429] * 9
    alert = AuditEvent.objects.get(action="security.alert")
    assert alert.details == {"kind": "login", "client": "127.0.0.1", "limit": 3, "window": 300}
    assert "rate limit login exceeded by 127.0.0.1" in caplog.text
    run_worker()
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert sorted(mail.rcpt_tos) == ["ops@abb.example", "security@abb.example"]
    assert mail.subject == "[Loket] Beveiligingsmelding: limiet 'login' overschreden"
    assert "(3 per 300 s): 127.0.0.1" in mail.body
    # Another address over the same limit within the interval: logged, not mailed again.
    other = client.post(
        "/helpdesk/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.9.8.7"
    )  # one hit only: within its own limit
    assert other.status_code == 200
    for _ in range(4):
        client.post("/helpdesk/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.9.8.7")
    assert "rate limit login exceeded by 10.9.8.7" in caplog.text
    assert AuditEvent.objects.filter(action="security.alert").count() == 1
    run_worker()
    assert len(smtp_server.messages) == 1


def test_without_addresses_the_alert_is_logged_and_audited_only(client, settings, run_worker):  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    settings.LOKET_LOGIN_THROTTLE = 2
    settings.LOKET_SECURITY_ALERT_EMAILS = []
    for _ in range(4):
        client.post("/helpdesk/login/", {"username": "x", "password": "y"})
    assert AuditEvent.objects.filter(action="security.alert").count() == 1
    assert not DBTaskResult.objects.filter(task_path__endswith="send_email").exists()
