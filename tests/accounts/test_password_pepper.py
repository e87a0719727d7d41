"""The back office's passwords are stored with a pepper (ASVS 2.4.5, accounts/passwords.py): PBKDF2 of HMAC-SHA256
under a key derived from LOKET_PERSON_NUMBER_KEYS, the key's id in the stored string. A hash made with an old key still
signs in and is moved to the current key by that sign-in; one whose key is gone fails like a wrong password, logged;
a hash of Django's own hasher is peppered at the next sign-in; a known vector pins the derivation."""

import io
import logging

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.core.management import CommandError, call_command
from django.test import Client

import loket.settings
from loket.accounts.models import User
from loket.accounts.passwords import (
    ALGORITHM,
    PEPPER_SALT,
    PepperedPBKDF2PasswordHasher,
    password_key_id,
    password_pepper,
)
from loket.core.models import AuditEvent
from tests.accounts.conftest import PASSWORD, keys_in_use
from tests.conftest import make_user
from tests.support.second_factor import CODE_PAGE, helpdesk_sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle", "production_hashers")]
OLD_KEY = "old-person-number-key-" + "o" * 40
NEW_KEY = "new-person-number-key-" + "n" * 40
SALT = "pepperedsalt0123456789"
FEW = 1000  # iterations where the work factor is not what a test is about (the real one: a second per hash)

# Made on 2026-12-07 by accounts/passwords.py and, independently, by hashlib and cryptography's HKDF from its definition
# (PBKDF2-SHA256 of the hex HMAC-SHA256 under HKDF-SHA256(secret, salt PEPPER_SALT, info "v1")). If this changes,
# every stored password stops verifying: nobody in the back office can sign in.
VECTOR_SECRET = "vector-pepper-secret-0123456789"
VECTOR_PASSWORD = "juist-wachtwoord-123"
VECTOR = "loket_pbkdf2_peppered$3121e9dd$1000$vectorsalt0123456789ab$MW+nK1grGMxPM1B71KcbNtivRntLzdnjUAi19hoMTvI="


@pytest.fixture
def production_hashers(settings):  # type: ignore[no-untyped-def]
    """The settings' own list, whatever a test run may set for speed: these tests are about the real first hasher."""
    settings.PASSWORD_HASHERS = loket.settings.PASSWORD_HASHERS


def _stored(user: User) -> str:
    user.refresh_from_db()
    return user.password


def test_the_peppered_hasher_comes_first_and_django_s_own_follow():  # type: ignore[no-untyped-def]
    assert loket.settings.PASSWORD_HASHERS[0] == "loket.accounts.passwords.PepperedPBKDF2PasswordHasher"
    assert loket.settings.PASSWORD_HASHERS[1] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert PepperedPBKDF2PasswordHasher.iterations == PBKDF2PasswordHasher.iterations  # Django's work factor


def test_a_password_hashed_with_the_pepper_verifies(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]
    encoded = make_password(PASSWORD)
    assert encoded.startswith(f"{ALGORITHM}${password_key_id(NEW_KEY)}${PBKDF2PasswordHasher.iterations}$")
    assert check_password(PASSWORD, encoded)
    assert not check_password(PASSWORD + "4", encoded)
    assert not PepperedPBKDF2PasswordHasher().must_update(encoded)


def test_the_same_password_with_another_pepper_key_does_not_verify(settings):  # type: ignore[no-untyped-def]
    hasher = PepperedPBKDF2PasswordHasher()
    under_old = hasher.encode_with(PASSWORD, SALT, FEW, secret=OLD_KEY)
    under_new = hasher.encode_with(PASSWORD, SALT, FEW, secret=NEW_KEY)
    assert under_old.rsplit("$", 1)[1] != under_new.rsplit("$", 1)[1]  # same salt and password: the pepper differs
    # The new key's hash presented as the old key's: both keys configured, still refused.
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]
    posing = under_new.replace(password_key_id(NEW_KEY), password_key_id(OLD_KEY), 1)
    assert not check_password(PASSWORD, posing)
    assert check_password(PASSWORD, under_new) and check_password(PASSWORD, under_old)


def test_a_hash_whose_key_is_gone_fails_like_a_wrong_password_and_is_logged(  # type: ignore[no-untyped-def]
    hilde, client, settings, caplog
):
    keys_in_use(settings, [OLD_KEY], password_of=hilde)
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]  # the old key dropped before hilde signed in again
    colleague = make_user("dirk-demo", staff=True)
    colleague.set_password(PASSWORD)
    colleague.save()
    stored = _stored(hilde)
    with caplog.at_level(logging.ERROR, logger="loket.security"):
        wrong = Client().post("/helpdesk/login/", {"username": "dirk-demo", "password": "fout-wachtwoord-123"})
        refused = client.post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD})
    assert refused.status_code == wrong.status_code == 200
    assert "Voer de correcte gebruikersnaam en wachtwoord voor een stafaccount in" in refused.content.decode()
    assert "Voer de correcte gebruikersnaam en wachtwoord voor een stafaccount in" in wrong.content.decode()
    assert client.get(CODE_PAGE).status_code == 302  # no code asked: the password step failed
    assert AuditEvent.objects.filter(action="login.failed").count() == 2
    assert [r.getMessage() for r in caplog.records if r.name == "loket.security"] == [
        f"password: a stored password hash is peppered with key {password_key_id(OLD_KEY)}, which "
        "LOKET_PERSON_NUMBER_KEYS no longer holds; the sign-in fails (put the old key back, or give the person a new "
        "password)"
    ]
    assert PASSWORD not in caplog.text
    assert _stored(hilde) == stored  # nothing written


