"""Django's database sessions (settings.SESSION_ENGINE), with the read every request of a signed-in user makes written
as one statement: the ORM spent about 0.3 ms of CPU building `Session.objects.get(session_key=…, expire_date__gt=now)`
for a read that takes 0.15 ms with the decoding (bench/README.md, "CPU per request"). Same table, same rows, same
answer (tests/accounts/test_session_store.py); writing, expiry and clearing stay Django's."""

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

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
