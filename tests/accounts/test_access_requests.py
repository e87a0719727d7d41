import pytest
from django.urls import reverse

from loket.accounts.models import AccessRequest, Membership
from loket.accounts.roles import Role
from loket.accounts.services import (
    access_request_approve,
    access_request_create,
    access_request_refuse,
    membership_end,
    memberships_end_all,
)
from loket.core.errors import ConflictError, DomainError, PermissionDeniedError
from loket.core.models import AuditEvent
from tests.conftest import grant, make_user

pytestmark = pytest.mark.django_db


def _request(user, organisation, roles=("toezicht",)):  # type: ignore[no-untyped-def]
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


def test_request_then_approve_grants_the_roles_and_audits(newcomer, municipality, helpdesk, agency):
    access_request = _request(newcomer, municipality, ["toezicht", "berichten"])
    membership = access_request_approve(access_request=access_request, actor=helpdesk, actor_organisation=agency)
    assert membership.role_codes == ["berichten", "toezicht"]
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.APPROVED
    assert access_request.decided_by == helpdesk
    actions = list(AuditEvent.objects.filter(organisation=municipality).values_list("action", flat=True))
    assert "access.requested" in actions and "access.granted" in actions


def test_approving_twice_is_refused_and_changes_nothing(newcomer, municipality, helpdesk, agency):
    access_request = _request(newcomer, municipality)
    access_request_approve(access_request=access_request, actor=helpdesk, actor_organisation=agency)
    events = AuditEvent.objects.count()
    with pytest.raises(ConflictError, match="al behandeld"):
        access_request_approve(access_request=access_request, actor=helpdesk, actor_organisation=agency)
    assert AuditEvent.objects.count() == events
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_duplicate_pending_request_is_refused(newcomer, municipality):
    _request(newcomer, municipality)
    with pytest.raises(ConflictError, match="al een aanvraag in behandeling"):
        _request(newcomer, municipality)
    assert AccessRequest.objects.filter(user=newcomer).count() == 1


def test_requesting_roles_already_held_is_refused(clerk, municipality):
    with pytest.raises(ConflictError, match="al"):
        _request(clerk, municipality, ["toezicht"])


def test_only_the_access_manager_of_the_body_may_decide(
    newcomer, worship_board, helpdesk, agency, diocese, diocese_manager
):
    access_request = _request(newcomer, worship_board, ["toezicht"])
    with pytest.raises(PermissionDeniedError):
        access_request_approve(access_request=access_request, actor=helpdesk, actor_organisation=agency)
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING
    access_request_approve(access_request=access_request, actor=diocese_manager, actor_organisation=diocese)
    assert Membership.objects.get(user=newcomer, organisation=worship_board).role_codes == ["toezicht"]


def test_refusal_needs_a_reason(newcomer, municipality, helpdesk, agency):
    access_request = _request(newcomer, municipality)
    with pytest.raises(DomainError, match="reden"):
        access_request_refuse(access_request=access_request, actor=helpdesk, actor_organisation=agency, reason=" ")
    refused = access_request_refuse(
        access_request=access_request, actor=helpdesk, actor_organisation=agency, reason="Onbekend"
    )
    assert refused.status == AccessRequest.Status.REFUSED
    assert AuditEvent.objects.filter(action="access.refused", organisation=municipality).count() == 1


def test_body_outside_the_target_group_cannot_be_requested(newcomer, municipality):
    municipality.target_groups.clear()
    with pytest.raises(DomainError, match="doelgroep Lokale Besturen"):
        _request(newcomer, municipality)
    assert not AccessRequest.objects.exists()


def test_roles_the_body_does_not_offer_are_refused(newcomer, worship_board):
    with pytest.raises(DomainError):
        _request(newcomer, worship_board, ["bbcdr"])


def test_end_one_and_end_all(clerk, member_without_roles, municipality, helpdesk):
    membership = Membership.objects.get(user=clerk, organisation=municipality)
    membership_end(membership=membership, actor=helpdesk, reason="Vertrokken")
    with pytest.raises(ConflictError):
        membership_end(membership=membership, actor=helpdesk, reason="Nogmaals")
    assert memberships_end_all(organisation=municipality, actor=helpdesk, reason="Alles stop") == 1
    assert not Membership.objects.filter(organisation=municipality, is_active=True).exists()
    assert AuditEvent.objects.filter(action="access.revoked", organisation=municipality).count() == 2


# Through HTTP ---------------------------------------------------------------------------------------------------


def test_self_registration_over_http(client, newcomer, municipality):
    client.force_login(newcomer)
    response = client.get(reverse("accounts:registration-search"), {"q": "0207.451.227"})
    assert municipality.display_name in response.content.decode()
    url = reverse("accounts:registration-form", args=[municipality.key])
    response = client.post(
        url,
        {
            "first_name": "Nina",
            "last_name": "N",
            "email": "nina@example.org",
            "select_all": "on",
            "reason": "Bestuurslid",
        },
    )
    assert response.status_code == 302
    access_request = AccessRequest.objects.get(user=newcomer)
    assert access_request.roles == sorted(
        r.value
        for r in [
            Role.TOEZICHT,
            Role.BERICHTEN,
            Role.BBCDR,
            Role.MANDATEN,
            Role.LEIDINGGEVENDEN,
            Role.PERSONEEL,
            Role.SUBSIDIES,
        ]
    )


