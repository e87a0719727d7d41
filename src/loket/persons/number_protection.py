"""How a national register number is kept: never in clear (ASVS 6.1.1, 8.3.7).

Two columns replace the number. The *index* is a keyed hash, HMAC-SHA256 of the 11 digits, prefixed with the id of the
key that made it (`"<key id>$<hex>"`): it answers the only questions the Loket asks of a number, "who has this number?"
and "is it already known?", by an exact match, without the database ever holding the number. The *seal* is the number
encrypted (`core.sealing`: Fernet, AES-128-CBC + HMAC-SHA256), so the server can still give it back to the one stream
that needs it (the real Loket's authenticated "persons-sensitive" export); nothing in the Loket shows it.

The keys are `settings.LOKET_PERSON_NUMBER_KEYS` (env `LOKET_PERSON_NUMBER_KEYS`, comma-separated): the first is
current, the others are old keys still read during a rotation. From each secret, HKDF-SHA256 derives one key per purpose
(a distinct salt each), as `vendors/credentials.py` does from SECRET_KEY. A lookup tries the index of every configured
key; `manage.py person_numbers_rekey` moves every row to the current key, after which an old key can go.

Nothing here puts the digits in an exception, a log line or the audit trail."""

import hashlib
import hmac
import re

from loket.core.sealing import SealUnreadable, derived_key, person_number_keys, seal, unseal

INDEX_SALT = b"loket.persons.number.index"
SEAL_SALT = b"loket.persons.number.seal"
KEY_ID_LENGTH = 8
SEPARATOR = "$"
_DIGITS = re.compile(r"[0-9]{11}")


def number_key_id(key: str) -> str:
    """A short, stable fingerprint of a key's index key: rows say which key made them (a hash of a derived key,
    which gives nothing of the key away)."""
    return hashlib.sha256(derived_key(key, INDEX_SALT)).hexdigest()[:KEY_ID_LENGTH]


def number_current_key_id() -> str:
    return number_key_id(person_number_keys()[0])


def number_index_key_id(index: str) -> str:
    """The id of the key that made an index."""
    return index.partition(SEPARATOR)[0]


def _checked(digits: str) -> bytes:
    if not _DIGITS.fullmatch(digits or ""):
        raise ValueError("A national register number is indexed and sealed as its 11 digits only.")
    return digits.encode("ascii")


def number_index(digits: str, key: str) -> str:
    """The keyed hash of the 11 digits under one key, prefixed with that key's id."""
    mac = hmac.new(derived_key(key, INDEX_SALT), _checked(digits), hashlib.sha256).hexdigest()
    return f"{number_key_id(key)}{SEPARATOR}{mac}"


def number_current_index(digits: str) -> str:
    """The index a row is written with: under the current key."""
    return number_index(digits, person_number_keys()[0])


def number_indexes(digits: str) -> list[str]:
    """The index under every configured key, current first: a lookup or a uniqueness check matches any of them."""
    return [number_index(digits, key) for key in person_number_keys()]


def number_seal(digits: str) -> str:
    """The 11 digits encrypted under the current key."""
    return seal(_checked(digits), secrets=person_number_keys(), salt=SEAL_SALT)


def number_unseal(token: str) -> str | None:
    """The digits back from a seal made under any configured key; None when none of them opens it."""
    if not token:
        return None
    try:
        return unseal(token, secrets=person_number_keys(), salt=SEAL_SALT).decode("ascii")
    except (SealUnreadable, UnicodeError):
        return None
