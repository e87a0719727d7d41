"""Reads about users, memberships and access requests."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from loket.accounts.models import AccessRequest, Membership, MembershipRole, User
from loket.accounts.roles import MODULES, Module
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


def role_holder_emails(organisation_ids: list[int], role: str) -> dict[int, list[str]]:
    """Per body, the e-mail addresses of its active members who hold `role` there (sorted, once each)."""
    found: dict[int, list[str]] = {}
    rows = (
        Membership.objects.filter(organisation_id__in=organisation_ids, is_active=True, roles__role=role)
        .exclude(user__email="")
        .values_list("organisation_id", "user__email")
        .order_by("organisation_id", "user__email")
        .distinct()
    )
    for organisation_id, email in rows:
        found.setdefault(organisation_id, []).append(email)
    return found


def requests_of(user: User) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(user=user).select_related("organisation").order_by("-created_at")


@dataclass(frozen=True)
class ModuleTile:
    """A module on the landing page, and — when the user lacks its role — what they can do about it."""

    module: Module
    allowed: bool
    request_url: str = ""  # self-registration applies: "Vraag toegang aan" links here
    pending_url: str = ""  # already asked: the request's page


def module_tiles(user: User, organisation: Organisation | None, roles: frozenset[str]) -> list[ModuleTile]:
    """Every module, with the way to ask for access where self-registration applies (the helpdesk otherwise)."""
    from loket.accounts.services import request_refusal_message, requestable_roles

    can_request: set[str] = set()
    pending: dict[str, int] = {}
    if organisation is not None and not request_refusal_message(organisation):
        can_request = {role.value for role in requestable_roles(organisation)}
        for access_request in AccessRequest.objects.filter(
            user=user, organisation=organisation, status=AccessRequest.Status.PENDING
        ).only("pk", "roles"):
            pending.update(dict.fromkeys(access_request.roles, access_request.pk))
    tiles = []
    category = organisation.kind.category if organisation is not None and organisation.kind_id else ""  # type: ignore[union-attr]
    for module in MODULES:
        allowed = module.role in roles
        if module.categories and category not in module.categories and not allowed:
            continue  # e.g. the worship modules on a municipality's landing page
        request_url = pending_url = ""
        if not allowed and module.role in pending:
            pending_url = reverse("accounts:request-detail", args=[pending[module.role]])
        elif not allowed and module.role in can_request:
            form = reverse("accounts:registration-form", args=[organisation.key])  # type: ignore[union-attr]
            request_url = f"{form}?{urlencode({'rol': module.role.value})}"
        tiles.append(ModuleTile(module=module, allowed=allowed, request_url=request_url, pending_url=pending_url))
    return tiles
