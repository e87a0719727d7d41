"""Page rules: who may open a page. Every view declares its rule with one of these decorators; the authorisation
matrix test reads the declaration (`view.loket_access`) from the URL configuration.

The rule everywhere: anonymous → 302 to the login page; logged in without the role → 403 (`RoleMissing`, which
the project's 403 handler turns into a page that says who can give access); another organisation's object → 404
(the same answer as for an absent one, decided by each module's own `access.py`).

The rules are kernel: they only read `request.user` and `request.roles` (the roles at the organisation the user
acts for, put on the request by the accounts middleware), so every floor may use them.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

View = Callable[..., HttpResponseBase]

PUBLIC = "public"
LOGIN = "login"
STAFF = "staff"


class RoleMissing(PermissionDenied):
    """The user is logged in but lacks `role` at the organisation they act for."""

    def __init__(self, role: str) -> None:
        super().__init__(role)
        self.role = role


def _declare(view: View, rule: Any) -> View:
    view.loket_access = rule  # type: ignore[attr-defined]
    return view


def public(view: View) -> View:
    return _declare(view, PUBLIC)


def login_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _declare(wrapper, LOGIN)


def staff_required(view: View) -> View:
    """Agency staff only (the helpdesk: `is_staff`); anyone else logged in gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied("staff")
        return view(request, *args, **kwargs)

    return _declare(wrapper, STAFF)


def role_required(role: str) -> Callable[[View], View]:
    """The user must hold `role` at the organisation they act for."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role not in getattr(request, "roles", frozenset()):
                raise RoleMissing(role)
            return view(request, *args, **kwargs)

        return _declare(wrapper, ("role", role))

    return decorator
