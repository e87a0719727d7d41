"""Sealing a secret at rest: the one way the Loket encrypts a value it must read back (ASVS 6.2.1, 6.2.3).

A seal is a Fernet token (AES-128-CBC + HMAC-SHA256, a random IV per seal) under a key derived with HKDF-SHA256 from
a configured secret, with a salt per purpose: the same secret never gives two purposes the same key. The caller
names its secrets, current first: `seal` uses the first, `unseal` tries them all (a rotation's old secrets), and
`sealed_under_current` tells a rekey which seals to redo. Users: a vendor's page credentials (SECRET_KEY and its
fallbacks), the national register numbers and the back office's app keys (LOKET_PERSON_NUMBER_KEYS). `derived_key`
also gives the keys that are not seals: the numbers' index key and the back office's password pepper
(`accounts/passwords.py`), from the same secrets."""

import base64
from collections.abc import Sequence
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SealUnreadable(Exception):
    """None of the secrets opens this seal (an old secret dropped too early, or a changed value)."""


@lru_cache(maxsize=64)
def derived_key(secret: str, salt: bytes) -> bytes:
    """32 bytes for one purpose (`salt`) from one secret."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"v1").derive(secret.encode("utf-8"))


def _fernet(secret: str, salt: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(derived_key(secret, salt)))


def person_number_keys() -> list[str]:
    """The secrets of `LOKET_PERSON_NUMBER_KEYS`, current first: for values that live as long as a person's record or
    phone (the national register numbers, the back office's app keys), rotated by `manage.py person_numbers_rekey`."""
    keys = [key for key in settings.LOKET_PERSON_NUMBER_KEYS if key]
    if not keys:
        raise ValueError("LOKET_PERSON_NUMBER_KEYS holds no key.")
    return keys


def _secrets(secrets: Sequence[str]) -> list[str]:
    given = [secret for secret in secrets if secret]
    if not given:
        raise ValueError("No secret to seal with is configured.")
    return given


def seal(value: bytes, *, secrets: Sequence[str], salt: bytes) -> str:
    """`value` sealed under the current (first) secret."""
    return _fernet(_secrets(secrets)[0], salt).encrypt(value).decode("ascii")


def unseal(token: str | bytes, *, secrets: Sequence[str], salt: bytes) -> bytes:
    """The value of a seal made under any of the secrets; raises SealUnreadable when none opens it."""
    raw = token if isinstance(token, bytes) else token.encode("ascii", errors="replace")
    try:
        return MultiFernet([_fernet(secret, salt) for secret in _secrets(secrets)]).decrypt(raw)
    except InvalidToken as error:
        raise SealUnreadable("None of the configured secrets opens this seal.") from error


def sealed_under_current(token: str, *, secrets: Sequence[str], salt: bytes) -> bool:
    """Whether the current secret opens the seal (a rekey need not touch it)."""
    try:
        _fernet(_secrets(secrets)[0], salt).decrypt(token.encode("ascii", errors="replace"))
    except InvalidToken:
        return False
    return True
