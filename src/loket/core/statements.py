"""Hot reads as one hand-written SQL statement whose rows become model instances exactly as the ORM makes them.

For a read of one row with its related rows, Django's ORM spends more CPU building the query and the instances
(0.5–1.3 ms for a select_related over a few tables) than PostgreSQL spends answering it (0.1–0.2 ms). The reads that
(nearly) every signed-in request makes are therefore written as SQL once per process: the user's memberships
(accounts.selectors), the clerk's submission (supervision.access). The statement selects each model's own concrete
columns (`columns`), so a field added to a model is read too, and `instances` turns a row into model instances with
`Model.from_db` and the converters the ORM applies to those columns (SQLite returns times as text, for instance).
Only table and column names from the models go into the SQL, quoted; values are parameters. Every user of this module
has a test that compares its answer with the ORM's (bench/README.md, "CPU per request")."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
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
