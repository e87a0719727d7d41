"""Who manages access to which body: ONE rule, used by the lists and by the actions.

A body's access is managed by (as in the real ACM):
- its own access managers ("lokale toegangsbeheerders"): members of the body with the access-manager role —
  except for worship boards, which keep their representative body;
- the body named as its access manager (`Organisation.access_manager`, e.g. a diocese for its worship boards);
- the helpdesk (members of the agency with the access-manager role) for a body that has neither: it names the
  first local access manager by approving a request for that role.

`organisations_managed_by` is the rule; the list of requests is filtered by it, and every action (approve, refuse,
end) asks `may_manage_access`, which is the same query narrowed to one body. `deciders_for` names, for the
applicant, the same people.

The page rules themselves (`public`, `login_required`, `role_required`) are kernel: `loket.core.access`.
"""

from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from loket.accounts.models import AccessRequest, Membership, MembershipRole, User
from loket.accounts.roles import Role
from loket.organisations.models import Organisation, OrganisationKind

WORSHIP_CATEGORIES = [OrganisationKind.Category.WORSHIP_BOARD, OrganisationKind.Category.CENTRAL_WORSHIP_BOARD]


def _is_worship(organisation: Organisation) -> bool:
    return bool(organisation.kind_id and organisation.kind.is_worship)  # type: ignore[union-attr]


def _is_agency(organisation: Organisation) -> bool:
    return bool(
        organisation.kind_id and organisation.kind.category == OrganisationKind.Category.AGENCY  # type: ignore[union-attr]
    )


def _access_managers_at(organisation_ref: Organisation | OuterRef) -> QuerySet[MembershipRole]:
    return MembershipRole.objects.filter(
        role=Role.ACCESS_MANAGER, membership__is_active=True, membership__organisation=organisation_ref
    )


def organisations_managed_by(organisation: Organisation | None) -> QuerySet[Organisation]:
    """THE rule: the bodies whose access the access managers of `organisation` decide."""
    if organisation is None:
        return Organisation.objects.none()
    condition: Q | Combinable = Q(access_manager=organisation)
    if not _is_worship(organisation):
        condition |= Q(pk=organisation.pk)  # a body manages its own people
    if _is_agency(organisation):
        has_local_manager = Exists(_access_managers_at(OuterRef("pk")))
        condition |= Q(access_manager__isnull=True) & (Q(kind__category__in=WORSHIP_CATEGORIES) | ~has_local_manager)
    return Organisation.objects.filter(condition)


def is_access_manager(user: User, organisation: Organisation | None) -> bool:
    """Does `user` hold the access-manager role at `organisation` (an active membership)?"""
    if organisation is None or not user.is_authenticated:
        return False
    return _access_managers_at(organisation).filter(membership__user=user).exists()


def organisations_managed_by_user(user: User, acting_for: Organisation | None) -> QuerySet[Organisation]:
    """The rule for one person: nothing unless they are an access manager of the body they act for."""
    if not is_access_manager(user, acting_for):
        return Organisation.objects.none()
    return organisations_managed_by(acting_for)


def may_manage_access(*, user: User, acting_for: Organisation | None, organisation: Organisation) -> bool:
    """May `user`, acting for `acting_for`, approve, refuse and end access to `organisation`? The same rule as
    the lists."""
    return organisations_managed_by_user(user, acting_for).filter(pk=organisation.pk).exists()


def may_end_membership(*, membership: Membership, actor: User | None) -> bool:
    """May `actor` end this one membership? Not their own: a last access manager who stopped their own access would
    leave nobody at the body to decide on requests. Leaving everything at once is `memberships_end_all`."""
    return actor is None or membership.user_id != actor.pk


