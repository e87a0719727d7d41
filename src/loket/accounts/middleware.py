"""Puts the organisation the user acts for, and their roles there, on every request."""

from collections.abc import Callable
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from loket.accounts.models import Membership, User
from loket.accounts.password_policy import (
    CHANGE_KEY,
    PASSWORD_CHANGE_MESSAGE,
    WHILE_CHANGE_REQUIRED,
    password_change_required,
)
from loket.accounts.selectors import active_memberships
from loket.accounts.session_user import session_user
from loket.accounts.simulation import SESSION_KEY as SIMULATION_KEY
from loket.accounts.simulation import SimulationExpired, simulation_active, simulation_stop
from loket.core.audit import audit_simulating
from loket.core.ledger import SEND_CONFIRMATION_FIELD

SESSION_KEY = "loket_organisation_id"


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with `request.user` read as `accounts.session_user` reads it (one statement; the same user)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # its check for the session, and request.auser

        def user() -> object:
            if not hasattr(request, "_cached_user"):
                request._cached_user = session_user(request)  # type: ignore[attr-defined]
            return request._cached_user  # type: ignore[attr-defined]

        request.user = SimpleLazyObject(user)  # type: ignore[assignment]  # as Django does it


class CurrentOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.organisation = None  # type: ignore[attr-defined]
        request.roles = frozenset()  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        request.simulation = None  # type: ignore[attr-defined]
        if request.user.is_authenticated and SIMULATION_KEY in request.session and not _in_back_office(request):
            try:
                simulation = simulation_active(user=request.user, session=request.session)
            except SimulationExpired as ended:
                simulation_stop(admin=request.user, session=request.session, reason="expired")
                messages.warning(request, ended.message)
                # What the admin asked for was asked as the simulated body: never carry it out, or refuse it, as
                # the admin's own body (a form sent, a module page their own body has no role for). Start over home.
                home = reverse("accounts:home")
                if request.path != home:
                    return redirect(home)
            else:
                if simulation is not None:  # the body's module roles, nothing of the admin's own
                    request.simulation = simulation  # type: ignore[attr-defined]
                    request.organisation = simulation.organisation  # type: ignore[attr-defined]
                    request.roles = simulation.roles  # type: ignore[attr-defined]
                    confirmed = replace(
                        simulation.audit,
                        send_confirmed=lambda: request.POST.get(SEND_CONFIRMATION_FIELD) == "1",
                    )
                    with audit_simulating(confirmed):  # every event names both identities
                        return self.get_response(request)
        if request.user.is_authenticated:
            active = active_memberships(request.user)
            memberships = [item.membership for item in active]
            request.memberships = memberships  # type: ignore[attr-defined]
            wanted = request.session.get(SESSION_KEY)
            current = next((item for item in active if item.membership.organisation_id == wanted), None)
            if current is None and wanted is not None:
                _tell_why_access_ended(request, request.user, wanted)
                request.session.pop(SESSION_KEY, None)
            if current is None and active:
                current = active[0]
                request.session[SESSION_KEY] = current.membership.organisation_id
            if current is not None:
                request.membership = current.membership  # type: ignore[attr-defined]
                request.organisation = current.membership.organisation  # type: ignore[attr-defined]
                request.roles = current.roles  # type: ignore[attr-defined]
        return self.get_response(request)


def _in_back_office(request: HttpRequest) -> bool:
    """The back office (the Django admin under /helpdesk/) is the admin acting as themselves, never as the body."""
    try:
        return request.path_info.startswith(reverse("admin:index"))
    except NoReverseMatch:  # a URL configuration without the admin (some tests)
        return False


def _tell_why_access_ended(request: HttpRequest, user: User, organisation_id: int) -> None:
    """The organisation this session worked for is gone from the user's memberships: say why, once."""
    ended = (
        Membership.objects.filter(user=user, organisation_id=organisation_id, is_active=False)
        .select_related("organisation", "ended_by")
        .order_by("-ended_at")
        .first()
    )
    if ended is not None and ended.ended_at is not None:
        messages.warning(
            request,
            _("Uw toegang tot %(org)s is stopgezet op %(date)s. Reden: %(reason)s")
            % {
                "org": ended.organisation.display_name,
                "date": date_format(timezone.localtime(ended.ended_at), "j F Y H:i"),
                "reason": ended.end_reason or "—",
            },
        )
    else:  # still a member, but the body now works through a platform
        from loket.organisations.models import Organisation
        from loket.organisations.selectors import channel_refusal_message

        organisation = Organisation.objects.filter(pk=organisation_id).select_related("platform").first()
        if organisation is not None and (refusal := channel_refusal_message(organisation)):
            messages.warning(request, refusal)


class PasswordChangeRequiredMiddleware:
    """A back-office session signed in with a password that fails the policy reaches nothing but the password change
    (and signing out, the language, the privacy notice) until the password is changed (`accounts.password_policy`).
    A page asks for the change again; anything else, such as a POST, is refused with the 403 page and changes
    nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        if CHANGE_KEY not in request.session or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in WHILE_CHANGE_REQUIRED:
            return None
        if not password_change_required(request.session, request.user):  # type: ignore[arg-type]
            return None
        if request.method in ("GET", "HEAD"):
            messages.warning(request, PASSWORD_CHANGE_MESSAGE)
            return redirect("admin:password_change")
        raise PermissionDenied(PASSWORD_CHANGE_MESSAGE)  # the project's 403 page, audited (in Dutch)
