"""The sessions a user is signed in with ("Mijn sessies", ASVS 3.3.4): every sign-in names its session
(`session_started`, right after `django.contrib.auth.login`), the user sees the live ones with when, how and from
where they signed in, and ends any other one, or all others at once (a lost laptop, a shared computer). Ending deletes
the session from the session store — the browser holding it is signed out at its next request — and is audited.

The rows only name sessions; the session store stays the truth: a row whose session is gone (logged out, expired,
ended, replaced at the next sign-in) is removed when the list is read. A row nobody reads the list for again (the
session simply expired) holds a client address and a browser: `sessions_purge`, run daily by the worker
(`accounts.tasks`), deletes it `LOKET_SIGNED_IN_SESSION_RETENTION_DAYS` after the sign-in (ASVS 8.3.8). The row of a
session that is still live is never deleted, however old."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth import SESSION_KEY as AUTH_USER_KEY
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from loket.accounts.models import SignedInSession, User
from loket.accounts.tasks import schedule_session_purge
from loket.core.audit import audit_record
from loket.core.errors import NotFoundError
from loket.core.throttle import client_ip

BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


@dataclass(frozen=True)
class LiveSession:
    pk: int
    started_at: datetime
    method: str
    address: str
    browser: str
    is_current: bool


def _store(session_key: str | None = None) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def browser_names(user_agent: str) -> str:
    """The browser and system a User-Agent header names, as a row keeps them: product names, untranslated
    ("Firefox/Windows", either part may be empty). The header itself says more than a person needs and is kept
    nowhere else."""
    browser = next((name for token, name in BROWSERS if token in user_agent), "")
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    return f"{browser}/{system}" if browser or system else ""


def browser_label(names: str) -> str:
    """A row's browser in the language of the page that lists it ("Firefox op Windows"), not of the sign-in."""
    browser, separator, system = names.partition("/")
    if not separator:  # nothing recognised
        return names or _("onbekende browser")
    if browser and system:
        return _("%(browser)s op %(system)s") % {"browser": browser, "system": system}
    return browser or system


def session_started(*, request: HttpRequest, user: User, method: str) -> SignedInSession | None:
    """Name the session `request` was just signed in with (call right after `login`, which gave it a new key)."""
    if not request.session.session_key:
        request.session.save()
    key = request.session.session_key
    if not key:
        return None
    found, _created = SignedInSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "started_at": timezone.now(),
            "method": method,
            "address": client_ip(request)[:64],
            "browser": browser_names(request.headers.get("User-Agent", ""))[:300],
        },
    )
    schedule_session_purge()  # the rows' retention: the first sign-in starts the daily purge
    return found


def _names_user(data: dict[str, Any], user_id: int) -> bool:
    return str(data.get(AUTH_USER_KEY, "")) == str(user_id)


def _belongs_to(session_key: str, user: User) -> bool:
    """The session is live and still signs `user` in: it names the user, and its hash is one Django's `get_user`
    accepts (made from the user's current password, with the secret key or a fallback). A session from before a
    password change is dead: Django signs it out at its next request (ASVS 3.3.3), so the list does not show it."""
    data = _store(session_key).load()  # {} when the session is gone or expired
    if not _names_user(data, user.pk):
        return False
    stored = str(data.get(HASH_SESSION_KEY, ""))
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    # Django's own hash per secret (AbstractBaseUser._get_session_auth_hash, what its get_user compares)
    hashes = (user._get_session_auth_hash(secret=secret) for secret in secrets)  # type: ignore[attr-defined]
    return any(constant_time_compare(stored, made) for made in hashes)


def sessions_of(*, user: User, current_key: str | None) -> list[LiveSession]:
    """The user's live sessions, newest first, the current one marked; rows of sessions that are gone go."""
    live, gone = [], []
    for row in SignedInSession.objects.filter(user=user).order_by("-started_at", "-pk"):
        if _belongs_to(row.session_key, user):
            is_current = row.session_key == current_key
            browser = browser_label(row.browser)
            live.append(LiveSession(row.pk, row.started_at, row.method, row.address, browser, is_current))
        else:
            gone.append(row.pk)
    if gone:
        SignedInSession.objects.filter(pk__in=gone).delete()
    return live


