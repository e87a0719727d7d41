"""One rule decides who manages access to a body; the list of requests and every action use it.

The walk: every acting party (the helpdesk, a representative body, a body's own access manager, another body's
access manager, a worship board's member with the access-manager role) against every kind of body (no access
manager set and none of its own; the agency set as access manager; its own access manager; a worship board with
its representative body; a worship board without one). For each pair the request shows in the list exactly when
the decision page opens and approving works; otherwise 404 and nothing changes.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from loket.accounts.access import deciders_for, may_manage_access, organisations_managed_by_user
from loket.accounts.models import AccessRequest, Membership
from loket.accounts.roles import Role
from loket.accounts.services import access_request_create, membership_end
from loket.core.errors import DomainError
from loket.core.models import AuditEvent
from loket.organisations.models import OrganisationKind
from tests.conftest import KIND, grant, make_organisation, make_user

pytestmark = pytest.mark.django_db


def _ask(organisation, roles=("toezicht",), username="nina-newcomer"):  # type: ignore[no-untyped-def]
    user = make_user(f"{username}-{organisation.pk}")
    return access_request_create(
        user=user,
        organisation=organisation,
        first_name="Nina",
        last_name="Newcomer",
        email="nina@example.org",
        phone="",
        job_title="",
        roles=list(roles),
        reason="Bestuurslid",
    )


@pytest.fixture
def world(target_group, agency, municipality, other_municipality, diocese, worship_board, helpdesk, diocese_manager):  # type: ignore[no-untyped-def]
    gemeente = OrganisationKind.objects.get(uri=KIND + "5ab0e9b8a3b2ca7c5e000001")
    unset = make_organisation(
        key="cccc0000-0000-0000-0000-000000000003",
        name="Lier",
        kbo="0207548438",
        kind=gemeente,
        target_group=target_group,
    )
    local = make_organisation(
        key="dddd0000-0000-0000-0000-000000000004",
        name="Mol",
        kbo="0207496372",
        kind=gemeente,
        target_group=target_group,
    )
    local_manager = make_user("lotte-lokaal")
    grant(local_manager, local, [Role.ACCESS_MANAGER])
    stranger_manager = make_user("stijn-berlare")
    grant(stranger_manager, other_municipality, [Role.ACCESS_MANAGER])
    orphan_board = make_organisation(
        key="eeee0000000000000000000000000005",
        name="St.-Jozef (Olen)",
        kbo="0212222222",
        kind=worship_board.kind,
        target_group=target_group,
        base="besturenVanDeEredienst",
    )
    board_member = make_user("willem-kerkfabriek")
    grant(board_member, worship_board, [Role.ACCESS_MANAGER, Role.TOEZICHT])
    bodies = {
        "unset": unset,
        "agency_set": municipality,
        "own_manager": local,
        "worship_with_diocese": worship_board,
        "worship_unset": orphan_board,
    }
    actors = {
        "helpdesk": (helpdesk, agency),
        "diocese": (diocese_manager, diocese),
        "own_manager": (local_manager, local),
        "other_body_manager": (stranger_manager, other_municipality),
        "worship_board_member": (board_member, worship_board),
    }
    return bodies, actors


EXPECTED = {
    "helpdesk": {"unset", "agency_set", "worship_unset"},
    "diocese": {"worship_with_diocese"},
    "own_manager": {"own_manager"},
    "other_body_manager": set(),
    "worship_board_member": set(),
}


@pytest.mark.parametrize("actor_name", sorted(EXPECTED))
def test_list_and_action_follow_one_rule_for_every_combination(client, world, actor_name):  # type: ignore[no-untyped-def]
    bodies, actors = world
    actor, acting_for = actors[actor_name]
    requests = {name: _ask(body) for name, body in bodies.items()}
    client.force_login(actor)
    listing = client.get(reverse("accounts:manager-requests"))
    assert listing.status_code == 200
    for name, access_request in requests.items():
        allowed = name in EXPECTED[actor_name]
        decide_url = reverse("accounts:manager-decide", args=[access_request.pk])
        assert (decide_url in listing.content.decode()) is allowed, f"{actor_name} / {name}: list"
        assert may_manage_access(user=actor, acting_for=acting_for, organisation=bodies[name]) is allowed
        assert client.get(decide_url).status_code == (200 if allowed else 404), f"{actor_name} / {name}: page"
        events = AuditEvent.objects.count()
        response = client.post(decide_url, {"decision": "approve", "roles": ["toezicht"]})
        access_request.refresh_from_db()
        if allowed:
            assert response.status_code == 302, f"{actor_name} / {name}: approve"
            assert access_request.status == AccessRequest.Status.APPROVED
            assert Membership.objects.filter(
                user=access_request.user, organisation=bodies[name], is_active=True
            ).exists()
        else:
            assert response.status_code == 404, f"{actor_name} / {name}: approve must be 404"
            assert access_request.status == AccessRequest.Status.PENDING
            assert AuditEvent.objects.count() == events


def test_without_the_access_manager_role_nothing_is_managed(world, agency):  # type: ignore[no-untyped-def]
    bodies, _actors = world
    clerk = make_user("otto-agency")
    grant(clerk, agency, [Role.SUPERVISOR])
    assert list(organisations_managed_by_user(clerk, agency)) == []
    assert not may_manage_access(user=clerk, acting_for=agency, organisation=bodies["unset"])


def test_the_helpdesk_names_the_first_local_access_manager_who_then_decides(client, world, helpdesk):  # type: ignore[no-untyped-def]
    bodies, _actors = world
    lier = bodies["unset"]
    first = _ask(lier, roles=("toegangsbeheer", "toezicht"), username="fien-first")
    assert str(deciders_for(lier)) == "de helpdesk van het Loket (LoketLokaalBestuur@vlaanderen.be)"
    client.force_login(helpdesk)
    page = client.get(reverse("accounts:manager-decide", args=[first.pk])).content.decode()
    assert (
        "Met deze goedkeuring wordt de aanvrager de eerste lokale toegangsbeheerder van Lier: daarna beslist het "
        "bestuur zelf over de aanvragen van zijn leden."
    ) in page
    response = client.post(
        reverse("accounts:manager-decide", args=[first.pk]),
        {"decision": "approve", "roles": ["toegangsbeheer", "toezicht"]},
    )
    assert response.status_code == 302
    first_manager = first.user
    assert str(deciders_for(lier)) == f"Lier (Fien First-{lier.pk})"
    second = _ask(lier, username="sam-second")
    # The helpdesk no longer sees Lier's requests; Lier's own access manager does, and decides.
    assert client.get(reverse("accounts:manager-decide", args=[second.pk])).status_code == 404
    client.force_login(first_manager)
    listing = client.get(reverse("accounts:manager-requests"))
    assert reverse("accounts:manager-decide", args=[second.pk]) in listing.content.decode()
    response = client.post(
        reverse("accounts:manager-decide", args=[second.pk]), {"decision": "refuse", "reason": "Onbekend"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == AccessRequest.Status.REFUSED and second.decided_by == first_manager


def test_a_local_access_manager_ends_access_to_their_own_body(client, world):  # type: ignore[no-untyped-def]
    bodies, actors = world
    local_manager, mol = actors["own_manager"]
    member = make_user("marc-mol")
    membership = grant(member, mol, [Role.TOEZICHT])
    client.force_login(local_manager)
    response = client.post(reverse("accounts:manager-end-membership", args=[membership.pk]), {"reason": "Uit dienst"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False and membership.ended_by == local_manager
    assert (
        AuditEvent.objects.filter(action="access.revoked", organisation=mol, details__reason="Uit dienst").count() == 1
    )
    # Another body's member stays out of reach.
    other = grant(make_user("olga-other"), bodies["unset"], [Role.TOEZICHT])
    response = client.post(reverse("accounts:manager-end-membership", args=[other.pk]), {"reason": "x"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_active is True


def test_an_access_manager_cannot_end_their_own_access(client, world):  # type: ignore[no-untyped-def]
    # Lotte is Mol's only access manager: had she stopped her own access, nobody at Mol could decide on requests.
    _bodies, actors = world
    local_manager, mol = actors["own_manager"]
    own = Membership.objects.get(user=local_manager, organisation=mol, is_active=True)
    colleague = grant(make_user("marc-mol"), mol, [Role.TOEZICHT])
    client.force_login(local_manager)
    page = client.get(reverse("accounts:manager-members", args=[mol.key])).content.decode()
    assert reverse("accounts:manager-end-membership", args=[colleague.pk]) in page
    assert reverse("accounts:manager-end-membership", args=[own.pk]) not in page
    assert "Dit bent u. Uw eigen toegang stopzetten kan hier niet" in page
    audited, mails = AuditEvent.objects.count(), DBTaskResult.objects.count()
    response = client.post(
        reverse("accounts:manager-end-membership", args=[own.pk]), {"reason": "Ik stop"}, follow=True
    )
    assert response.redirect_chain == [(reverse("accounts:manager-members", args=[mol.key]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "U kunt uw eigen toegang hier niet stopzetten. Vraag een andere toegangsbeheerder of de helpdesk "
        f"({settings.LOKET_HELPDESK_EMAIL}) om dat te doen."
    ]
    own.refresh_from_db()
    assert own.is_active is True and own.ended_at is None and own.ended_by is None
    assert (AuditEvent.objects.count(), DBTaskResult.objects.count()) == (audited, mails)
    # The service says the same to every caller; another person (here the helpdesk) still ends it.
    with pytest.raises(DomainError) as refused:
        membership_end(membership=own, actor=local_manager, reason="Ik stop")
    assert refused.value.code == "own_membership"
    helpdesk, _agency = actors["helpdesk"]
    membership_end(membership=own, actor=helpdesk, reason="Op eigen vraag")
    own.refresh_from_db()
    assert own.is_active is False and own.ended_by == helpdesk


def test_worship_boards_keep_their_representative_body(world):  # type: ignore[no-untyped-def]
    bodies, _actors = world
    board = bodies["worship_with_diocese"]
    assert str(deciders_for(board)) == "Bisdom Antwerpen (Bart Bisdom)"
    from loket.accounts.services import requestable_roles

    assert Role.ACCESS_MANAGER not in requestable_roles(board)
    assert Role.ACCESS_MANAGER in requestable_roles(bodies["unset"])
