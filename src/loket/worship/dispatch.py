"""Shared supervision: who receives a sent worship decision, by the dispatch rules (`DispatchRule`).

When Toezicht delivers a submission it calls `submission_dispatch` (registered as a delivery hook in `apps.py`):
the active rules for the submission's document type and the sender's kind name receivers by relation to the
subject (the sender, or the unit the decision is about, `eli:is_about` in its form data); they are written as the
submission's receivers, which the supervisor inbox reads. When a unit's relations change (involvements, central
board, representative body), `unit_redispatch` recomputes the receivers of its decisions and audits what changed.
"""

from typing import Any

from django.db import transaction
from rdflib import Graph, URIRef

from loket.core.audit import audit_record
from loket.organisations.models import Organisation, OrganisationKind
from loket.organisations.selectors import organisation_is_active_status
from loket.supervision.models import Submission
from loket.supervision.selectors import delivered_submissions_of_or_about
from loket.supervision.services import submission_receivers_replace
from loket.worship.models import DispatchRule, WorshipUnit

IS_ABOUT = "http://data.europa.eu/eli/ontology#is_about"
SENDER_BY_CATEGORY: dict[str, str] = {
    OrganisationKind.Category.WORSHIP_BOARD: DispatchRule.Sender.BOARD,
    OrganisationKind.Category.CENTRAL_WORSHIP_BOARD: DispatchRule.Sender.CENTRAL_BOARD,
    OrganisationKind.Category.REPRESENTATIVE_BODY: DispatchRule.Sender.REPRESENTATIVE_BODY,
    OrganisationKind.Category.MUNICIPALITY: DispatchRule.Sender.MUNICIPALITY,
    OrganisationKind.Category.PROVINCE: DispatchRule.Sender.PROVINCE,
}
UNIT_RELATIONS = ("organisation", "central_board__organisation", "representative_body__organisation")


def _about_unit(submission: Submission) -> WorshipUnit | None:
    if IS_ABOUT not in submission.form_data_nt:
        return None
    graph = Graph()
    graph.parse(data=submission.form_data_nt, format="nt")
    uris = sorted(str(o) for o in graph.objects(None, URIRef(IS_ABOUT)) if isinstance(o, URIRef))
    return WorshipUnit.objects.select_related(*UNIT_RELATIONS).filter(organisation__uri__in=uris).first()


def _active_central_board(unit: WorshipUnit | None) -> Organisation | None:
    if unit is None or unit.central_board is None:
        return None
    board = unit.central_board.organisation
    return board if organisation_is_active_status(board.status) else None


def _agency() -> Organisation | None:
    return Organisation.objects.filter(kind__category=OrganisationKind.Category.AGENCY).order_by("pk").first()


def _receivers_of(code: str, sender: Organisation, subject: WorshipUnit | None, memo: dict) -> list[Organisation]:  # type: ignore[type-arg]
    if code == "sender":
        return [sender]
    if code == "agency":
        if "agency" not in memo:
            memo["agency"] = _agency()
        return [body for body in [memo["agency"]] if body is not None]
    if subject is None:
        return []
    central = _active_central_board(subject)
    if code == "subject":
        return [subject.organisation]
    if code == "central_board":
        return [central] if central else []
    if code == "central_board_else_subject":
        return [central or subject.organisation]
    if code == "representative_body":
        return [subject.representative_body.organisation] if subject.representative_body else []
    if code == "boards_of_subject":
        return [board.organisation for board in subject.boards.select_related("organisation")]
    if code.startswith("involved:"):
        kind = code.split(":", 1)[1]
        return [row.organisation for row in subject.involvements.filter(type=kind).select_related("organisation")]
    return []


def _condition_holds(rule: DispatchRule, subject: WorshipUnit | None) -> bool:
    if rule.central_board_condition == DispatchRule.CentralBoardCondition.ANY:
        return True
    has_central = _active_central_board(subject) is not None
    return has_central == (rule.central_board_condition == DispatchRule.CentralBoardCondition.WITH)


def _rules_for(document_type_uri: str, memo: dict) -> list[DispatchRule]:  # type: ignore[type-arg]
    key = ("rules", document_type_uri)
    if key not in memo:
        memo[key] = list(DispatchRule.objects.filter(is_active=True, document_type_uri=document_type_uri))
    return memo[key]  # type: ignore[no-any-return]


def dispatch_receivers(submission: Submission, *, memo: dict | None = None) -> dict[int, str]:  # type: ignore[type-arg]
    """The receivers of a sent submission by the dispatch rules: organisation id → the rule and relation that
    named it. Empty when no rule applies (not a worship decision). `memo` keeps the rules and the agency over a
    batch (re-dispatch)."""
    memo = {} if memo is None else memo
    sender = submission.organisation
    sender_kind = SENDER_BY_CATEGORY.get(sender.kind.category if sender.kind_id else "")  # type: ignore[union-attr]
    if sender_kind is None:
        return {}
    rules = [rule for rule in _rules_for(submission.document_type.uri, memo) if sender_kind in rule.senders]
    if not rules:
        return {}
    own_unit = WorshipUnit.objects.select_related(*UNIT_RELATIONS).filter(organisation=sender).first()
    about = _about_unit(submission) if any(rule.subject == DispatchRule.Subject.ABOUT for rule in rules) else None
    receivers: dict[int, str] = {}
    for rule in rules:
        subject = about if rule.subject == DispatchRule.Subject.ABOUT else own_unit
        if not _condition_holds(rule, subject):
            continue
        for code in rule.receivers:
            for body in _receivers_of(code, sender, subject, memo):
                receivers.setdefault(body.pk, f"{rule.name}: {code}")
    return receivers


def submission_dispatch(submission: Submission, *, memo: dict | None = None) -> None:  # type: ignore[type-arg]
    """The delivery hook: write the receivers the rules name (inside the delivery's transaction)."""
    receivers = dispatch_receivers(submission, memo=memo)
    if receivers:
        submission_receivers_replace(submission=submission, receivers=receivers)


def decisions_of(unit: WorshipUnit) -> Any:
    """The sent decisions whose receivers depend on `unit`: its own, and those about it."""
    return delivered_submissions_of_or_about(unit.organisation, reason_suffix=": subject")


@transaction.atomic
def unit_redispatch(*, unit: WorshipUnit, actor: Any, reason: str) -> dict[str, int]:
    """Recompute the receivers of every decision of `unit` after its relations changed; audited with counts."""
    counts = {"decisions": 0, "added": 0, "removed": 0}
    memo: dict = {}  # type: ignore[type-arg]
    for submission in decisions_of(unit).iterator(chunk_size=500):
        receivers = dispatch_receivers(submission, memo=memo)
        added, removed = submission_receivers_replace(submission=submission, receivers=receivers)
        counts["decisions"] += 1
        counts["added"] += len(added)
        counts["removed"] += len(removed)
    audit_record(
        action="worship.redispatched",
        actor=actor,
        organisation=unit.organisation,
        unit=unit.uri,
        reason=reason,
        **counts,
    )
    return counts
