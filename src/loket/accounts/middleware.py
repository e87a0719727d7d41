"""Puts the organisation the user acts for, and their roles there, on every request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from loket.accounts.selectors import active_memberships

SESSION_KEY = "loket_organisation_id"


class CurrentOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.organisation = None  # type: ignore[attr-defined]
        request.roles = frozenset()  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = active_memberships(request.user)
            request.memberships = memberships  # type: ignore[attr-defined]
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organisation_id == wanted), None)
            if current is None and memberships:
                current = memberships[0]
                request.session[SESSION_KEY] = current.organisation_id
            if current is not None:
                request.membership = current  # type: ignore[attr-defined]
                request.organisation = current.organisation  # type: ignore[attr-defined]
                request.roles = frozenset(r.role for r in current.roles.all())  # type: ignore[attr-defined]
        return self.get_response(request)
