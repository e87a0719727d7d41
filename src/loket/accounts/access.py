"""Who may see and do what. Every view declares its rule with one of these decorators; the authorisation
matrix test reads the declaration (`view.loket_access`) from the URL configuration.

The rule everywhere: anonymous → 302 to the login page; logged in without the role → 403 with a page that
says who can give access; another organisation's object → 404 (the same answer as for an absent one).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from loket.accounts.models import AccessRequest, Membership
from loket.accounts.roles import Role
from loket.accounts.selectors import organisations_managed_by
from loket.organisations.models import Organisation

View = Callable[..., HttpResponse]

PUBLIC = "public"
LOGIN = "login"
STAFF = "staff"


def _declare(view: View, rule: Any) -> View:
    view.loket_access = rule  # type: ignore[attr-defined]
    return view


def public(view: View) -> View:
    return _declare(view, PUBLIC)


def login_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _declare(wrapper, LOGIN)


def role_required(role: Role) -> Callable[[View], View]:
    """The user must hold `role` at the organisation they act for."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role not in request.roles:  # type: ignore[attr-defined]
                return role_missing_response(request, role)
            return view(request, *args, **kwargs)

        return _declare(wrapper, ("role", role))

    return decorator


def role_missing_response(request: HttpRequest, role: Role) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    return render(
        request,
        "accounts/role_missing.html",
        {"role": role, "organisation": organisation, "manager": who_gives_access(organisation)},
        status=403,
    )


def who_gives_access(organisation: Organisation | None) -> str:
    """The access manager a user should turn to, in words."""
    if organisation is not None and organisation.access_manager_id:
        return organisation.access_manager.display_name  # type: ignore[union-attr]
    from django.conf import settings

    return f"de helpdesk van het Loket ({settings.LOKET_HELPDESK_EMAIL})"


def managed_organisation_for_user(request: HttpRequest, key: str) -> Organisation:
    """An organisation the current user manages access for, or 404."""
    organisation = organisations_managed_by(request.organisation).filter(  # type: ignore[attr-defined]
        uri__endswith="/" + key
    ).first()
    if organisation is None:
        raise Http404
    return organisation


def access_request_for_manager(request: HttpRequest, pk: int) -> AccessRequest:
    """An access request to an organisation the current user manages, or 404."""
    try:
        return AccessRequest.objects.select_related("organisation", "user").get(
            pk=pk, organisation__in=organisations_managed_by(request.organisation)  # type: ignore[attr-defined]
        )
    except AccessRequest.DoesNotExist as error:
        raise Http404 from error


def membership_for_manager(request: HttpRequest, pk: int) -> Membership:
    try:
        return Membership.objects.select_related("organisation", "user").get(
            pk=pk,
            is_active=True,
            organisation__in=organisations_managed_by(request.organisation),  # type: ignore[attr-defined]
        )
    except Membership.DoesNotExist as error:
        raise Http404 from error
