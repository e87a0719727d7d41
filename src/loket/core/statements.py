"""Hot reads as one hand-written SQL statement whose rows become model instances exactly as the ORM makes them.

For a read of one row with its related rows, Django's ORM spends more CPU building the query and the instances
(0.5–1.3 ms for a select_related over a few tables) than PostgreSQL spends answering it (0.1–0.2 ms). The reads that
(nearly) every signed-in request makes are therefore written as SQL once per process: the user's memberships
(accounts.selectors), the clerk's submission (supervision.access). The statement selects each model's own concrete
columns (`columns`), so a field added to a model is read too, and `instances` turns a row into model instances with
`Model.from_db` and the converters the ORM applies to those columns (SQLite returns times as text, for instance).
Only table and column names from the models go into the SQL, quoted; values are parameters. Every user of this module
has a test that compares its answer with the ORM's (bench/README.md, "CPU per request").

The statements run on `cursor()`: on PostgreSQL each is a prepared statement of the connection from its first run, so
PostgreSQL parses it once per connection and, from the sixth run, plans it once (a generic plan, when its estimate
is no worse than the custom plans'). Planning was PostgreSQL's largest cost: 0.3 ms for the memberships' four-table
join on every request, 2.4 ms for the inbox's rows (bench/README.md, "Which statements PostgreSQL spends its CPU
on"). The parameters are keys, uuids and fixed statuses, for which a generic plan is as good as a custom one; a
statement whose best plan depends on a parameter's value (a partial index, a skewed column with LIMIT) must not
use it."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Model


@dataclass(frozen=True)
class Columns:
    """One model's columns in a statement: the SQL select list under `alias`, the field names, and the converters the
    ORM applies to some of them, with the column expression they take."""

    model: type[Model]
    sql: str
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, Any, tuple[Any, ...]], ...]


def columns(model: type[Model], alias: str, without: tuple[str, ...] = ()) -> Columns:
    """`model`'s concrete columns as `alias.column, …` for the current database; `without`: fields not read (large
    columns a list never shows), deferred on the instances as the ORM's `defer` leaves them."""
    return _columns(model, alias, connection.vendor, without)


@lru_cache(maxsize=64)
def _columns(model: type[Model], alias: str, vendor: str, without: tuple[str, ...]) -> Columns:
    if model._meta.pk.name in without:  # type: ignore[union-attr]
        raise ValueError("The primary key is always read (`instances` tells an empty LEFT JOIN by it).")
    fields = [field for field in model._meta.concrete_fields if field.name not in without]
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if functions:
            converters.append((index, column, tuple(functions)))
    select = ", ".join(f"{alias}.{quote(str(field.column))}" for field in fields)
    return Columns(model, select, tuple(field.attname for field in fields), tuple(converters))


def cursor() -> CursorWrapper:
    """Django's cursor (its query log and execute wrappers included) whose statements are prepared on PostgreSQL
    (server-side binding, psycopg's `prepare=True`); the database's ordinary cursor elsewhere."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    # What Django's connection.cursor() does (BaseDatabaseWrapper._cursor), with our cursor class: the health check
    # of a persistent connection first (after a database restart the request must not fail on its dead connection;
    # tests/faults/test_pg_kill.py), then the connection, the errors as Django's.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_prepared_cursor_class()(connection.connection))  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _prepared_cursor_class() -> type:
    from django.db.backends.postgresql.base import ServerBindingCursor  # psycopg only where PostgreSQL is used

    class PreparedCursor(ServerBindingCursor):  # type: ignore[misc,valid-type]
        def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
            result = super().execute(query, params, **{**options, "prepare": True})  # type: ignore[misc]
            # psycopg keeps no query text for a prepared run; Django's query log (DEBUG, CaptureQueriesContext) reads
            # `_query.query`: the statement with its values, as the client-side cursor sends it, made when asked.
            self._query = _Logged(query, params)
            return result

    class _Logged:
        def __init__(self, query: str, params: Any) -> None:
            self._text, self._params = query, params

        @property
        def query(self) -> bytes:
            return connection.ops.compose_sql(self._text, self._params).encode()  # type: ignore[attr-defined]

    return PreparedCursor


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


def instances(row: Sequence[Any], read: Sequence[Columns]) -> list[Any]:
    """The row's instances, one per `read` in order, as the ORM makes them; None for a model whose columns are all
    empty (a LEFT JOIN that found nothing: its primary key, the first column, is NULL)."""
    made: list[Any] = []
    start = 0
    for part in read:
        values = list(row[start : start + len(part.attnames)])
        start += len(part.attnames)
        if values[0] is None:
            made.append(None)
            continue
        for index, expression, functions in part.converters:
            for function in functions:
                values[index] = function(values[index], expression, connection)
        made.append(part.model.from_db(connection.alias, part.attnames, values))
    return made


def value(model: type[Model], name: str, raw: Any) -> Any:
    """One column's value of `model` (a subquery's answer) as the ORM gives it: its field's converters applied."""
    field = model._meta.get_field(name)
    column = field.get_col(model._meta.db_table)  # type: ignore[union-attr]
    for function in connection.ops.get_db_converters(column) + field.get_db_converters(connection):  # type: ignore[union-attr]
        raw = function(raw, column, connection)
    return raw


def one_by(model: type[Model], name: str, key: Any) -> Any:
    """The instance of `model` whose field `name` (its primary key or a unique field) is `key`, or None: what
    `model.objects.filter(**{name: key}).first()` answers, as one prepared statement (a hot read: the user of every
    signed-in request, the tombstone of every 404; building the ORM's query cost about 0.25 ms each time)."""
    sql, read = _one_by(model, name, connection.vendor)
    with cursor() as reading:
        reading.execute(sql, [key])
        row = reading.fetchone()
    return None if row is None else instances(row, read)[0]


@lru_cache(maxsize=32)
def _one_by(model: type[Model], name: str, vendor: str) -> tuple[str, tuple[Columns, ...]]:
    field = model._meta.get_field(name)
    if not (field.primary_key or field.unique):  # type: ignore[union-attr]
        raise ValueError(f"{model.__name__}.{name} is not unique: one_by reads one row by a unique field.")
    read = (columns(model, "t"),)
    # Only the model's own table and column names, quoted; the key is a parameter.
    sql = f"SELECT {read[0].sql} FROM {table(model)} t WHERE t.{quote(str(field.column))} = %s"  # type: ignore[union-attr]  # noqa: S608
    return sql, read
