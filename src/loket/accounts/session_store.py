"""Django's database sessions (settings.SESSION_ENGINE), with the read every request of a signed-in user makes written
as one statement: the ORM spent about 0.3 ms of CPU building `Session.objects.get(session_key=…, expire_date__gt=now)`
for a read that takes 0.15 ms with the decoding (bench/README.md, "CPU per request"). Same table, same rows, same
answer (tests/accounts/test_session_store.py); writing, expiry and clearing stay Django's.

A session whose key is cycled while signed in (Django's `update_session_auth_hash` after a password change) keeps its
row in "Mijn sessies" (`accounts.sessions`): the row follows the new key."""

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from loket.accounts.models import SignedInSession
from loket.core.statements import cursor as statements_cursor
from loket.core.statements import quote, table


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        """The session's data; an absent or expired session is none (and the key is dropped), as Django's."""
        sql = (
            f"SELECT {quote('session_data')} FROM {table(Session)} "  # noqa: S608 - the model's own names, quoted
            f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with statements_cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])

    def cycle_key(self) -> None:
        """A new key for the same session (Django's), and its "Mijn sessies" row moved to it."""
        old = self.session_key
        super().cycle_key()
        if old and self.session_key and old != self.session_key:
            SignedInSession.objects.filter(session_key=old).update(session_key=self.session_key)