@dataclass
class Deciders:
    """Who decides on access to a body: named people per body, or the helpdesk."""

    managers: list[tuple[Organisation, list[User]]] = field(default_factory=list)
    helpdesk: bool = False

    def managers_of(self, body: Organisation) -> list[User]:
        return next((people for managed, people in self.managers if managed.pk == body.pk), [])

    @property
    def emails(self) -> list[str]:
        found = sorted({person.email for _body, people in self.managers for person in people if person.email})
        return found or [settings.LOKET_HELPDESK_EMAIL]

    def __str__(self) -> str:
        parts = []
        for body, people in self.managers:
            names = ", ".join(person.get_full_name() or person.get_username() for person in people)
            parts.append(f"{body.display_name} ({names})" if names else body.display_name)
        if self.helpdesk:
            parts.append(_("de helpdesk van het Loket (%(email)s)") % {"email": settings.LOKET_HELPDESK_EMAIL})
        return _(" of ").join(parts)


def deciders_for(organisation: Organisation) -> Deciders:
    """The access managers of `organisation`, by the same rule as `organisations_managed_by`."""
    managers: list[tuple[Organisation, list[User]]] = []
    if not _is_worship(organisation):
        local = _people_managing(organisation)
        if local:
            managers.append((organisation, local))
    if organisation.access_manager_id:
        body = organisation.access_manager
        managers.append((body, _people_managing(body)))  # type: ignore[arg-type]
    return Deciders(managers=managers, helpdesk=not managers)


def _people_managing(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            memberships__is_active=True,
            memberships__organisation=organisation,
            memberships__roles__role=Role.ACCESS_MANAGER,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def role_missing_response(request: HttpRequest, role: Role) -> HttpResponse:
    """403 for a missing role: which role, who gives it, and — where self-registration applies — the request form
    with that role ticked."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from loket.accounts.services import request_refusal_message, requestable_roles

    organisation = getattr(request, "organisation", None)
    request_url = ""
    if (
        organisation is not None
        and not request_refusal_message(organisation)
        and role in requestable_roles(organisation)
    ):
        form = reverse("accounts:registration-form", args=[organisation.key])
        request_url = f"{form}?{urlencode({'rol': role.value})}"
    return render(
        request,
        "accounts/role_missing.html",
        {
            "role": role,
            "organisation": organisation,
            "manager": who_gives_access(organisation),
            "request_url": request_url,
        },
        status=403,
    )


def who_gives_access(organisation: Organisation | None) -> str:
    """The access managers a user should turn to, named."""
    if organisation is None:
        return _("de helpdesk van het Loket (%(email)s)") % {"email": settings.LOKET_HELPDESK_EMAIL}
    return str(deciders_for(organisation))


def _managed(request: HttpRequest) -> QuerySet[Organisation]:
    return organisations_managed_by_user(request.user, request.organisation)  # type: ignore[arg-type, attr-defined]


def managed_organisation_for_user(request: HttpRequest, key: str) -> Organisation:
    """An organisation the current user manages access for, or 404."""
    organisation = _managed(request).select_related("kind").filter(uri__endswith="/" + key).first()
    if organisation is None:
        raise Http404
    return organisation


def access_request_for_manager(request: HttpRequest, pk: int) -> AccessRequest:
    """An access request to an organisation the current user manages, or 404."""
    try:
        return AccessRequest.objects.select_related("organisation", "organisation__kind", "user").get(
            pk=pk, organisation__in=_managed(request)
        )
    except AccessRequest.DoesNotExist as error:
        raise Http404 from error


def membership_for_manager(request: HttpRequest, pk: int) -> Membership:
    try:
        return Membership.objects.select_related("organisation", "user").get(
            pk=pk, is_active=True, organisation__in=_managed(request)
        )
    except Membership.DoesNotExist as error:
        raise Http404 from error


def access_request_of_user(request: HttpRequest, pk: int) -> AccessRequest:
    """One of the current user's own access requests, or 404 (for a logged-in user: the view is login_required)."""
    try:
        return AccessRequest.objects.select_related("organisation", "organisation__access_manager").get(
            pk=pk, user=cast(User, request.user)
        )
    except AccessRequest.DoesNotExist as error:
        raise Http404 from error
