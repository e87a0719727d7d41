"""The signed-in user of a request (settings.MIDDLEWARE: `accounts.middleware.AuthenticationMiddleware`), with the
read of the user as one statement: Django's `ModelBackend.get_user` spent about 0.3 ms of CPU building
`User.objects.get(pk=…)` on every signed-in request (bench/README.md, "The fixed cost of a request").

Only the plain case takes the short way: the session names Django's ModelBackend (still in
AUTHENTICATION_BACKENDS), the user exists and is active, and the session's hash is the user's current one. Then
Django's `auth.get_user` would answer that same user and change nothing. Every other case (no user in the session,
another backend, a user gone or made inactive, a changed password, a hash made with a fallback secret) is Django's
own `auth.get_user`, with its flushing and key cycling (tests/accounts/test_session_user.py compares the two)."""

from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from loket.accounts.models import User
from loket.core.statements import one_by

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_user(request: HttpRequest) -> User | AnonymousUser:
    """What `django.contrib.auth.get_user(request)` answers, the user read by one statement in the plain case."""
    session = request.session
    if (
        auth.SESSION_KEY not in session
        or session.get(auth.BACKEND_SESSION_KEY) != MODEL_BACKEND
        or MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user(request)
    user = _user(User._meta.pk.to_python(session[auth.SESSION_KEY]))  # type: ignore[union-attr]
    if user is None or not user.is_active:
        return auth.get_user(request)  # ModelBackend answers None: Django's get_user flushes as it does
    stored = session.get(auth.HASH_SESSION_KEY)
    if not stored or not constant_time_compare(stored, user.get_session_auth_hash()):
        return auth.get_user(request)  # a changed password or a fallback secret: Django's way
    return user


def _user(pk: Any) -> User | None:
    return one_by(User, "id", pk)  # type: ignore[no-any-return]
