"""The vendor API's settings, each overridable in Django settings or the environment (see .env.example)."""

import os

from django.conf import settings


def _setting(name: str, default: float) -> float:
    value = getattr(settings, name, None)
    if value is None:
        return float(os.environ.get(name, default))
    return float(value)


def rate_per_minute() -> int:
    """POST /melding (and the other endpoints) per vendor per minute."""
    return int(_setting("LOKET_VENDOR_THROTTLE", 1200))


def auth_failures_per_address() -> int:
    """Failed authentications (unknown vendor, wrong key) one client address may make per window."""
    return int(_setting("LOKET_VENDOR_AUTH_FAILURES_PER_ADDRESS", 20))


def auth_failures_per_vendor() -> int:
    """Failed authentications claiming one vendor per window, from all addresses together."""
    return int(_setting("LOKET_VENDOR_AUTH_FAILURES_PER_VENDOR", 50))


def auth_failure_window_seconds() -> int:
    return int(_setting("LOKET_VENDOR_AUTH_FAILURE_WINDOW_SECONDS", 300))


def status_rate_per_minute() -> int:
    """POST /status per submission per minute (as the real Loket: 5)."""
    return int(_setting("LOKET_VENDOR_STATUS_THROTTLE", 5))


def access_cache_seconds() -> float:
    """How long this process remembers that a vendor may push for an organisation (see access.py)."""
    return _setting("LOKET_VENDOR_ACCESS_CACHE_SECONDS", 5)


def max_page_bytes() -> int:
    return int(_setting("LOKET_VENDOR_MAX_PAGE_BYTES", 10 * 1024 * 1024))


def max_attachment_bytes() -> int:
    return int(_setting("LOKET_VENDOR_MAX_ATTACHMENT_BYTES", 100 * 1024 * 1024))


def fetch_timeout() -> float:
    return _setting("LOKET_VENDOR_FETCH_TIMEOUT", 15)


def attempt_seconds() -> float:
    """The hard bound on one download attempt (page or attachment), connecting and every read included."""
    return _setting("LOKET_VENDOR_ATTEMPT_SECONDS", 30)


def download_attempts() -> int:
    """How often a page is tried (with backoff in between) before the job fails."""
    return int(_setting("LOKET_VENDOR_DOWNLOAD_ATTEMPTS", 5))


def backoff_base_seconds() -> float:
    return _setting("LOKET_VENDOR_BACKOFF_SECONDS", 10)


def stale_seconds() -> float:
    """The lease: a busy job whose worker has not renewed it for this long is taken to be abandoned (its worker
    died). A worker renews it at every step and attachment, each bounded by attempt_seconds(), well within it."""
    return _setting("LOKET_VENDOR_JOB_STALE_SECONDS", 60)