def test_self_registration_form_errors_keep_input(client, newcomer, municipality):
    client.force_login(newcomer)
    url = reverse("accounts:registration-form", args=[municipality.key])
    response = client.post(url, {"first_name": "Nina", "last_name": "", "email": "not-an-email", "reason": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kies minstens één rol" in body and 'value="Nina"' in body
    assert not AccessRequest.objects.exists()


def test_registration_for_a_body_on_a_platform_explains_why(client, newcomer, worship_board, religiopoint, helpdesk):
    from loket.organisations.services import organisation_switch_channel

    organisation_switch_channel(
        organisation=worship_board,
        channel="platform",
        platform=religiopoint,
        reason="Beslissing kerkfabriek",
        actor=helpdesk,
        confirmed=True,
    )
    client.force_login(newcomer)
    url = reverse("accounts:registration-form", args=[worship_board.key])
    response = client.post(
        url,
        {"first_name": "N", "last_name": "N", "email": "n@example.org", "roles": ["toezicht"], "reason": "Bestuurslid"},
    )
    assert "via Religiopoint" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_manager_approves_over_http(client, newcomer, municipality, helpdesk):
    access_request = _request(newcomer, municipality)
    client.force_login(helpdesk)
    assert "Nina" in client.get(reverse("accounts:manager-requests")).content.decode()
    response = client.post(
        reverse("accounts:manager-decide", args=[access_request.pk]), {"decision": "approve", "roles": ["toezicht"]}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer, organisation=municipality).role_codes == ["toezicht"]


def test_the_managers_double_click_finds_the_request_approved_and_another_manager_is_told(
    client, newcomer, municipality, helpdesk, agency
):  # type: ignore[no-untyped-def]
    """The second POST of a double click on "Goedkeuren" is not an error for the manager who clicked: the request is
    approved as they wanted (once). Another manager deciding later learns that it was decided already."""
    access_request = _request(newcomer, municipality)
    client.force_login(helpdesk)
    decide = reverse("accounts:manager-decide", args=[access_request.pk])
    assert client.post(decide, {"decision": "approve", "roles": ["toezicht"]}).status_code == 302
    events = AuditEvent.objects.count()
    again = client.post(decide, {"decision": "approve", "roles": ["toezicht"]}, follow=True)
    assert again.redirect_chain == [(reverse("accounts:manager-requests"), 302)]
    assert "U hebt deze aanvraag al goedgekeurd." in again.content.decode()
    assert AuditEvent.objects.count() == events
    assert Membership.objects.get(user=newcomer, organisation=municipality).role_codes == ["toezicht"]
    page = client.get(decide).content.decode()
    assert "Deze aanvraag is al behandeld (Goedgekeurd)." in page and 'name="decision"' not in page
    refusing = client.post(decide, {"decision": "refuse", "reason": "Toch niet"})
    assert refusing.status_code == 400 and "Deze aanvraag is al behandeld (Goedgekeurd)." in refusing.content.decode()
    other = make_user("otto-other-helpdesk", staff=True)
    grant(other, agency, [Role.ACCESS_MANAGER])
    client.force_login(other)
    events = AuditEvent.objects.count()
    late = client.post(decide, {"decision": "approve", "roles": ["toezicht"]})
    assert late.status_code == 400 and "Deze aanvraag is al behandeld (Goedgekeurd)." in late.content.decode()
    assert AuditEvent.objects.count() == events
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.APPROVED and access_request.decided_by == helpdesk


def test_refuse_without_reason_over_http_changes_nothing(client, newcomer, municipality, helpdesk):
    access_request = _request(newcomer, municipality)
    client.force_login(helpdesk)
    response = client.post(reverse("accounts:manager-decide", args=[access_request.pk]), {"decision": "refuse"})
    assert response.status_code == 400
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING


def test_manager_of_another_body_gets_404(client, newcomer, worship_board, helpdesk):
    access_request = _request(newcomer, worship_board)
    client.force_login(helpdesk)  # the agency does not manage the worship board: the diocese does
    response = client.post(
        reverse("accounts:manager-decide", args=[access_request.pk]), {"decision": "approve", "roles": ["toezicht"]}
    )
    assert response.status_code == 404
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING


def test_members_page_remove_one_and_all(client, clerk, member_without_roles, municipality, helpdesk):
    client.force_login(helpdesk)
    page = client.get(reverse("accounts:manager-members", args=[municipality.key]))
    assert "Clara" in page.content.decode() and "Norbert" in page.content.decode()
    membership = Membership.objects.get(user=clerk, organisation=municipality)
    client.post(reverse("accounts:manager-end-membership", args=[membership.pk]), {"reason": "Vertrokken"})
    assert not Membership.objects.get(pk=membership.pk).is_active
    response = client.post(reverse("accounts:manager-end-all", args=[municipality.key]), {"reason": "Stop"})
    assert response.status_code == 400  # no confirmation: nothing ended, the form is shown again with the reason
    assert Membership.objects.filter(organisation=municipality, is_active=True).count() == 1
    client.post(reverse("accounts:manager-end-all", args=[municipality.key]), {"reason": "Stop", "confirm": "on"})
    assert Membership.objects.filter(organisation=municipality, is_active=True).count() == 0
