"""A small fixed-window rate limiter on the cache (shared across app servers when the cache is Redis)."""

from django.core.cache import cache
from django.utils import timezone


def throttle_hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; True while the caller is within `limit` hits in the current window."""
    window = int(timezone.now().timestamp()) // window_seconds
    cache_key = f"throttle:{key}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit


def client_ip(request) -> str:  # type: ignore[no-untyped-def]
    return request.META.get("REMOTE_ADDR", "unknown")


def throttle_retry_after(*, window_seconds: int) -> int:
    """Seconds until the current window ends."""
    return window_seconds - int(timezone.now().timestamp()) % window_seconds
