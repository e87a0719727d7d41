"""Worship roles and the representative body as access manager: a board member asks for the worship roles, the
diocese (not the board, not a stranger) approves; the roles come from ACM by their real names."""

import pytest

from loket.accounts.models import Membership
from loket.accounts.roles import Role
from loket.accounts.services import access_request_approve, access_request_create
from loket.core.errors import DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def _ask(user, board):  # type: ignore[no-untyped-def]
    return access_request_create(
        user=user,
        organisation=board,
        first_name="Kees",
        last_name="Kerkraad",
        email="kees@example.org",
        phone="",
        job_title="Secretaris",
        roles=[Role.WORSHIP_MANDATES.value, Role.WORSHIP_MINISTERS.value],
        reason="Secretaris van de kerkraad",
    )


def test_the_diocese_approves_the_worship_roles_for_its_board(worship_board, diocese, diocese_manager, newcomer):  # type: ignore[no-untyped-def]
    request = _ask(newcomer, worship_board)
    membership = access_request_approve(access_request=request, actor=diocese_manager, actor_organisation=diocese)
    assert membership.organisation == worship_board
    assert sorted(membership.role_codes) == ["eredienst-bedienaren", "eredienst-mandaten"]


def test_a_stranger_cannot_approve_and_nothing_changes(worship_board, stranger, other_municipality, newcomer):  # type: ignore[no-untyped-def]
    request = _ask(newcomer, worship_board)
    with pytest.raises((PermissionDeniedError, DomainError)):
        access_request_approve(access_request=request, actor=stranger, actor_organisation=other_municipality)
    request.refresh_from_db()
    assert request.status == "pending"
    assert not Membership.objects.filter(organisation=worship_board).exists()


def test_a_municipality_cannot_ask_for_worship_roles(municipality, newcomer):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        access_request_create(
            user=newcomer,
            organisation=municipality,
            first_name="N",
            last_name="N",
            email="n@example.org",
            phone="",
            job_title="",
            roles=[Role.WORSHIP_MANDATES.value],
            reason="x",
        )
