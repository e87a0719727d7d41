"""The session store (accounts.session_store) reads a session with one statement of its own; its answer must stay
Django's database store's: the data of a live session, nothing for an expired, deleted or unknown one."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loket.accounts.session_store import SessionStore

pytestmark = pytest.mark.django_db


def test_the_project_uses_it() -> None:
    assert settings.SESSION_ENGINE == "loket.accounts.session_store"


def test_a_live_session_reads_as_djangos_in_one_query() -> None:
    written = SessionStore()
    written["_auth_user_id"] = "7"
    written["loket_organisation_id"] = 12
    written["when"] = "2026-12-06T10:00:00+01:00"
    written.save()

    with CaptureQueriesContext(connection) as queries:
        read = SessionStore(written.session_key).load()

    assert read == DjangoStore(written.session_key).load()
    assert read == {"_auth_user_id": "7", "loket_organisation_id": 12, "when": "2026-12-06T10:00:00+01:00"}
    assert len(queries) == 1


@pytest.mark.parametrize("case", ["expired", "deleted", "unknown", "none"])
def test_no_live_session_reads_as_nothing_and_drops_the_key(case: str) -> None:
    written = SessionStore()
    written["_auth_user_id"] = "7"
    written.save()
    key = written.session_key
    if case == "expired":
        Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    elif case == "deleted":
        Session.objects.filter(session_key=key).delete()
    elif case == "unknown":
        key = "x" * 32
    else:
        key = None

    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    django_store = DjangoStore(key)
    assert django_store.load() == {}
    assert django_store.session_key is None


def test_a_session_that_has_just_expired_is_not_read() -> None:
    """The boundary: a session whose expiry is now (or a moment ago) is gone, one a moment ahead is live."""
    written = SessionStore()
    written["a"] = 1
    written.save()
    stored = Session.objects.filter(session_key=written.session_key)
    stored.update(expire_date=timezone.now() + timedelta(seconds=30))
    assert SessionStore(written.session_key).load() == {"a": 1}
    stored.update(expire_date=timezone.now() - timedelta(microseconds=1))
    assert SessionStore(written.session_key).load() == {}
