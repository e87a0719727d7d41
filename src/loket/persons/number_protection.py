"""How a national register number is kept: never in clear (ASVS 6.1.1, 8.3.7).

Two columns replace the number. The *index* is a keyed hash, HMAC-SHA256 of the 11 digits, prefixed with the id of
the key that made it (`"<key id>$<hex>"`): it answers the only questions the Loket asks of a number, "who has this
number?" and "is it already known?", by an exact match, without the database ever holding the number. The *seal*
is the number encrypted (Fernet: AES-128-CBC + HMAC-SHA256), so the server can still give it back to the one stream
that needs it (the real Loket's authenticated "persons-sensitive" export); nothing in the Loket shows it.

The keys are `settings.LOKET_PERSON_NUMBER_KEYS` (env `LOKET_PERSON_NUMBER_KEYS`, comma-separated): the first is
current, the others are old keys still read during a rotation. From each secret, HKDF-SHA256 derives one key per
purpose (a distinct salt each), as `vendors/credentials.py` does from SECRET_KEY. A lookup tries the index of every
configured key; `manage.py person_numbers_rekey` moves every row to the current key, after which an old key can go.

Nothing here puts the digits in an exception, a log line or the audit trail.
"""

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

INDEX_SALT = b"loket.persons.number.index"
SEAL_SALT = b"loket.persons.number.seal"
KEY_ID_LENGTH = 8
SEPARATOR = "$"
_DIGITS = re.compile(r"[0-9]{11}")


@lru_cache(maxsize=32)
def _derive(secret: str, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"v1").derive(secret.encode("utf-8"))


def _keys() -> list[str]:
    keys = [key for key in settings.LOKET_PERSON_NUMBER_KEYS if key]
    if not keys:
        raise ValueError("LOKET_PERSON_NUMBER_KEYS holds no key.")
    return keys


def number_key_id(key: str) -> str:
    """A short, stable fingerprint of a key's index key: rows say which key made them (a hash of a derived key,
    which gives nothing of the key away)."""
    return hashlib.sha256(_derive(key, INDEX_SALT)).hexdigest()[:KEY_ID_LENGTH]


def number_current_key_id() -> str:
    return number_key_id(_keys()[0])


def number_index_key_id(index: str) -> str:
    """The id of the key that made an index."""
    return index.partition(SEPARATOR)[0]


def _checked(digits: str) -> bytes:
    if not _DIGITS.fullmatch(digits or ""):
        raise ValueError("A national register number is indexed and sealed as its 11 digits only.")
    return digits.encode("ascii")


def number_index(digits: str, key: str) -> str:
    """The keyed hash of the 11 digits under one key, prefixed with that key's id."""
    mac = hmac.new(_derive(key, INDEX_SALT), _checked(digits), hashlib.sha256).hexdigest()
    return f"{number_key_id(key)}{SEPARATOR}{mac}"


def number_current_index(digits: str) -> str:
    """The index a row is written with: under the current key."""
    return number_index(digits, _keys()[0])


def number_indexes(digits: str) -> list[str]:
    """The index under every configured key, current first: a lookup or a uniqueness check matches any of them."""
    return [number_index(digits, key) for key in _keys()]


def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(key, SEAL_SALT)))


def number_seal(digits: str) -> str:
    """The 11 digits encrypted under the current key."""
    return _fernet(_keys()[0]).encrypt(_checked(digits)).decode("ascii")


def number_unseal(token: str) -> str | None:
    """The digits back from a seal made under any configured key; None when none of them opens it."""
    if not token:
        return None
    try:
        return MultiFernet([_fernet(key) for key in _keys()]).decrypt(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        return None
