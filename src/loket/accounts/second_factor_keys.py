"""How the key of a back-office person's authenticator app is kept: sealed, never in clear (ASVS 2.8.2).

The app and the Loket share a 20-byte key (RFC 6238). The database holds it only sealed (`core.sealing`: Fernet,
AES-128-CBC + HMAC-SHA256) under a key that is not in the database or its backups: one derived with HKDF-SHA256 from the
secrets of `settings.LOKET_PERSON_NUMBER_KEYS`, with a salt of its own, as `persons/number_protection.py` derives its
keys from the same secrets. That setting, not SECRET_KEY, because these keys live as long as the phone, like the
national register numbers, and rotate with them: the first secret is current, the others are old ones still read, and
`manage.py person_numbers_rekey` moves every sealed app key to the current secret too, after which an old one can go.
SECRET_KEY is replaced yearly with a fallback kept for a day (and without one after a leak); sealed under it, every app
would stop working at the first rotation nobody followed with a rekey.

A seal that no configured key opens (an old key dropped too early, or a changed row) raises `SealUnreadable`; the
sign-in refuses with a message and the event is logged and audited (`second_factor.py`). Nothing here puts a key in an
exception, a log line or the audit trail."""

import secrets
from dataclasses import dataclass

from django.db import transaction

from loket.accounts.models import SecondFactorDevice
from loket.core.audit import audit_record
from loket.core.sealing import SealUnreadable, person_number_keys, seal, sealed_under_current, unseal

SEAL_SALT = b"loket.accounts.second_factor.seal"
KEY_BYTES = 20  # RFC 4226's recommended length for HMAC-SHA1, as django-otp's TOTP device makes them


def app_key_seal(key: bytes) -> str:
    """The app's key sealed under the current secret."""
    return seal(key, secrets=person_number_keys(), salt=SEAL_SALT)


def app_key_new() -> str:
    """A new random app key, sealed: the clear key exists only in memory, when the set-up page shows it."""
    return app_key_seal(secrets.token_bytes(KEY_BYTES))


def app_key_unseal(sealed: str) -> bytes:
    """The app's key from its seal, under any configured secret (current first); SealUnreadable when none opens it."""
    return unseal(sealed, secrets=person_number_keys(), salt=SEAL_SALT)


def app_key_is_current(sealed: str) -> bool:
    """Whether the current secret opens the seal (a rekey need not touch it)."""
    return sealed_under_current(sealed, secrets=person_number_keys(), salt=SEAL_SALT)


@dataclass(frozen=True)
class RekeyCounts:
    rekeyed: int  # apps moved to the current secret
    unreadable: int  # apps no configured secret opens: left as they are


def app_keys_rekey(*, actor_label: str) -> RekeyCounts:
    """Seal every app key that is not under the current secret again under it. Idempotent; audited once, counts
    only, with the command that ran it (`actor_label`). A back office has tens of people: one transaction."""
    rekeyed = unreadable = 0
    with transaction.atomic():
        for device in SecondFactorDevice.objects.select_for_update().order_by("pk"):
            if app_key_is_current(device.sealed_key):
                continue
            try:
                key = app_key_unseal(device.sealed_key)
            except SealUnreadable:
                unreadable += 1
                continue
            device.sealed_key = app_key_seal(key)
            device.save(update_fields=["sealed_key"])
            rekeyed += 1
        audit_record(
            action="second_factor.rekeyed",
            actor=None,
            actor_label=actor_label,
            count=rekeyed,
            unreadable=unreadable,
        )
    return RekeyCounts(rekeyed=rekeyed, unreadable=unreadable)
