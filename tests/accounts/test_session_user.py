"""`request.user` (accounts.middleware.AuthenticationMiddleware) reads the signed-in user with one statement of its
own (accounts.session_user); its answer, and what it does to the session, must stay Django's `auth.get_user`'s: the
same user with every field for a plain session, and for every other case Django's own way (anonymous, the session
flushed, or the key cycled for a hash made with a fallback secret)."""

from unittest import mock

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from loket.accounts.middleware import AuthenticationMiddleware
from loket.accounts.models import User
from loket.accounts.session_user import session_user
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _fields(user) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {field.attname: getattr(user, field.attname) for field in user._meta.concrete_fields}


def _signed_in(user: User, *, backend: str = "django.contrib.auth.backends.ModelBackend") -> SessionStore:
    session = SessionStore()
    session[auth.SESSION_KEY] = str(user.pk)
    session[auth.BACKEND_SESSION_KEY] = backend
    session[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session


def _request(session: SessionStore):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.session = SessionStore(session.session_key)
    request.session.keys()  # read, as SessionMiddleware's reading of the language or CSRF would have
    return request


def test_the_project_uses_it() -> None:
    assert "loket.accounts.middleware.AuthenticationMiddleware" in settings.MIDDLEWARE
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" not in settings.MIDDLEWARE
    assert issubclass(AuthenticationMiddleware, DjangoAuthenticationMiddleware)  # the admin's check asks this


def test_a_plain_session_is_djangos_user_read_in_one_statement() -> None:
    user = make_user("gewoon")
    session = _signed_in(user)
    request = _request(session)

    with CaptureQueriesContext(connection) as queries, mock.patch.object(auth, "get_user") as django_way:
        read = session_user(request)

    django_way.assert_not_called()
    assert len(queries) == 1
    expected = auth.get_user(_request(session))
    assert type(read) is type(expected) is User
    assert _fields(read) == _fields(expected)
    assert read._state.adding is False and read._state.db == "default"


def test_the_middleware_gives_that_user_lazily_once() -> None:
    user = make_user("middleware")
    request = _request(_signed_in(user))
    AuthenticationMiddleware(lambda r: None).process_request(request)
    with mock.patch("loket.accounts.middleware.session_user", wraps=session_user) as reading:
        assert request.user.pk == user.pk and request.user.is_authenticated
        assert request.user.username == "middleware"
    assert reading.call_count == 1
    assert callable(request.auser)


@pytest.mark.parametrize("case", ["anonymous", "gone", "inactive", "password changed", "other backend"])
def test_every_other_case_is_djangos_answer(case: str) -> None:
    user = make_user("anders")
    session = _signed_in(user, **({"backend": "loket.elders.Backend"} if case == "other backend" else {}))
    if case == "anonymous":
        session.flush()
        session.save()
    elif case == "gone":
        User.objects.filter(pk=user.pk).delete()
    elif case == "inactive":
        User.objects.filter(pk=user.pk).update(is_active=False)
    elif case == "password changed":
        user.set_password("een ander wachtwoord 123")
        user.save()
    ours, djangos = _request(session), _request(session)

    read, expected = session_user(ours), auth.get_user(djangos)

    assert not read.is_authenticated and not expected.is_authenticated
    assert dict(ours.session.items()) == dict(djangos.session.items())


def test_a_hash_of_a_fallback_secret_cycles_the_key_as_django(settings) -> None:  # type: ignore[no-untyped-def]
    user = make_user("oud-geheim")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "oud-" * 13, []
    old_hash = user.get_session_auth_hash()
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "nieuw-" * 9, ["oud-" * 13]
    session = _signed_in(user)
    session[auth.HASH_SESSION_KEY] = old_hash
    session.save()
    ours = _request(session)

    read = session_user(ours)

    assert read.pk == user.pk
    assert ours.session[auth.HASH_SESSION_KEY] == user.get_session_auth_hash()
    assert ours.session.session_key != session.session_key  # cycled, as Django's get_user does