@transaction.atomic
def session_end(*, user: User, session_id: int, current_key: str | None, address: str) -> None:
    """End one of the user's other sessions. Another user's session, or one that does not exist, is not found
    (the same answer); the current one is ended by signing out."""
    row = SignedInSession.objects.select_for_update().filter(pk=session_id, user=user).first()
    if row is None or row.session_key == current_key:
        raise NotFoundError(_("Deze sessie bestaat niet (meer)."))
    _end(row, user=user, address=address, others=1)


@transaction.atomic
def sessions_end_others(*, user: User, current_key: str | None, address: str) -> int:
    """End every session of the user but the current one; returns how many were still live."""
    rows = list(SignedInSession.objects.select_for_update().filter(user=user).exclude(session_key=current_key or ""))
    ended = sum(1 for row in rows if _belongs_to(row.session_key, user))
    for row in rows:
        _store(row.session_key).delete(row.session_key)
    SignedInSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    if ended:
        audit_record(action="session.ended", actor=user, others=ended, address=address)
    return ended


def _end(row: SignedInSession, *, user: User, address: str, others: int) -> None:
    _store(row.session_key).delete(row.session_key)
    audit_record(
        action="session.ended",
        actor=user,
        others=others,
        address=address,
        started_at=row.started_at.isoformat(),
        session_address=row.address,
    )
    row.delete()


def session_forget(*, session_key: str | None) -> None:
    """The session was signed out: its row goes with it."""
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


PURGE_LIMIT = 10_000  # rows a purge run deletes at most: a run stays seconds long, far within the worker's lease
_CHUNK = 500  # rows read, and deleted, per statement


@dataclass(frozen=True)
class Purge:
    deleted: int
    is_complete: bool  # False: the run stopped at its limit, more ended rows may be waiting


def sessions_purge(*, limit: int = PURGE_LIMIT) -> Purge:
    """The rows' retention (ASVS 8.3.8): delete the rows of sessions that have ended (expired, replaced at a new
    sign-in, or otherwise gone from the session store: signing out and ending one already delete its row) and were
    signed in more than `LOKET_SIGNED_IN_SESSION_RETENTION_DAYS` days ago; at most `limit` a run. The session store
    is asked first, row by row, outside the transaction; the deletion and the one audit event that counts it are one
    transaction. A live session's row stays, however old."""
    days = settings.LOKET_SIGNED_IN_SESSION_RETENTION_DAYS
    before = timezone.now() - timedelta(days=days)
    limit = max(limit, 1)  # a run that may delete nothing would never be complete
    ended = _ended_before(before, limit=limit)
    deleted = 0
    with transaction.atomic():
        for start in range(0, len(ended), _CHUNK):
            chunk = ended[start : start + _CHUNK]
            # started_at again: a row written anew for the same key since it was read is not the row judged ended
            deleted += SignedInSession.objects.filter(pk__in=chunk, started_at__lt=before).delete()[0]
        audit_record(action="session.purged", count=deleted, days=days, before=before.isoformat())
    return Purge(deleted=deleted, is_complete=len(ended) < limit)


def _ended_before(before: datetime, *, limit: int) -> list[int]:
    """Ids of the rows signed in before `before` whose session is gone, in the order they were written."""
    ended: list[int] = []
    after = 0
    while len(ended) < limit:
        rows = list(
            SignedInSession.objects.filter(started_at__lt=before, pk__gt=after)
            .order_by("pk")
            .values_list("pk", "session_key", "user_id")[:_CHUNK]
        )
        if not rows:
            break
        after = rows[-1][0]
        # a session that still names its user is kept, even one a password change made dead: the store expires it
        ended += [pk for pk, key, user_id in rows if not _names_user(_store(key).load(), user_id)]
    return ended[:limit]
