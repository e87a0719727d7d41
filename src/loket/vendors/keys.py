"""Vendor keys: generated once, shown once, stored only as an Argon2 hash.

Argon2 is slow by design (tens of milliseconds), which would make every `POST /melding` slow. A successful
verification is therefore remembered in this process's memory for `LOKET_VENDOR_KEY_CACHE_SECONDS` (default 60),
keyed by the vendor, its stored hash (a new key invalidates at once) and a SHA-256 of the given key; the key
itself is never kept. Failed verifications are not remembered (and are rate limited per vendor).
"""

import hashlib
import secrets
import threading
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings

_hasher = PasswordHasher()
_lock = threading.Lock()
_verified: dict[tuple[int, str, str], float] = {}
_MAX_ENTRIES = 10_000


def key_generate() -> str:
    """`<key id>.<secret>`: the id (public, stored) finds the vendor for a bearer token; the secret is hashed."""
    return f"{secrets.token_hex(8)}.{secrets.token_urlsafe(32)}"


def key_id_of(key: str) -> str:
    key_id, dot, _secret = key.partition(".")
    return key_id if dot and len(key_id) == 16 else ""


def key_hash(key: str) -> str:
    return _hasher.hash(key)


def _cache_seconds() -> float:
    return float(getattr(settings, "LOKET_VENDOR_KEY_CACHE_SECONDS", 60))


def key_verify(*, vendor_id: int, stored_hash: str, key: str) -> bool:
    """Whether `key` matches the stored hash (constant-time inside Argon2; remembered briefly when it does)."""
    if not stored_hash or not key:
        return False
    cache_key = (vendor_id, stored_hash, hashlib.sha256(key.encode("utf-8")).hexdigest())
    now = time.monotonic()
    with _lock:
        expires = _verified.get(cache_key)
    if expires is not None and expires > now:
        return True
    try:
        _hasher.verify(stored_hash, key)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    with _lock:
        if len(_verified) >= _MAX_ENTRIES:
            _verified.clear()
        _verified[cache_key] = now + _cache_seconds()
    return True


def key_cache_clear() -> None:
    with _lock:
        _verified.clear()
