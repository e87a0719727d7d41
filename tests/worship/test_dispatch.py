"""Shared supervision: the three examples of the issue, receivers in their inbox, re-dispatch after a change."""

from decimal import Decimal

import pytest

from loket.accounts.roles import Role
from loket.core.models import AuditEvent
from loket.supervision.models import SubmissionReceiver
from loket.worship.models import DispatchRule
from loket.worship.services import InvolvementInput, involvements_save
from tests.conftest import grant, make_user
from tests.worship.conftest import BUDGET_TO_CB_OR_RO, BUDGET_TO_SUPERVISOR, sent_decision

pytestmark = pytest.mark.django_db


def receivers(submission) -> set[str]:  # type: ignore[no-untyped-def]
    return {
        row.organisation.name or row.organisation.kbo
        for row in SubmissionReceiver.objects.filter(submission=submission).select_related("organisation")
    }


def test_the_34_rules_are_seeded_as_data():  # type: ignore[no-untyped-def]
    assert DispatchRule.objects.count() == 34
    assert DispatchRule.objects.filter(document_type_uri=BUDGET_TO_CB_OR_RO).count() == 2


def test_budget_from_a_board_with_an_active_central_board_goes_to_board_and_central_board(units, agency):  # type: ignore[no-untyped-def]
    units["board"].central_board = units["central"]
    units["board"].save()
    decision = sent_decision(units["board"].organisation, BUDGET_TO_CB_OR_RO)
    assert receivers(decision) == {"St.-Margarita (Tielen)", "CKB Aalst"}


def test_budget_from_a_board_without_central_board_goes_to_board_representative_body_and_agency(units, agency):  # type: ignore[no-untyped-def]
    decision = sent_decision(units["board"].organisation, BUDGET_TO_CB_OR_RO)
    assert receivers(decision) == {"St.-Margarita (Tielen)", "Bisdom Antwerpen", "Agentschap Binnenlands Bestuur"}


def test_an_inactive_central_board_counts_as_none(units, agency):  # type: ignore[no-untyped-def]
    units["board"].central_board = units["central"]
    units["board"].save()
    central = units["central"].organisation
    central.status = "Niet Actief"
    central.save()
    decision = sent_decision(units["board"].organisation, BUDGET_TO_CB_OR_RO)
    assert receivers(decision) == {"St.-Margarita (Tielen)", "Bisdom Antwerpen", "Agentschap Binnenlands Bestuur"}


def test_budget_to_the_supervisor_goes_to_board_supervising_municipality_and_agency(units, agency, municipality):  # type: ignore[no-untyped-def]
    involvements_save(
        unit=units["board"],
        rows=[InvolvementInput(organisation=municipality, type="toezichthoudend", percentage=Decimal("100"))],
        actor=None,
    )
    decision = sent_decision(units["board"].organisation, BUDGET_TO_SUPERVISOR)
    assert receivers(decision) == {"St.-Margarita (Tielen)", "Aalst", "Agentschap Binnenlands Bestuur"}


def test_receivers_see_it_in_their_supervisor_inbox_others_do_not(
    client, units, agency, municipality, other_municipality
):  # type: ignore[no-untyped-def]
    involvements_save(
        unit=units["board"],
        rows=[InvolvementInput(organisation=municipality, type="toezichthoudend", percentage=Decimal("100"))],
        actor=None,
    )
    decision = sent_decision(units["board"].organisation, BUDGET_TO_SUPERVISOR)
    aalst = make_user("sam-supervisor")
    grant(aalst, municipality, [Role.SUPERVISOR])
    berlare = make_user("bert-berlare")
    grant(berlare, other_municipality, [Role.SUPERVISOR])
    client.force_login(aalst)
    assert client.get(f"/toezichthouder/inzendingen/{decision.uuid}/").status_code == 200
    assert str(decision.uuid) in client.get("/toezichthouder/inzendingen/").content.decode()
    client.force_login(berlare)
    assert client.get(f"/toezichthouder/inzendingen/{decision.uuid}/").status_code == 404
    assert str(decision.uuid) not in client.get("/toezichthouder/inzendingen/").content.decode()


