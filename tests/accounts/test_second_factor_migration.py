"""The migration that moved the back office's authenticator apps out of django-otp's table, where their keys were hex
in clear: forward each app is sealed with its state and the old row is gone, and its person signs in with the same
app; backward the key is opened into django-otp's table again."""

import time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from loket.accounts.models import SecondFactorDevice
from loket.accounts.second_factor_keys import app_key_is_current, app_key_unseal
from tests.accounts.conftest import PASSWORD, keys_in_use
from tests.support.second_factor import helpdesk_sign_in

BEFORE = ("accounts", "0006_signed_in_sessions")
AFTER = ("accounts", "0007_second_factor_device_sealed")
KEY = bytes(range(1, 21))  # the app's key, 20 bytes
MIGRATION_SECRET = "migration-test-key-" + "t" * 40


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _migrate_all_forward() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _plain_rows() -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT user_id, key, confirmed, last_t, throttling_failure_count FROM otp_totp_totpdevice")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_throttle")
def test_the_migration_seals_an_existing_app_which_still_signs_in_and_going_back_opens_it(hilde, settings):  # type: ignore[no-untyped-def]
    keys_in_use(settings, [MIGRATION_SECRET], password_of=hilde)
    last_t = int(time.time() // 30) - 10  # signed in five minutes ago
    try:
        _migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO otp_totp_totpdevice (user_id, name, confirmed, key, step, t0, digits, tolerance, drift,"
                " last_t, throttling_failure_count, throttling_failure_timestamp, created_at, last_used_at)"
                " VALUES (%s, 'Loket back office', %s, %s, 30, 0, 6, 1, 0, %s, 0, NULL, %s, NULL)",
                [hilde.pk, True, KEY.hex(), last_t, "2026-01-02 03:04:05"],
            )

        _migrate(AFTER)
        assert _plain_rows() == []  # no clear key left behind
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM accounts_secondfactordevice")
            assert KEY.hex() not in repr(cursor.fetchall()).lower()
        device = SecondFactorDevice.objects.get(user=hilde)
        assert device.confirmed and device.last_t == last_t and device.created_at.year == 2026
        assert app_key_unseal(device.sealed_key) == KEY and app_key_is_current(device.sealed_key)

        answer, _key = helpdesk_sign_in(Client(), "hilde-helpdesk", PASSWORD, key=KEY)  # the same app as before
        assert answer.status_code == 302 and answer["Location"] == "/"
        signed_in_at = SecondFactorDevice.objects.get(user=hilde).last_t
        assert signed_in_at > last_t

        _migrate(BEFORE)
        assert _plain_rows() == [(hilde.pk, KEY.hex(), True, signed_in_at, 0)]
    finally:  # the rest of the suite runs on the latest schema
        _migrate_all_forward()
