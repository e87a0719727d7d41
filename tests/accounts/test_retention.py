"""Retention of what accounts keep about people (ASVS 8.3.8, accounts/retention.py): the real worker's daily run
deletes a decided access request LOKET_ACCESS_REQUEST_RETENTION_DAYS after its decision, an approved one only that
long after the membership it granted ended, a pending one never; and clears the e-mail address of a user who left
(no membership, not signed in, nothing pending, not staff) that long after the last of those, keeping the name.
One audit event per purge and run with the count; a second run changes nothing. Time passes by travelling."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from loket.accounts.models import AccessRequest, Membership, User
from loket.accounts.roles import Role
from loket.accounts.services import (
    access_request_approve,
    access_request_create,
    access_request_refuse,
    membership_end,
)
from loket.core.audit import audit_describe
from loket.core.models import AuditEvent
from loket.core.tasks import purge_expired_data
from tests.conftest import grant, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def at(days: float) -> "time_machine.travel":
    return time_machine.travel(START + timedelta(days=days), tick=False)


def ask(user: User, municipality) -> AccessRequest:  # type: ignore[no-untyped-def]
    return access_request_create(
        user=user,
        organisation=municipality,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        phone="053 00 00 00",
        job_title="Secretariaat",
        roles=[Role.TOEZICHT],
        reason="Ik stuur de besluiten van de gemeenteraad in.",
    )


def requests() -> set[str]:
    return set(AccessRequest.objects.values_list("user__username", flat=True))


def addresses() -> dict[str, str]:
    return dict(User.objects.values_list("username", "email"))


def counts(action: str) -> list[int]:
    return [event.details["count"] for event in AuditEvent.objects.filter(action=action).order_by("pk")]


def test_decided_requests_and_leavers_addresses_go_after_their_period(  # type: ignore[no-untyped-def]
    client, municipality, run_worker
):
    with at(0):
        manager = make_user("mia-manager")
        grant(manager, municipality, [Role.ACCESS_MANAGER])
        staff = make_user("sam-staff", staff=True)  # back office, no membership: never touched
        ann, bob, cas, dirk, eva = (
            make_user(name) for name in ("ann-aanvrager", "bob-blijft", "cas-vertrokken", "dirk-wacht", "eva-later")
        )
        access_request_refuse(
            access_request=ask(ann, municipality),
            actor=manager,
            actor_organisation=municipality,
            reason="Niet gekend bij het secretariaat.",
        )
        access_request_approve(access_request=ask(bob, municipality), actor=manager, actor_organisation=municipality)
        access_request_approve(access_request=ask(cas, municipality), actor=manager, actor_organisation=municipality)
        ask(dirk, municipality)  # never decided
        eva_request = ask(eva, municipality)
    with at(200):
        membership_end(membership=Membership.objects.get(user=cas, is_active=True), actor=manager, reason="Vertrokken")
        access_request_refuse(
            access_request=eva_request, actor=manager, actor_organisation=municipality, reason="Geen medewerker."
        )
    with at(300):
        client.force_login(eva)  # she signs in once more (sets her last sign-in)
    with at(400):
        purge_expired_data.enqueue()
        run_worker()
        # ann's refusal is 400 days old; cas's membership ended 200 days ago; eva's refusal is 200 days old
        assert requests() == {"bob-blijft", "cas-vertrokken", "dirk-wacht", "eva-later"}
        assert counts("access_request.purged") == [1]
        # ann left (never a member, never signed in): her address goes, her name stays
        assert addresses()["ann-aanvrager"] == ""
        assert User.objects.get(username="ann-aanvrager").get_full_name() == "Ann Aanvrager"
        assert {name for name, email in addresses().items() if email} == {
            "mia-manager",
            "sam-staff",
            "bob-blijft",
            "cas-vertrokken",
            "dirk-wacht",
            "eva-later",
        }
        assert counts("user.contact_purged") == [1]
    with at(600):
        run_worker()  # the daily run the one of day 400 queued, overdue
        assert requests() == {"bob-blijft", "dirk-wacht"}  # an active member's approval and a pending request stay
        assert counts("access_request.purged") == [1, 2]
        # cas's membership ended 400 days ago; eva signed in 300 days ago; dirk still waits for a decision
        assert {name for name, email in addresses().items() if not email} == {"ann-aanvrager", "cas-vertrokken"}
        assert counts("user.contact_purged") == [1, 1]
        [event] = AuditEvent.objects.filter(action="user.contact_purged").order_by("-pk")[:1]
        assert (event.actor, event.actor_label) == (None, "systeem")
        assert event.details == {"count": 1, "days": 365, "before": (START + timedelta(days=235)).isoformat()}
        assert audit_describe(event) == (
            "Het e-mailadres van 1 vertrokken gebruiker(s) gewist: geen lidmaatschap en niet aangemeld sinds meer dan "
            "365 dagen (bewaartermijn)."
        )
        [event] = AuditEvent.objects.filter(action="access_request.purged").order_by("-pk")[:1]
        assert audit_describe(event) == (
            "2 besliste toegangsaanvra(a)g(en) verwijderd: beslist, of het lidmaatschap dat ze gaven beëindigd, meer "
            "dan 365 dagen geleden (bewaartermijn)."
        )
        # who granted what stays in the audit trail, naming the request only by number
        assert AuditEvent.objects.filter(action="access.approved", details__user="cas-vertrokken").count() == 1
        purge_expired_data.enqueue()
        run_worker()  # again: nothing more
        assert (counts("access_request.purged")[-1], counts("user.contact_purged")[-1]) == (0, 0)
        assert requests() == {"bob-blijft", "dirk-wacht"}
        assert staff.email and User.objects.get(pk=staff.pk).email == staff.email


def test_zero_keeps_requests_and_addresses(municipality, run_worker, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_ACCESS_REQUEST_RETENTION_DAYS = 0
    settings.LOKET_FORMER_USER_RETENTION_DAYS = 0
    with at(0):
        manager = make_user("mia-manager")
        grant(manager, municipality, [Role.ACCESS_MANAGER])
        ann = make_user("ann-aanvrager")
        access_request_refuse(
            access_request=ask(ann, municipality), actor=manager, actor_organisation=municipality, reason="Niet gekend."
        )
    with at(2000):
        purge_expired_data.enqueue()
        run_worker()
        assert requests() == {"ann-aanvrager"}
        assert addresses()["ann-aanvrager"] == "ann-aanvrager@example.org"
        assert (counts("access_request.purged"), counts("user.contact_purged")) == ([0], [0])
