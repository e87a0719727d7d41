"""The retention of "Mijn sessies" rows (ASVS 8.3.8): the real worker deletes, daily, the rows of sessions that have
ended once their sign-in is older than LOKET_SIGNED_IN_SESSION_RETENTION_DAYS; a live session's row stays however
old, an ended one's stays until then; one audit event with the count per run. Time is frozen: the sessions expire
(8 hours) and the retention passes by travelling, not by editing rows."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.accounts.models import SignedInSession
from loket.accounts.tasks import purge_signed_in_sessions
from loket.core.audit import audit_describe
from loket.core.models import AuditEvent
from tests.accounts.test_sessions import ANDROID, is_signed_in, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def purges(status: TaskResultStatus):  # type: ignore[no-untyped-def]
    return DBTaskResult.objects.filter(task_path=purge_signed_in_sessions.module_path, status=status)


def test_the_worker_deletes_an_ended_old_row_and_keeps_a_live_old_one_and_an_ended_recent_one(  # type: ignore[no-untyped-def]
    hilde, run_worker
):
    with time_machine.travel(START, tick=False):
        expired = signed_in("hilde-helpdesk")  # never used again: its session ends 8 hours later
        expired_key = expired.session.session_key
        kept = signed_in("hilde-helpdesk", ANDROID)
        session = kept.session
        session.set_expiry(timedelta(days=200))  # still live on day 100, as a session kept in use would be
        session.save()
        [queued] = purges(TaskResultStatus.READY)  # the first sign-in queued the purge; the second found it waiting
        assert queued.run_after == START + timedelta(days=1)
    with time_machine.travel(START + timedelta(days=95), tick=False):
        recent = signed_in("hilde-helpdesk")  # ends 8 hours later: on day 100 ended, but not 90 days ago
        assert purges(TaskResultStatus.READY).count() == 1
    with time_machine.travel(START + timedelta(days=100), tick=False):
        run_worker()  # the purge queued by the first sign-in, overdue
        kept_keys = {kept.session.session_key, recent.session.session_key}
        assert set(SignedInSession.objects.values_list("session_key", flat=True)) == kept_keys
        assert expired_key not in kept_keys

        [event] = AuditEvent.objects.filter(action="session.purged")
        assert (event.actor, event.actor_label) == (None, "systeem")
        assert event.details == {"count": 1, "days": 90, "before": (START + timedelta(days=10)).isoformat()}
        assert audit_describe(event) == (
            "1 aanmelding(en) van beëindigde sessies verwijderd: aangemeld meer dan 90 dagen geleden (bewaartermijn)."
        )
        [done] = purges(TaskResultStatus.SUCCESSFUL)
        assert done.return_value == "1 signed-in sessions purged"
        [following] = purges(TaskResultStatus.READY)  # each run queues the next, a day later
        assert following.run_after == START + timedelta(days=101)

        # The live session is still listed for its user and still signed in; the expired one is signed out.
        page = kept.get("/mijn-sessies/").content.decode()
        assert "Chrome op Android" in page and page.count("Deze sessie") == 1
        assert not is_signed_in(expired)


def test_a_backlog_is_purged_in_runs_of_the_limit_one_after_the_other(hilde, run_worker):  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False):  # rows of sign-ins long past (as after an upgrade): sessions gone
        for number in range(5):
            SignedInSession.objects.create(
                user=hilde,
                session_key=f"gone-{number}",
                started_at=timezone.now(),
                method="oidc",
                address="192.0.2.7",
                browser="Firefox/Windows",
            )
    with time_machine.travel(START + timedelta(days=100), tick=False):
        purge_signed_in_sessions.enqueue(limit=2)
        run_worker()
        assert not SignedInSession.objects.exists()
        events = AuditEvent.objects.filter(action="session.purged").order_by("pk")
        assert [event.details["count"] for event in events] == [2, 2, 1]  # one event per run
        assert sorted(purges(TaskResultStatus.SUCCESSFUL).values_list("return_value", flat=True)) == [
            "1 signed-in sessions purged",
            "2 signed-in sessions purged, more to come",
            "2 signed-in sessions purged, more to come",
        ]
        [following] = purges(TaskResultStatus.READY)  # then daily again, with the ordinary limit
        assert following.run_after == START + timedelta(days=101)
        assert following.args_kwargs == {"args": [], "kwargs": {}}


def test_the_purge_also_clears_djangos_expired_session_rows(hilde, run_worker):  # type: ignore[no-untyped-def]
    from django.contrib.sessions.models import Session

    with time_machine.travel(START, tick=False):
        expired = signed_in("hilde-helpdesk").session.session_key  # ends 8 hours later
        kept = signed_in("hilde-helpdesk", ANDROID)
        session = kept.session
        session.set_expiry(timedelta(days=200))
        session.save()
        assert Session.objects.filter(session_key=expired).exists()
    with time_machine.travel(START + timedelta(days=2), tick=False):
        run_worker()  # the daily purge queued by the first sign-in
        assert set(Session.objects.values_list("session_key", flat=True)) == {kept.session.session_key}
        assert is_signed_in(kept)
