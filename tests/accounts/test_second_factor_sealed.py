"""The keys of the back office's authenticator apps are sealed at rest (ASVS 2.8.2): the table holds neither the hex
nor the base32 of a key, the app's codes still sign in, a key sealed under an old secret of LOKET_PERSON_NUMBER_KEYS
still opens until `manage.py person_numbers_rekey` moves it to the current one, and a seal no secret opens refuses
the sign-in with a message (logged, audited) instead of a server error."""

import io
import logging
import time
from base64 import b32encode

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from loket.accounts.models import SecondFactorDevice
from loket.accounts.second_factor_keys import app_key_is_current, app_key_unseal
from loket.core.models import AuditEvent
from tests.accounts.conftest import PASSWORD, keys_in_use
from tests.support.second_factor import CODE_PAGE, helpdesk_sign_in, rfc6238_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]
OLD_KEY = "old-person-number-key-" + "o" * 40
NEW_KEY = "new-person-number-key-" + "n" * 40


def _table_text(table: str) -> str:
    """Every row of a table as the database returns it, upper-cased (a hex or base32 key in any case matches)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a fixed table name of the test
        return repr(cursor.fetchall()).upper()


def _sign_in_again(key: bytes) -> Client:
    client = Client()
    answer, _key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD, key=key)
    assert answer.status_code == 302, answer.content[:300]
    return client


def test_the_table_holds_no_clear_key_and_the_app_s_codes_still_sign_in(hilde, client):  # type: ignore[no-untyped-def]
    answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    assert answer.status_code == 302
    rows = _table_text("accounts_secondfactordevice")
    assert key.hex().upper() not in rows
    assert b32encode(key).decode().rstrip("=") not in rows
    assert _table_text("otp_totp_totpdevice") == "[]"  # django-otp's table of clear keys stays empty
    device = SecondFactorDevice.objects.get(user=hilde)
    assert device.confirmed and app_key_unseal(device.sealed_key) == key
    _sign_in_again(key)


def test_a_key_sealed_under_an_old_secret_still_works_and_the_rekey_moves_it(hilde, client, settings):  # type: ignore[no-untyped-def]
    keys_in_use(settings, [OLD_KEY], password_of=hilde)
    _answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    sealed_before = SecondFactorDevice.objects.get(user=hilde).sealed_key

    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]  # a rotation started: the old secret behind the new
    assert not app_key_is_current(sealed_before)
    _sign_in_again(key)
    out = io.StringIO()
    call_command("person_numbers_rekey", stdout=out)
    assert "1 sleutel(s) van de tweede aanmeldstap naar de huidige sleutel gebracht." in out.getvalue()
    device = SecondFactorDevice.objects.get(user=hilde)
    assert device.sealed_key != sealed_before and app_key_is_current(device.sealed_key)
    assert device.last_t >= 0  # the replay guard's state was kept

    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]  # the old secret dropped
    _sign_in_again(key)
    call_command("person_numbers_rekey", stdout=(again := io.StringIO()))
    assert "0 sleutel(s) van de tweede aanmeldstap" in again.getvalue()  # idempotent
    first, second = AuditEvent.objects.filter(action="second_factor.rekeyed").order_by("pk")
    assert first.actor is None and first.actor_label == "manage.py person_numbers_rekey"
    assert (first.details, second.details) == ({"count": 1, "unreadable": 0}, {"count": 0, "unreadable": 0})


def test_the_rekey_refuses_to_call_a_rotation_done_while_an_app_s_secret_is_missing(hilde, client, settings):  # type: ignore[no-untyped-def]
    keys_in_use(settings, [OLD_KEY], password_of=hilde)
    _answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]  # the old secret dropped before the rekey
    with pytest.raises(CommandError):
        call_command("person_numbers_rekey", stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert "1 sleutel(s) van de tweede aanmeldstap opent geen enkele ingestelde sleutel" in err.getvalue()
    assert AuditEvent.objects.get(action="second_factor.rekeyed").details == {"count": 0, "unreadable": 1}
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]  # put back: nothing was lost
    _sign_in_again(key)


@pytest.mark.parametrize("damage", ["tampered", "secret_dropped"])
def test_an_unreadable_seal_refuses_the_sign_in_with_a_message_logged_and_audited(  # type: ignore[no-untyped-def]
    hilde, client, settings, caplog, damage
):
    keys_in_use(settings, [OLD_KEY], password_of=hilde)
    _answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    device = SecondFactorDevice.objects.get(user=hilde)
    if damage == "tampered":  # one character of the ciphertext changed in the database
        sealed = device.sealed_key
        middle = len(sealed) // 2
        changed = sealed[:middle] + ("A" if sealed[middle] != "A" else "B") + sealed[middle + 1 :]
        SecondFactorDevice.objects.filter(pk=device.pk).update(sealed_key=changed)
    else:
        # A rotation: the person signed in while both secrets were configured, which peppered the password with the
        # new one (accounts/passwords.py); then the old secret was dropped before a rekey moved the app's key.
        settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]
        Client().post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD})
        settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]

    other = Client()
    other.post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7")
    page = other.get(CODE_PAGE)
    assert page.status_code == 200 and "<code>" not in page.content.decode()  # no new key offered in its place
    with caplog.at_level(logging.ERROR, logger="loket.security"):
        refused = other.post(CODE_PAGE, {"code": rfc6238_code(key, time.time() + 30)}, REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 400 and "de sleutel ervan is onleesbaar" in refused.content.decode()
    assert "_auth_user_id" not in other.session
    assert [r.getMessage() for r in caplog.records if r.name == "loket.security"] == [
        f"second factor: no key of LOKET_PERSON_NUMBER_KEYS opens the sealed key of device {device.pk} of user "
        f"{hilde.pk} (from 192.0.2.7)"
    ]
    unreadable = AuditEvent.objects.get(action="second_factor.unreadable")
    assert unreadable.actor == hilde and unreadable.details == {"address": "192.0.2.7"}
    assert not AuditEvent.objects.filter(action="login.code_failed").exists()  # not the person's wrong code
    device.refresh_from_db()
    assert device.throttling_failure_count == 0 and device.confirmed

    # The helpdesk resets it; the next sign-in sets up a new app under the current secret.
    call_command("second_factor_reset", "hilde-helpdesk", reason="sleutel onleesbaar", stdout=io.StringIO())
    answer, _new_key = helpdesk_sign_in(Client(), "hilde-helpdesk", PASSWORD)
    assert answer.status_code == 302


def test_an_unconfirmed_app_whose_seal_no_longer_opens_is_replaced_by_a_new_one(hilde, client, settings):  # type: ignore[no-untyped-def]
    keys_in_use(settings, [OLD_KEY], password_of=hilde)
    client.post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD})
    assert "<code>" in client.get(CODE_PAGE).content.decode()
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]
    page = client.get(CODE_PAGE)
    assert page.status_code == 200 and "<code>" in page.content.decode()
    device = SecondFactorDevice.objects.get(user=hilde)
    assert not device.confirmed and app_key_is_current(device.sealed_key)


def test_an_unreadable_seal_at_the_confirmation_before_a_high_value_action_is_a_message_not_a_logout(  # type: ignore[no-untyped-def]
    hilde, client, settings
):
    from tests.accounts.test_step_up import CONFIRM, signed_in_ago

    keys_in_use(settings, [OLD_KEY], password_of=hilde)
    _answer, key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    signed_in_ago(client, 16 * 60)
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]  # the old secret dropped before the rekey
    for _try in range(settings.LOKET_SECOND_FACTOR_TRIES + 1):  # not counted as wrong codes: no logout
        refused = client.post(CONFIRM, {"code": rfc6238_code(key, time.time() + 30), "next": "/"})
        assert refused.status_code == 400 and "de sleutel ervan is onleesbaar" in refused.content.decode()
    assert "_auth_user_id" in client.session
    assert (
        AuditEvent.objects.filter(action="second_factor.unreadable").count() == settings.LOKET_SECOND_FACTOR_TRIES + 1
    )
    assert not AuditEvent.objects.filter(action__in=["login.confirmed", "login.code_failed"]).exists()


def test_no_code_but_the_admin_s_unregistration_touches_django_otp_s_device_with_clear_keys():  # type: ignore[no-untyped-def]
    from pathlib import Path

    import loket

    source = Path(loket.__file__).parent
    users = sorted(
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "otp_totp.models" in path.read_text(encoding="utf-8") or "TOTPDevice" in path.read_text(encoding="utf-8")
    )
    assert users == ["accounts/admin.py", "accounts/migrations/0007_second_factor_device_sealed.py"]
