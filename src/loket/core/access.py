"""Page rules: who may open a page. Every view declares its rule with one of these decorators; the authorisation
matrix test reads the declaration (`view.loket_access`) from the URL configuration.

The rule everywhere: anonymous → 302 to the login page; logged in without the role → 403 (`RoleMissing`, which
the project's 403 handler turns into a page that says who can give access); another organisation's object → 404
(the same answer as for an absent one, decided by each module's own `access.py`).

The rules are kernel: they only read `request.user` and `request.roles` (the roles at the organisation the user
acts for, put on the request by the accounts middleware), so every floor may use them.
"""

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from loket.core.sealing import SealUnreadable, seal, unseal

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
            # Lazy: the 403 page shows it in the reader's language, the audit trail keeps it in Dutch.
            raise PermissionDenied(_("Deze pagina is alleen voor medewerkers van het agentschap."))
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


# When this session's user last proved who they are: set at every sign-in (accounts, on Django's user_logged_in)
# and by the confirmation page (accounts:confirm-identity).
SIGNED_IN_AT = "_loket_signed_in_at"
FORM_MARGIN_SECONDS = 300  # a form page asks for this much time left, so a form being typed outlives the limit
# What a refused POST carried, offered again once the person has confirmed (accounts:confirm-continue).
KEPT_FORM = "_loket_kept_form"
KEPT_FORM_MAX_CHARS = 65_536
KEPT_FORM_SALT = b"loket.core.access.kept-form"


def signed_in_within(request: HttpRequest, seconds: float) -> bool:
    moment = request.session.get(SIGNED_IN_AT)
    return isinstance(moment, int | float) and 0 <= time.time() - moment <= seconds


def recent_sign_in_required(view: View) -> View:
    """A high-value action (ASVS 3.7.1, 4.3.3: rights, simulation, reopening) needs a sign-in or confirmation at most
    `LOKET_STEP_UP_MINUTES` old; a page shown with GET (the form) at most that minus five minutes (minus half of a
    limit under ten minutes, so that a page is open right after confirming). Otherwise the
    person confirms who they are first (the code of their app, the identity provider again) and comes back here;
    a refused POST changes nothing. Put it under the page's access rule, which decides who may come at all."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        limit: float = settings.LOKET_STEP_UP_MINUTES * 60
        if request.method in ("GET", "HEAD"):  # half of a limit of ten minutes or less: never none left
            limit -= min(FORM_MARGIN_SECONDS, limit / 2)
        if request.user.is_authenticated and not signed_in_within(request, limit):
            back = request.get_full_path() if request.method in ("GET", "HEAD") else _page_of_the_form(request)
            if request.method == "POST":
                _keep_form(request, back)
            return HttpResponseRedirect(f"{reverse('accounts:confirm-identity')}?{urlencode({'next': back})}")
        return view(request, *args, **kwargs)

    wrapper.loket_recent_sign_in = True  # type: ignore[attr-defined]  # read by tests/accounts/test_step_up.py
    return wrapper


def _keep_form(request: HttpRequest, back: str) -> None:
    """Keep what a refused form carried (a changed field of the back office's change form, a typed reason), so that
    after confirming the person sends it with one press instead of typing it again. Not a form with a file or a
    password (those are typed again), nor an outsized one; a newer refusal replaces an older one."""
    posted = request.POST.lists()
    fields = [(name, value) for name, values in posted if name != "csrfmiddlewaretoken" for value in values]
    too_big = sum(len(name) + len(value) for name, value in fields) > KEPT_FORM_MAX_CHARS
    if request.FILES or too_big or any("password" in name for name, _value in fields):
        request.session.pop(KEPT_FORM, None)
        return
    sealed = seal(json.dumps(fields).encode("utf-8"), secrets=_kept_form_secrets(), salt=KEPT_FORM_SALT)
    request.session[KEPT_FORM] = {"action": request.get_full_path(), "back": back, "sealed": sealed}


def kept_form(request: HttpRequest, back: str) -> dict[str, Any] | None:
    """The form a refused POST left on the page `back` (see `_keep_form`), or None; its fields as (name, value)."""
    kept = request.session.get(KEPT_FORM)
    if not isinstance(kept, dict) or kept.get("back") != back:
        return None
    try:
        fields = json.loads(unseal(kept.get("sealed", ""), secrets=_kept_form_secrets(), salt=KEPT_FORM_SALT))
    except SealUnreadable:  # SECRET_KEY replaced since, or a kept form of before the seal: typed again
        return None
    return {"action": kept["action"], "back": back, "fields": fields}


def _kept_form_secrets() -> list[str]:
    """What a form typed on any page may hold (a national register number, a reason about a person) is not left
    readable in the sessions table: sealed under SECRET_KEY (or a fallback while it is replaced), like the session
    itself, for the minutes until the person confirms."""
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _page_of_the_form(request: HttpRequest) -> str:
    """Where a refused POST came from (its Referer, when it is this site), so the person returns to the form; else
    the address itself, which answers GET for most actions."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return request.path
