"""Retention in the kernel (ASVS 8.3.8, docs/security/retention.md): the real worker's daily run deletes finished task
rows (an e-mail task holds recipients, subject and body) after LOKET_TASK_RETENTION_DAYS, failed ones after
LOKET_FAILED_TASK_RETENTION_DAYS, never a waiting or running one; and pseudonymises the client addresses and typed
user names of audit events after LOKET_AUDIT_ADDRESS_RETENTION_DAYS, keeping every event. One audit event per purge
and run, with the count; a second run changes nothing; `manage.py worker` starts the daily chain. Time is frozen and
passes by travelling."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.core.audit import address_pseudonymise, audit_describe, audit_record
from loket.core.models import AuditEvent
from loket.core.tasks import purge_expired_data, send_email
from tests.conftest import make_user
from tests.support.second_factor import helpdesk_sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def at(days: float) -> "time_machine.travel":
    return time_machine.travel(START + timedelta(days=days), tick=False)


def runs(status: TaskResultStatus):  # type: ignore[no-untyped-def]
    return DBTaskResult.objects.filter(task_path=purge_expired_data.module_path, status=status)


def mails() -> set[str]:
    """The subjects of the e-mail tasks the queue still holds."""
    rows = DBTaskResult.objects.filter(task_path=send_email.module_path)
    return {row.args_kwargs["kwargs"]["subject"] for row in rows}


def purged(action: str) -> list[dict]:  # type: ignore[type-arg]
    return [event.details for event in AuditEvent.objects.filter(action=action).order_by("pk")]


def test_the_worker_starts_the_daily_run_once_and_each_run_queues_the_next(run_worker):  # type: ignore[no-untyped-def]
    with at(0):
        call_command("worker", "--batch", verbosity=0, stdout=io.StringIO())
        call_command("worker", "--batch", verbosity=0, stdout=io.StringIO())  # a second worker: still one chain
        [queued] = runs(TaskResultStatus.READY)
        assert queued.run_after == START + timedelta(days=1)
    with at(1):
        run_worker()
        [done] = runs(TaskResultStatus.SUCCESSFUL)
        assert done.return_value == (
            "auditspoor: 0, eredienstcontacten: 0, gebruikers: 0, leveranciersjobs: 0, opslagquotum: 0, personen: 0, "
            "taken: 0, toegangsaanvragen: 0"
        )
        [following] = runs(TaskResultStatus.READY)
        assert following.run_after == START + timedelta(days=2)
        call_command("worker", "--batch", verbosity=0, stdout=io.StringIO())
        assert runs(TaskResultStatus.READY).count() == 1


def test_finished_task_rows_go_after_their_period_waiting_and_running_ones_never(  # type: ignore[no-untyped-def]
    run_worker,
):
    with at(0):
        send_email.enqueue(to=["a@example.org"], subject="geslaagd, oud", body="reden: verhuisd")
        failed = send_email.enqueue(to=["b@example.org"], subject="mislukt, oud", body="…")
        running = send_email.enqueue(to=["c@example.org"], subject="loopt nog", body="…")
        send_email.using(run_after=START + timedelta(days=500)).enqueue(to=["d@"], subject="wacht", body="…")
        DBTaskResult.objects.filter(pk=failed.id).update(status=TaskResultStatus.RUNNING)  # claimed, then raised
        DBTaskResult.objects.filter(pk=running.id).update(status=TaskResultStatus.RUNNING, started_at=START)
        run_worker()  # sends the first
        DBTaskResult.objects.filter(pk=failed.id).update(status=TaskResultStatus.FAILED, finished_at=START)
        assert len(mail.outbox) == 1
    with at(20):
        send_email.enqueue(to=["e@example.org"], subject="geslaagd, jong", body="…")
        run_worker()
    with at(40):
        purge_expired_data.enqueue()
        run_worker()
        assert mails() == {"mislukt, oud", "loopt nog", "wacht", "geslaagd, jong"}
        assert purged("tasks.purged") == [{"count": 1, "days": 30, "failed_days": 90}]
    with at(100):
        run_worker()  # the run the one of day 40 queued for day 41, overdue
        assert mails() == {"loopt nog", "wacht"}  # a running row stays however old: its worker may still hold it
        # the failed row, the young mail and the run of day 40 (finished 60 days ago)
        assert purged("tasks.purged")[-1] == {"count": 3, "days": 30, "failed_days": 90}
        [event] = AuditEvent.objects.filter(action="tasks.purged").order_by("-pk")[:1]
        assert (event.actor, event.actor_label) == (None, "systeem")
        assert audit_describe(event) == (
            "3 afgewerkte achtergrondta(a)k(en) verwijderd: geslaagd meer dan 30 dagen geleden of mislukt meer dan "
            "90 dagen geleden (bewaartermijn; 0 = bewaard)."
        )
        purge_expired_data.enqueue()
        run_worker()  # again: nothing more to delete
        assert purged("tasks.purged")[-1]["count"] == 0
        assert mails() == {"loopt nog", "wacht"}


def test_zero_keeps_the_task_rows(run_worker, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_TASK_RETENTION_DAYS = 0
    settings.LOKET_FAILED_TASK_RETENTION_DAYS = 0
    with at(0):
        send_email.enqueue(to=["a@example.org"], subject="geslaagd", body="…")
        run_worker()
    with at(1000):
        purge_expired_data.enqueue()
        run_worker()
        assert mails() == {"geslaagd"}
        assert purged("tasks.purged") == [{"count": 0, "days": 0, "failed_days": 0}]


def test_a_backlog_is_handled_in_runs_of_the_limit_one_after_the_other(run_worker):  # type: ignore[no-untyped-def]
    with at(0):
        for number in range(5):
            send_email.enqueue(to=["a@example.org"], subject=f"mail {number}", body="…")
        run_worker()
    with at(40):
        purge_expired_data.enqueue(limit=2)
        run_worker()
        assert mails() == set()
        assert [details["count"] for details in purged("tasks.purged")] == [2, 2, 1]
        [following] = runs(TaskResultStatus.READY)  # then daily again, with the ordinary limit
        assert following.run_after == START + timedelta(days=41)
        assert following.args_kwargs == {"args": [], "kwargs": {}}


def test_addresses_are_cut_to_their_network_and_anything_else_stays():  # type: ignore[no-untyped-def]
    assert address_pseudonymise("192.0.2.77") == "192.0.2.0/24"
    assert address_pseudonymise("2001:db8:1234:5678::9") == "2001:db8:1234::/48"
    assert address_pseudonymise("address:198.51.100.4") == "address:198.51.100.0/24"  # a throttle key's client
    assert address_pseudonymise("https://vendor.example/id/1") == "https://vendor.example/id/1"
    assert address_pseudonymise("unknown") == "unknown"
    assert address_pseudonymise(None) is None


def test_old_audit_events_lose_their_addresses_and_typed_names_and_are_kept(client, run_worker):  # type: ignore[no-untyped-def]
    clerk = make_user("gert-gemeente")
    admin = make_user("hilde-helpdesk", staff=True)
    admin.set_password("juist-wachtwoord-123")
    admin.save()
    with at(0):
        client.post("/helpdesk/login/", {"username": "mijn-wachtwoord-per-ongeluk", "password": "fout-987654321"})
        helpdesk_sign_in(client, "hilde-helpdesk", "juist-wachtwoord-123")
        audit_record(action="session.ended", actor=clerk, others=1, address="2001:db8::7", session_address="10.1.2.3")
        audit_record(action="security.alert", kind="denied-audit", client="address:192.0.2.9", limit=30, window=60)
        audit_record(action="vendor.key_reset", actor=admin, vendor="https://vendor.example/id/1")
    with at(60):
        young = audit_record(action="login.failed", actor_label="typo", username="typo", address="192.0.2.200")
    with at(95):
        purge_expired_data.enqueue()
        run_worker()
        failed = AuditEvent.objects.get(action="login.failed", at=START)
        assert (failed.actor_label, failed.details) == (
            "?",
            {"username": "", "address": "127.0.0.0/24", "gepseudonimiseerd": True},
        )
        assert audit_describe(failed) == (
            "Mislukte aanmelding met het wachtwoord van de back office als — vanaf 127.0.0.0/24."
        )
        login = AuditEvent.objects.get(action="login")
        assert login.actor == admin and login.actor_label == "Hilde Helpdesk"  # a user's own name stays
        assert login.details == {"method": "password", "address": "127.0.0.0/24", "gepseudonimiseerd": True}
        enrolled = AuditEvent.objects.get(action="second_factor.enrolled")  # the app set up at that sign-in
        assert enrolled.details == {"address": "127.0.0.0/24", "gepseudonimiseerd": True}
        ended = AuditEvent.objects.get(action="session.ended")
        assert ended.details == {
            "others": 1,
            "address": "2001:db8::/48",
            "session_address": "10.1.2.0/24",
            "gepseudonimiseerd": True,
        }
        alert = AuditEvent.objects.get(action="security.alert")
        assert alert.details["client"] == "address:192.0.2.0/24"
        untouched = AuditEvent.objects.get(action="vendor.key_reset")
        assert untouched.details == {"vendor": "https://vendor.example/id/1"}  # nothing personal: not marked
        young.refresh_from_db()
        assert (young.actor_label, young.details["address"]) == ("typo", "192.0.2.200")  # 35 days old: kept
        assert purged("audit.pseudonymised") == [
            {"count": 5, "days": 90, "before": (START + timedelta(days=5)).isoformat(), "complete": True}
        ]
        event = AuditEvent.objects.get(action="audit.pseudonymised")
        assert audit_describe(event) == (
            "In 5 gebeurtenis(sen) van meer dan 90 dagen geleden de adressen ingekort tot hun netwerk en de getypte "
            "gebruikersnamen gewist (bewaartermijn)."
        )
        purge_expired_data.enqueue()
        run_worker()  # again: every old event is marked, nothing changes
        assert purged("audit.pseudonymised")[-1]["count"] == 0
        assert AuditEvent.objects.get(action="login.failed", at=START).details["address"] == "127.0.0.0/24"


def test_a_run_reads_only_what_came_after_the_last_complete_one_and_off_or_stopped_runs_set_no_bound(  # type: ignore[no-untyped-def]
    run_worker, settings
):
    settings.LOKET_AUDIT_ADDRESS_RETENTION_DAYS = 0
    with at(0):
        for number in range(4):
            audit_record(action="login.failed", actor_label="x", username=f"naam-{number}", address="192.0.2.1")
    with at(95):
        purge_expired_data.enqueue()
        run_worker()  # off: nothing looked at, no bound
        settings.LOKET_AUDIT_ADDRESS_RETENTION_DAYS = 90
        purge_expired_data.enqueue(limit=2)
        run_worker()  # runs of 2, one after the other: a stopped run sets no bound either
        changed = [(details["count"], details["complete"]) for details in purged("audit.pseudonymised")]
        assert changed == [(0, False), (2, False), (2, False), (0, True)]
        assert not AuditEvent.objects.filter(action="login.failed").exclude(details__username="").exists()
    with at(2):  # an event older than the last complete run's bound (day 5) — only travelling back makes one
        audit_record(action="login.failed", actor_label="laat", username="laat", address="192.0.2.1")
    with at(96):
        run_worker()  # the daily run
        assert purged("audit.pseudonymised")[-1]["count"] == 0  # the trail before the bound is not read again
        assert AuditEvent.objects.get(action="login.failed", actor_label="laat").details["username"] == "laat"
