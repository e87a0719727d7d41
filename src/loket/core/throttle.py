"""A small fixed-window rate limiter on the cache (shared across app servers when the cache is Redis)."""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def throttle_hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; True while the caller is within `limit` hits in the current window. The first hit
    over the limit in a window raises a security alert (core/alerts.py)."""
    window = int(timezone.now().timestamp()) // window_seconds
    cache_key = f"throttle:{key}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    if count == limit + 1:
        from loket.core.alerts import throttle_alert

        throttle_alert(key=key, limit=limit, window_seconds=window_seconds)
    return count <= limit


def client_ip(request) -> str:  # type: ignore[no-untyped-def]
    """The client's address for throttling and the audit trail. Behind reverse proxies (`LOKET_TRUSTED_PROXY_HOPS`
    = how many of them add themselves to X-Forwarded-For) it is the address the outermost trusted proxy saw: the
    entry that many places from the right. Entries further left are the client's own words and never trusted;
    a header too short or not an address falls back to REMOTE_ADDR (ASVS 14.5.4: without this every client
    behind the proxy shares one throttle counter, the proxy's)."""
    remote = request.META.get("REMOTE_ADDR", "unknown")
    hops = settings.LOKET_TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def throttle_retry_after(*, window_seconds: int) -> int:
    """Seconds until the current window ends."""
    return window_seconds - int(timezone.now().timestamp()) % window_seconds