def test_a_changed_involvement_redispatches_the_units_decisions_audited(  # type: ignore[no-untyped-def]
    units, agency, municipality, other_municipality, run_worker
):
    aalst = [InvolvementInput(organisation=municipality, type="toezichthoudend", percentage=Decimal("100"))]
    involvements_save(unit=units["board"], rows=aalst, actor=None)
    decision = sent_decision(units["board"].organisation, BUDGET_TO_SUPERVISOR)
    run_worker()
    berlare = [InvolvementInput(organisation=other_municipality, type="toezichthoudend", percentage=Decimal("100"))]
    involvements_save(unit=units["board"], rows=berlare, actor=None)
    run_worker()
    assert receivers(decision) == {"St.-Margarita (Tielen)", "Berlare", "Agentschap Binnenlands Bestuur"}
    event = AuditEvent.objects.filter(action="worship.redispatched").latest("pk")
    assert (event.details["decisions"], event.details["added"], event.details["removed"]) == (1, 1, 1)


def test_a_decision_about_a_board_from_a_municipality_reaches_the_board(units, agency, municipality):  # type: ignore[no-untyped-def]
    schorsing = "https://data.vlaanderen.be/id/concept/BesluitType/b25faa84-3ab5-47ae-98c0-1b389c77b827"
    decision = sent_decision(municipality, schorsing, about=units["board"].organisation)
    assert receivers(decision) == {
        "Aalst",
        "St.-Margarita (Tielen)",
        "Bisdom Antwerpen",
        "Agentschap Binnenlands Bestuur",
    }


def test_an_inactive_rule_dispatches_nothing_and_rules_are_edited_audited(client, helpdesk, units, agency):  # type: ignore[no-untyped-def]
    DispatchRule.objects.filter(document_type_uri=BUDGET_TO_CB_OR_RO).update(is_active=False)
    decision = sent_decision(units["board"].organisation, BUDGET_TO_CB_OR_RO)
    assert receivers(decision) == set()
    rule = DispatchRule.objects.filter(document_type_uri=BUDGET_TO_CB_OR_RO).first()
    client.force_login(helpdesk)
    response = client.post(
        f"/helpdesk/worship/dispatchrule/{rule.pk}/change/",
        {
            "name": rule.name,
            "document_type_uri": rule.document_type_uri,
            "senders": '["board"]',
            "central_board_condition": rule.central_board_condition,
            "subject": "sender",
            "receivers": '["sender", "nobody"]',
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and "Geef een lijst van ontvangers" in response.content.decode()
    rule.refresh_from_db()
    assert rule.is_active is False
    assert not AuditEvent.objects.filter(action="worship.dispatch_rule_changed").exists()


def test_a_new_central_board_redispatches_the_boards_budget(units, agency, helpdesk, run_worker):  # type: ignore[no-untyped-def]
    from loket.worship.services import worship_unit_update

    decision = sent_decision(units["board"].organisation, BUDGET_TO_CB_OR_RO)
    run_worker()
    assert receivers(decision) == {"St.-Margarita (Tielen)", "Bisdom Antwerpen", "Agentschap Binnenlands Bestuur"}
    board = units["board"]
    worship_unit_update(
        unit=board,
        actor=helpdesk,
        religion=board.religion,
        is_cross_border=False,
        central_board=units["central"],
        representative_body=units["diocese"],
        read_only_modules=[],
    )
    run_worker()
    assert receivers(decision) == {"St.-Margarita (Tielen)", "CKB Aalst"}
    event = AuditEvent.objects.filter(action="worship.redispatched").latest("pk")
    assert (event.details["reason"], event.details["added"], event.details["removed"]) == ("relations", 1, 2)
    assert event.actor == helpdesk
