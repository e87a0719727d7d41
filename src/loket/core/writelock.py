"""Long background work on SQLite, written in short transactions, also has to leave room between them.

SQLite has one write lock and no queue for it: a request that finds it taken sleeps in its busy handler (at most 100 ms
at a time, up to the busy timeout) and tries again, while a worker that commits and at once begins its next
transaction takes the lock back within a millisecond. Seen with `make run` on a busy machine: batches of 1-6 s, one
after the other, and a sign-in between them still failed after 21.5 s with "database is locked". A pause a little
longer than the busy handler's longest sleep between batches lets such a request in. PostgreSQL locks rows, not the
database: no pause there."""

import time

from django.db import connection

# Longer than SQLite's longest sleep in its busy handler (100 ms).
PAUSE = 0.15


def let_writers_in() -> None:
    """Between two transactions of a long run of them: let a waiting request (a sign-in) write first."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        time.sleep(PAUSE)