def test_an_old_key_hash_verifies_and_a_sign_in_moves_it_to_the_current_key(hilde, client, settings):  # type: ignore[no-untyped-def]
    keys_in_use(settings, [OLD_KEY], password_of=hilde)
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]  # a rotation started: the old key behind the new
    old = _stored(hilde)
    hasher = PepperedPBKDF2PasswordHasher()
    assert hasher.verify(PASSWORD, old) and hasher.must_update(old)

    answer, _key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    assert answer.status_code == 302
    moved = _stored(hilde)
    assert moved.startswith(f"{ALGORITHM}${password_key_id(NEW_KEY)}$") and not hasher.must_update(moved)
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]  # the old key dropped: the password still signs in
    assert Client().post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": PASSWORD})["Location"] == (
        CODE_PAGE
    )


def test_the_rekey_names_who_still_needs_an_old_key_and_fails_until_they_signed_in(hilde, client, settings):  # type: ignore[no-untyped-def]
    keys_in_use(settings, [OLD_KEY], password_of=hilde)
    lapsed = make_user("gert-gewezen", staff=True)
    lapsed.password = PepperedPBKDF2PasswordHasher().encode_with(PASSWORD, SALT, FEW, secret="a-key-long-gone")
    lapsed.save(update_fields=["password"])
    before = make_user("bart-bewaard", staff=True)
    before.password = PBKDF2PasswordHasher().encode(PASSWORD, SALT, FEW)  # stored before the pepper
    before.save(update_fields=["password"])
    make_user("oidc-only").set_unusable_password()  # ACM/IDM only: no password, not counted

    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]
    with pytest.raises(CommandError):
        call_command("person_numbers_rekey", stdout=(out := io.StringIO()), stderr=(err := io.StringIO()))
    assert "1 wachtwoord(en) van de backoffice nog zonder pepper, die krijgen het bij de volgende aanmelding: " in (
        out.getvalue()
    )
    assert "aanmelding: bart-bewaard." in out.getvalue()
    assert "1 wachtwoord(en) van de backoffice nog onder een oude sleutel: hilde-helpdesk. Laat die sleutel" in (
        err.getvalue()
    )
    assert "niet meer in LOKET_PERSON_NUMBER_KEYS staat: gert-gewezen. Zij kunnen zich niet aanmelden" in (
        err.getvalue()
    )

    helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    lapsed.set_password(PASSWORD)  # the helpdesk gave a new password
    lapsed.save(update_fields=["password"])
    call_command("person_numbers_rekey", stdout=(out := io.StringIO()), stderr=(err := io.StringIO()))
    assert "oude sleutel" not in err.getvalue() and "niet meer in" not in err.getvalue()
    assert "nog zonder pepper" in out.getvalue()  # only a sign-in peppers it; the old key is not needed for it


def test_a_django_default_hash_is_peppered_at_the_next_sign_in(hilde, client, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]
    hilde.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())  # Django's own, as before
    hilde.save(update_fields=["password"])
    answer, _key = helpdesk_sign_in(client, "hilde-helpdesk", PASSWORD)
    assert answer.status_code == 302
    peppered = _stored(hilde)
    assert peppered.startswith(f"{ALGORITHM}${password_key_id(NEW_KEY)}${PBKDF2PasswordHasher.iterations}$")
    assert check_password(PASSWORD, peppered)


def test_an_unusable_password_stays_unusable(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]
    person = make_user("oidc-only")
    person.set_unusable_password()
    person.save()
    assert _stored(person).startswith("!") and not person.has_usable_password()
    assert not person.check_password("") and _stored(person).startswith("!")


def test_the_stored_string_holds_neither_the_pepper_nor_the_password():  # type: ignore[no-untyped-def]
    import base64
    import hashlib
    import hmac

    encoded = PepperedPBKDF2PasswordHasher().encode_with(PASSWORD, SALT, FEW, secret=NEW_KEY)
    pepper = password_pepper(NEW_KEY)
    peppered_password = hmac.new(pepper, PASSWORD.encode(), hashlib.sha256).hexdigest()
    for secret_form in (
        PASSWORD,
        NEW_KEY,
        pepper.hex(),
        base64.b64encode(pepper).decode(),
        base64.urlsafe_b64encode(pepper).decode(),
        peppered_password,
    ):
        assert secret_form.lower() not in encoded.lower()
    assert PEPPER_SALT == b"loket.accounts.password.pepper"  # its own purpose: no other key is derived with it


def test_a_known_vector_still_verifies_and_is_made_again(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_NUMBER_KEYS = [VECTOR_SECRET]
    hasher = PepperedPBKDF2PasswordHasher()
    assert hasher.encode_with(VECTOR_PASSWORD, "vectorsalt0123456789ab", 1000, secret=VECTOR_SECRET) == VECTOR
    assert check_password(VECTOR_PASSWORD, VECTOR)
    assert hasher.must_update(VECTOR)  # only for its low work factor
