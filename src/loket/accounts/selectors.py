"""Reads about users, memberships and access requests."""

from django.db.models import Prefetch, QuerySet

from loket.accounts.models import AccessRequest, Membership, MembershipRole, User
from loket.organisations.models import Organisation


def active_memberships(user: User) -> list[Membership]:
    """The user's active memberships, organisations the Loket serves only (not those on a platform)."""
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__channel="loket")
        .select_related("organisation", "organisation__kind")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("organisation__name")
    )


def pending_requests_for_manager(user: User, organisation: Organisation | None) -> QuerySet[AccessRequest]:
    """The pending requests `user`, acting for `organisation`, may decide (the one rule in access.py)."""
    from loket.accounts.access import organisations_managed_by_user

    return (
        AccessRequest.objects.filter(
            organisation__in=organisations_managed_by_user(user, organisation), status=AccessRequest.Status.PENDING
        )
        .select_related("organisation", "organisation__kind", "user")
        .order_by("created_at")
    )


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .prefetch_related("roles")
        .order_by("user__last_name", "user__first_name")
    )


def requests_of(user: User) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(user=user).select_related("organisation").order_by("-created_at")
