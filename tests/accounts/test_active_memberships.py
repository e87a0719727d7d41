"""`active_memberships` (asked on every signed-in request by accounts.middleware) reads with one SQL statement of its
own instead of the ORM's two queries; its answer must stay the ORM's: the same memberships in the same order, every
field of the membership, its organisation and that organisation's kind, and the roles."""

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loket.accounts.models import Membership, MembershipRole
from loket.accounts.roles import Role
from loket.accounts.selectors import active_memberships
from loket.organisations.models import Channel, Organisation
from tests.conftest import grant, make_organisation, make_user

pytestmark = pytest.mark.django_db


def _orm(user):  # type: ignore[no-untyped-def]
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__channel="loket")
        .select_related("organisation", "organisation__kind")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("organisation__name")
    )


def _fields(instance) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_memberships_organisations_kinds_and_roles_are_the_orms(  # type: ignore[no-untyped-def]
    municipality, other_municipality, worship_board, diocese, agency, religiopoint
):
    user = make_user("veel-besturen")
    grant(user, other_municipality, [Role.TOEZICHT, Role.BERICHTEN, Role.MANDATEN])  # Berlare
    grant(user, municipality, [Role.TOEZICHT])  # Aalst: sorted before Berlare
    without_kind = make_organisation(
        key="cccc0000-0000-0000-0000-000000000003", name="Zonder soort", kbo="", kind=None, target_group=None
    )
    grant(user, without_kind, [])  # a membership without roles and an organisation without kind
    grant(user, diocese, [Role.ACCESS_MANAGER])
    ended = grant(user, agency, [Role.TOEZICHT])
    Membership.objects.filter(pk=ended.pk).update(is_active=False, ended_at=timezone.now())
    grant(user, worship_board, [Role.TOEZICHT])
    Organisation.objects.filter(pk=worship_board.pk).update(channel=Channel.PLATFORM, platform=religiopoint)
    grant(make_user("iemand-anders"), municipality, [Role.SUBSIDIES])

    with CaptureQueriesContext(connection) as queries:
        found = active_memberships(user)
    expected = _orm(user)

    assert len(queries) == 1
    assert [item.membership.organisation.name for item in found] == [
        "Aalst",
        "Berlare",
        "Bisdom Antwerpen",
        "Zonder soort",
    ]
    assert [m.pk for m in expected] == [item.membership.pk for item in found]
    for item, membership in zip(found, expected, strict=True):
        assert _fields(item.membership) == _fields(membership)
        assert _fields(item.membership.organisation) == _fields(membership.organisation)
        kind = item.membership.organisation.kind
        assert (kind and _fields(kind)) == (membership.organisation.kind and _fields(membership.organisation.kind))
        assert item.roles == frozenset(role.role for role in membership.roles.all())
    assert found[1].roles == {Role.TOEZICHT, Role.BERICHTEN, Role.MANDATEN}
    assert found[3].roles == frozenset()
    with CaptureQueriesContext(connection) as queries:
        [item.membership.organisation.kind for item in found]  # loaded, not fetched again
    assert len(queries) == 0


def test_bodies_of_the_same_name_come_by_their_kind(municipality, target_group):  # type: ignore[no-untyped-def]
    """A municipality and its OCMW are both "Aalst": the switcher lists "Aalst — Gemeente" before "Aalst — OCMW",
    whichever membership came first."""
    from loket.organisations.models import OrganisationKind
    from tests.conftest import KIND

    kind = OrganisationKind.objects.get_or_create(
        uri=KIND + "5ab0e9b8a3b2ca7c5e000002", defaults={"label": "OCMW", "category": "ocmw"}
    )[0]
    ocmw = make_organisation(key="ocmw-aalst", name="Aalst", kbo="0212198716", kind=kind, target_group=target_group)
    user = make_user("olga-ocmw")
    grant(user, ocmw, [Role.TOEZICHT])  # the OCMW first
    grant(user, municipality, [Role.TOEZICHT])
    assert [item.membership.organisation.kind.label for item in active_memberships(user)] == ["Gemeente", "OCMW"]


def test_a_user_without_memberships_has_none(db):  # type: ignore[no-untyped-def]
    assert active_memberships(make_user("niemand")) == []
