"""Reads about users, memberships and access requests."""

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from loket.accounts.models import AccessRequest, Membership, MembershipRole, User
from loket.accounts.passwords import password_key_id, password_key_of
from loket.accounts.roles import MODULES, Module
from loket.core.sealing import person_number_keys
from loket.core.statements import Columns, columns, instances, quote, table
from loket.core.statements import cursor as statements_cursor
from loket.organisations.models import Channel, Organisation, OrganisationKind


@dataclass(frozen=True)
class ActiveMembership:
    membership: Membership  # with its organisation and the organisation's kind loaded
    roles: frozenset[str]


def active_memberships(user: User) -> list[ActiveMembership]:
    """The user's active memberships, organisations the Loket serves only (not those on a platform), by organisation
    name (bodies of the same name, such as a municipality and its OCMW, by their kind), each with its roles.

    Every signed-in request asks this (accounts.middleware), so it is one SQL statement (`core.statements`), not the
    ORM's two queries (select_related + prefetch of the roles): building those cost about 1.8 ms of CPU per request,
    this 0.25 ms (bench/README.md, "CPU per request"; tests/accounts/test_active_memberships.py compares it with the
    ORM's answer)."""
    sql, read = _memberships_statement(connection.vendor)
    with statements_cursor() as cursor:
        cursor.execute(sql, [user.pk, str(Channel.LOKET)])
        rows = cursor.fetchall()
    found: dict[int, ActiveMembership] = {}
    roles: dict[int, set[str]] = {}
    for row in rows:
        key = row[0]
        if key not in found:
            membership, organisation, kind = instances(row, read)
            organisation.kind = kind
            membership.organisation = organisation
            found[key] = ActiveMembership(membership, frozenset())
            roles[key] = set()
        if row[-1] is not None:
            roles[key].add(row[-1])
    return [ActiveMembership(item.membership, frozenset(roles[key])) for key, item in found.items()]


@lru_cache(maxsize=4)
def _memberships_statement(vendor: str) -> tuple[str, tuple[Columns, ...]]:
    read = (columns(Membership, "m"), columns(Organisation, "o"), columns(OrganisationKind, "k"))
    # Only the models' own table and column names, quoted; the user's key and the channel are parameters.
    sql = (
        f"SELECT {', '.join(part.sql for part in read)}, r.{quote('role')} FROM {table(Membership)} m "  # noqa: S608
        f"JOIN {table(Organisation)} o ON o.{quote('id')} = m.{quote('organisation_id')} "
        f"LEFT JOIN {table(OrganisationKind)} k ON k.{quote('id')} = o.{quote('kind_id')} "
        f"LEFT JOIN {table(MembershipRole)} r ON r.{quote('membership_id')} = m.{quote('id')} "
        f"WHERE m.{quote('user_id')} = %s AND m.{quote('is_active')} AND o.{quote('channel')} = %s "
        f"ORDER BY o.{quote('name')}, k.{quote('label')}, o.{quote('id')}, r.{quote('role')}"
    )
    return sql, read


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


def is_own_repeated_decision(access_request: AccessRequest, *, user: User, decision: str) -> bool:
    """Whether `user` already took this `decision` ("approve" or "refuse") on the request: their form sent again (a
    double click, a reload of the posted page) finds the decision they wanted taken, not someone else's."""
    status = {"approve": AccessRequest.Status.APPROVED, "refuse": AccessRequest.Status.REFUSED}.get(decision)
    current = AccessRequest.objects.filter(pk=access_request.pk).values_list("status", "decided_by_id").first()
    return status is not None and current == (status, user.pk)


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


@dataclass(frozen=True)
class PasswordKeysReport:
    """Whose stored password needs which secret of LOKET_PERSON_NUMBER_KEYS (usernames, sorted)."""

    old_key: list[str]  # peppered with an old secret still configured: it stays until they have signed in again
    unknown_key: list[str]  # peppered with a secret no longer configured: they cannot sign in
    unpeppered: list[str]  # stored before the pepper (Django's hashers): peppered at their next sign-in


def password_keys_report() -> PasswordKeysReport:
    """Which back-office passwords are not under the current secret (accounts/passwords.py): an old secret may be
    dropped only when `old_key` is empty. Users without a usable password (ACM/IDM only) are not counted."""
    key_ids = [password_key_id(secret) for secret in person_number_keys()]
    old_key: list[str] = []
    unknown_key: list[str] = []
    unpeppered: list[str] = []
    users = User.objects.exclude(password="").exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    for username, encoded in users.order_by("username").values_list("username", "password"):
        key_id = password_key_of(encoded)
        if key_id is None:
            unpeppered.append(username)
        elif key_id not in key_ids:
            unknown_key.append(username)
        elif key_id != key_ids[0]:
            old_key.append(username)
    return PasswordKeysReport(old_key=old_key, unknown_key=unknown_key, unpeppered=unpeppered)
