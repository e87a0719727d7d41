"""core.statements' hot reads run as prepared statements on PostgreSQL (parsed once per connection, planned once
after five runs), through Django's cursor wrappers (its query log counts them) and with the same answers."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.accounts.roles import Role
from loket.accounts.selectors import active_memberships
from loket.accounts.session_store import SessionStore
from loket.core import statements
from tests.conftest import grant, make_user

pytestmark = pytest.mark.django_db


def _prepared(fragment: str) -> list[tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{fragment}%"],
        )
        return cursor.fetchall()


def test_a_statement_is_logged_as_djangos_cursor_logs_it() -> None:
    with CaptureQueriesContext(connection) as queries, statements.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {statements.table(Session)} WHERE session_key = %s", ["x"])  # noqa: S608
        assert cursor.fetchone() == (0,)
    assert len(queries) == 1
    assert queries[0]["sql"].endswith("WHERE session_key = 'x'")  # with its value, as the ORM's statements are logged


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_memberships_read_is_prepared_once_and_planned_generically_from_the_sixth_run(municipality) -> None:  # type: ignore[no-untyped-def]
    user = make_user("voorbereid")
    membership = grant(user, municipality, [Role.TOEZICHT])
    answers = [active_memberships(user) for _ in range(8)]

    assert all(answer == answers[0] for answer in answers)
    assert [item.membership.pk for item in answers[0]] == [membership.pk]
    [(statement, generic, custom)] = _prepared('FROM "accounts_membership"')
    assert "$1" in statement  # bound on the server, not the values written into the SQL
    assert custom == 5 and generic == 3  # PostgreSQL's plan cache: five custom plans, then the generic one


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_session_read_is_prepared_and_the_orms_statements_are_not() -> None:
    store = SessionStore()
    store["key"] = "value"
    store.save()

    assert SessionStore(store.session_key).load() == {"key": "value"}
    assert SessionStore(store.session_key).load() == {"key": "value"}
    assert len(_prepared('FROM "django_session"')) == 1  # the store's read; Django's save (ORM) is not prepared
    assert _prepared('INSERT INTO "django_session"') == []
