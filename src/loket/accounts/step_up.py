"""Confirming who you are before a high-value action (ASVS 3.7.1, 4.3.3; the rule: `core.access
.recent_sign_in_required`). Every sign-in stamps the session (`SIGNED_IN_AT`, on Django's `user_logged_in`, so
every way of signing in does); the confirmation page stamps it again, in the way the session was signed in:

- the back office's password: the code of the person's authenticator app (`second_factor.code_verify`);
- the government's identity provider: a new sign-in there, asked with `prompt=login` and `max_age=0`;
- the development login (development only): a button.

`LOKET_SECOND_FACTOR_TRIES` wrong codes end the session."""

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from loket.accounts import oidc
from loket.accounts.models import SignedInSession
from loket.accounts.second_factor import confirmed_device
from loket.core.access import SIGNED_IN_AT
from loket.core.audit import audit_record
from loket.core.throttle import client_ip

WRONG_KEY = "_loket_confirm_wrong"
CONFIRMING_KEY = "_loket_confirming_user"  # who went to the identity provider to confirm, not to sign in
PASSWORD, OIDC, DEVELOPMENT = "password", "oidc", "development"


@receiver(user_logged_in, dispatch_uid="loket.accounts.step_up.stamp")
def stamp_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()
        request.session.pop(WRONG_KEY, None)


def confirm_method(request: HttpRequest) -> str:
    """How this session confirms: the way it was signed in ("Mijn sessies" row), else what the person has."""
    key, user_id = request.session.session_key, request.user.pk
    rows = SignedInSession.objects.filter(session_key=key, user_id=user_id) if key and user_id else None
    method = rows.values_list("method", flat=True).first() if rows is not None else None
    if method in (PASSWORD, OIDC, DEVELOPMENT):
        return method if method != DEVELOPMENT or settings.LOKET_DEV_LOGIN else ""
    if confirmed_device(request.user) is not None:  # type: ignore[arg-type]
        return PASSWORD
    if oidc.is_configured():
        return OIDC
    return DEVELOPMENT if settings.LOKET_DEV_LOGIN else ""


def confirmed(request: HttpRequest, method: str) -> None:
    request.session[SIGNED_IN_AT] = time.time()
    request.session.pop(WRONG_KEY, None)
    audit_record(action="login.confirmed", actor=request.user, method=method, address=client_ip(request))


def wrong_code(request: HttpRequest) -> int:
    """Count a wrong code of this session; returns how many so far."""
    wrong = int(request.session.get(WRONG_KEY, 0)) + 1
    request.session[WRONG_KEY] = wrong
    return wrong


def confirming_started(request: HttpRequest) -> None:
    """This session goes to the identity provider to confirm who it is: the callback must find the same person."""
    request.session[CONFIRMING_KEY] = request.user.pk


def confirming_person(request: HttpRequest) -> int | None:
    """The user id a confirmation at the identity provider must come back as (once), or None for a plain sign-in."""
    person = request.session.pop(CONFIRMING_KEY, None)
    return person if isinstance(person, int) else None
