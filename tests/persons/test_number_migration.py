"""The migration that took the national register number out of the table in clear: forward it indexes and seals a
plain number and drops the column; backward it opens the seal into the plain column again."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from loket.persons.number_protection import number_index, number_key_id, number_unseal
from tests.mandates.conftest import rrn

BEFORE = ("persons", "0002_alter_person_created_at_alter_person_updated_at_and_more")
AFTER = ("persons", "0003_national_number_protected")
KEY = "migration-test-key-" + "m" * 40
NUMBER = rrn(date(1961, 11, 23), 7)


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # the recorder's view after the previous run
    executor.migrate([target])


def _columns() -> list[str]:
    with connection.cursor() as cursor:
        return [column.name for column in connection.introspection.get_table_description(cursor, "persons_person")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_a_plain_number_and_going_back_opens_it(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_NUMBER_KEYS = [KEY]
    try:
        _migrate(BEFORE)
        assert "national_number" in _columns() and "national_number_index" not in _columns()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO persons_person (uuid, given_names, used_given_name, family_name, national_number, sex,"
                " nationality, created_at, updated_at) VALUES (%s, 'Oud', 'Oud', 'Rij', %s, '', '', %s, %s)",
                ["0c0ffee0000000000000000000000001", NUMBER, "2020-01-01 00:00:00", "2020-01-01 00:00:00"],
            )
            cursor.execute(
                "INSERT INTO persons_person (uuid, given_names, used_given_name, family_name, national_number, sex,"
                " nationality, created_at, updated_at) VALUES (%s, 'Zonder', 'Zonder', 'Nummer', NULL, '', '', %s, %s)",
                ["0c0ffee0000000000000000000000002", "2020-01-01 00:00:00", "2020-01-01 00:00:00"],
            )

        _migrate(AFTER)
        assert "national_number" not in _columns()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT family_name, national_number_index, national_number_sealed FROM persons_person ORDER BY id"
            )
            (_, index, sealed), (_, no_index, no_seal) = cursor.fetchall()
            cursor.execute("SELECT * FROM persons_person")
            assert NUMBER not in repr(cursor.fetchall())
        assert index == number_index(NUMBER, KEY) and index.startswith(number_key_id(KEY) + "$")
        assert number_unseal(sealed) == NUMBER
        assert (no_index, no_seal) == (None, "")

        _migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT national_number FROM persons_person ORDER BY id")
            assert cursor.fetchall() == [(NUMBER,), (None,)]
    finally:  # the rest of the suite runs on the latest schema
        _migrate_all_forward()


def _migrate_all_forward() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
