"""Reads about users, memberships and access requests."""

from django.db.models import Prefetch, Q, QuerySet

from loket.accounts.models import AccessRequest, Membership, MembershipRole, User
from loket.accounts.roles import Role
from loket.organisations.models import Organisation, OrganisationKind


def active_memberships(user: User) -> list[Membership]:
    """The user's active memberships, organisations the Loket serves only (not those on a platform)."""
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__channel="loket")
        .select_related("organisation", "organisation__kind")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("organisation__name")
    )


def organisations_managed_by(organisation: Organisation | None) -> QuerySet[Organisation]:
    """Organisations whose access requests the members of `organisation` (with the access-manager role) decide."""
    if organisation is None:
        return Organisation.objects.none()
    condition = Q(access_manager=organisation)
    if organisation.kind_id and organisation.kind.category == OrganisationKind.Category.AGENCY:  # type: ignore[union-attr]
        condition |= Q(access_manager__isnull=True)  # the agency's helpdesk manages bodies without one
    return Organisation.objects.filter(condition)


def pending_requests_for_manager(organisation: Organisation | None) -> QuerySet[AccessRequest]:
    return (
        AccessRequest.objects.filter(
            organisation__in=organisations_managed_by(organisation), status=AccessRequest.Status.PENDING
        )
        .select_related("organisation", "user")
        .order_by("created_at")
    )


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .prefetch_related("roles")
        .order_by("user__last_name", "user__first_name")
    )


def access_managers_emails(organisation: Organisation) -> list[str]:
    """Where to tell that a request is waiting: the members of the managing body with the access-manager role."""
    manager = organisation.access_manager
    if manager is None:
        return []
    return sorted(
        {
            email
            for email in Membership.objects.filter(
                organisation=manager, is_active=True, roles__role=Role.ACCESS_MANAGER
            ).values_list("user__email", flat=True)
            if email
        }
    )


def requests_of(user: User) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(user=user).select_related("organisation").order_by("-created_at")
