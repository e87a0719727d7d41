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


# Events a normal user never causes (ASVS 11.1.7): the audit action's rule says when, the alert follows the event.
UNUSUAL = {"core.virus_found", "ledger.content_verified", "login.code_failed", "second_factor.reset",
           "second_factor.unreadable", "user.rights_changed"}  # fmt: skip


def test_which_recorded_events_alert_the_administrators():  # type: ignore[no-untyped-def]
    from loket.core.audit import audit_actions

    assert {action.code for action in audit_actions() if action.alert is not None} == UNUSUAL


@pytest.mark.parametrize(
    ("action", "details", "alerts"),
    [
        ("ledger.content_verified", {"chain_ok": True, "checked": 40, "mismatches": 0, "subjects": []}, False),
        ("ledger.content_verified", {"chain_ok": True, "checked": 40, "mismatches": 2, "subjects": ["a", "b"]}, True),
        ("ledger.content_verified", {"chain_ok": False, "checked": 40, "mismatches": 0, "subjects": []}, True),
        ("login.code_failed", {"address": "10.0.0.1"}, False),
        ("login.code_failed", {"address": "10.0.0.1", "reused": True}, True),
        ("user.rights_changed", {"fields": ["first_name"], "is_staff": True, "is_superuser": False}, False),
        ("user.rights_changed", {"fields": ["is_staff"], "is_staff": False, "is_superuser": False}, False),  # taken
        ("user.rights_changed", {"fields": ["is_superuser"], "is_staff": True, "is_superuser": True}, True),
        ("second_factor.reset", {"user": "d", "count": 1, "reason": "telefoon verloren"}, True),
        ("access.approved", {"roles": ["toezicht"]}, False),
    ],
)
def test_an_unusual_event_alerts_once_it_is_kept(  # type: ignore[no-untyped-def]
    action, details, alerts, settings, caplog, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from loket.core.audit import audit_record

    settings.LOKET_SECURITY_ALERT_EMAILS = ["security@abb.example"]
    with django_capture_on_commit_callbacks(execute=True):
        event = audit_record(action=action, **details)
    assert (f"unusual event {action} (audit event {event.pk})" in caplog.text) is alerts
    assert DBTaskResult.objects.filter(task_path__endswith="send_email").count() == (1 if alerts else 0)


def test_the_alert_is_mailed_in_dutch_once_per_action_per_interval(  # type: ignore[no-untyped-def]
    settings,
    smtp_server,  # noqa: F811
    run_worker,
    caplog,
    django_capture_on_commit_callbacks,
):
    from django.core.management import call_command
    from django.utils import translation

    settings.LOKET_SECURITY_ALERT_EMAILS = ["security@abb.example"]
    make_user("hilde-helpdesk", staff=True)
    make_user("karel-helpdesk", staff=True)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        call_command("second_factor_reset", "hilde-helpdesk", reason="telefoon verloren")
        call_command("second_factor_reset", "karel-helpdesk", reason="nieuwe telefoon")
    assert caplog.text.count("unusual event second_factor.reset") == 2  # both logged
    run_worker()
    assert len(smtp_server.messages) == 1  # one mail in the interval
    mail = smtp_server.messages[0]
    assert mail.subject == "[Loket] Beveiligingsmelding: Tweede aanmeldstap gewist"
    assert "0 app(s) voor de tweede aanmeldstap van hilde-helpdesk verwijderd: telefoon verloren." in mail.body


def test_an_event_rolled_back_with_its_change_alerts_nobody(  # type: ignore[no-untyped-def]
    settings, caplog, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from loket.core.audit import audit_record

    settings.LOKET_SECURITY_ALERT_EMAILS = ["security@abb.example"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                audit_record(action="second_factor.reset", user="d", count=1, reason="x")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == [] and "unusual event" not in caplog.text
    assert not AuditEvent.objects.filter(action="second_factor.reset").exists()
