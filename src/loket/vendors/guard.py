"""Throttling the vendor API's authentication, so that nobody can lock a vendor out or burn the CPU.

Checking a key costs an Argon2 verification (tens of milliseconds of CPU, by design). Failed authentications
(unknown vendor, wrong key) are counted per client address and per claimed vendor, each in its own budget and
apart from the vendor's quota of authenticated requests, which only requests with the right key consume:
- an address that spent its failure budget is refused (429) before any key is checked;
- a claimed vendor whose failure budget is spent (wrong keys from many addresses) has unknown keys refused (429)
  before hashing too, except a key that matches the vendor's last good key (remembered as an HMAC fingerprint in
  the cache for a day) or a request from an address that authenticated as this vendor within that day: the real
  vendor keeps working during such an attack.
So Argon2 runs at most (failure budget) times per window per address and per existing vendor.
"""

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from loket.core.throttle import throttle_hit, throttle_retry_after
from loket.vendors import conf

_DAY = 24 * 3600


@dataclass(frozen=True)
class Refused:
    """Too many failed authentications: the message, and after how many seconds to try again."""

    message: str
    retry_after: int


def _fingerprint(vendor_uri: str, key: str) -> str:
    secret = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(secret, f"{vendor_uri}\n{key}".encode(), hashlib.sha256).hexdigest()


def _address_key(address: str) -> str:
    return f"vendor-auth-fail-ip:{address}"


def _identity_key(vendor_uri: str) -> str:
    return f"vendor-auth-fail-id:{hashlib.sha256(vendor_uri.encode('utf-8')).hexdigest()}"


def _good_address_key(vendor_uri: str, address: str) -> str:
    return f"vendor-auth-good-ip:{hashlib.sha256(f'{vendor_uri} {address}'.encode()).hexdigest()}"


def _good_key_key(vendor_uri: str) -> str:
    return f"vendor-auth-good-key:{hashlib.sha256(vendor_uri.encode('utf-8')).hexdigest()}"


def before_verification(*, vendor_uri: str, key: str, address: str) -> Refused | None:
    """Refuse before any hashing when a failure budget is spent (see the module docstring); None: go on."""
    window = conf.auth_failure_window_seconds()
    # One round trip for both counters (the throttle's cache keys): this runs on every request.
    number = int(timezone.now().timestamp()) // window
    address_key = f"throttle:{_address_key(address)}:{number}"
    identity_key = f"throttle:{_identity_key(vendor_uri)}:{number}"
    counts = cache.get_many([address_key, identity_key])
    if counts.get(address_key, 0) >= conf.auth_failures_per_address():
        return Refused(
            "Too many failed authentications from this address; try again later.",
            throttle_retry_after(window_seconds=window),
        )
    if counts.get(identity_key, 0) < conf.auth_failures_per_vendor():
        return None
    if cache.get(_good_address_key(vendor_uri, address)):
        return None
    remembered = cache.get(_good_key_key(vendor_uri))
    if remembered and hmac.compare_digest(remembered, _fingerprint(vendor_uri, key)):
        return None
    return Refused(
        "Too many failed authentications for this vendor; try again later.", throttle_retry_after(window_seconds=window)
    )


def failed(*, vendor_uri: str, address: str) -> None:
    """Count a failed authentication (unknown vendor or wrong key) against the address and the claimed vendor."""
    window = conf.auth_failure_window_seconds()
    throttle_hit(key=_address_key(address), limit=conf.auth_failures_per_address(), window_seconds=window)
    throttle_hit(key=_identity_key(vendor_uri), limit=conf.auth_failures_per_vendor(), window_seconds=window)


_lock = threading.Lock()
_remembered: dict[tuple[str, str, str], float] = {}


def succeeded(*, vendor_uri: str, key: str, address: str) -> None:
    """Remember the good key's fingerprint and the address, for a day (see the module docstring); this process
    refreshes that at most hourly per vendor, key and address, so the hot path adds no cache round trip."""
    fingerprint = _fingerprint(vendor_uri, key)
    memo = (vendor_uri, fingerprint, address)
    now = time.monotonic()
    with _lock:
        if _remembered.get(memo, 0) > now:
            return
        if len(_remembered) > 10_000:
            _remembered.clear()
        _remembered[memo] = now + 3600
    if cache.get(_good_key_key(vendor_uri)) != fingerprint:
        cache.set(_good_key_key(vendor_uri), fingerprint, timeout=_DAY)
    good_address = _good_address_key(vendor_uri, address)
    if not cache.get(good_address):
        cache.set(good_address, 1, timeout=_DAY)


def guard_memory_clear() -> None:
    with _lock:
        _remembered.clear()
