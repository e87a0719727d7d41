"""The sessions a user is signed in with ("Mijn sessies", ASVS 3.3.4): every sign-in names its session
(`session_started`, right after `django.contrib.auth.login`), the user sees the live ones with when, how and from
where they signed in, and ends any other one, or all others at once (a lost laptop, a shared computer). Ending deletes
the session from the session store — the browser holding it is signed out at its next request — and is audited.

The rows only name sessions; the session store stays the truth: a row whose session is gone (logged out, expired,
ended, replaced at the next sign-in) is removed when the list is read."""

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_USER_KEY
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.accounts.models import SignedInSession, User
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
    return found


def _belongs_to(session_key: str, user: User) -> bool:
    data = _store(session_key).load()  # {} when the session is gone or expired
    return str(data.get(AUTH_USER_KEY, "")) == str(user.pk)


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
