"""Ratification from decisions: a decision sent through Toezicht or the vendor API whose data says
`mandaat:bekrachtigtAanstellingVan <holder>` makes that holder Bekrachtigd (as LMB's cron does with the decisions it
consumes). It happens when the submission is **delivered**: `submission_ratify` is registered as a delivery hook of
Toezicht (`supervision.services.submission_delivery_hook_register`, at app start) and runs inside the delivery's
transaction. The decision's triples are read from what was sent: the form data and the harvested source (a vendor's
RDFa page keeps every triple there). `manage.py mandates ratify` reads every sent submission again, a catch-up for
decisions delivered before this hook existed."""

from datetime import datetime
from typing import Any

from rdflib import URIRef

from loket.core.linkeddata import MANDAAT
from loket.forms.errors import FormLoadError
from loket.forms.rdfio import parse_turtle_text
from loket.mandates.codes import UNIT_OCMW
from loket.mandates.services import holder_ratify_from_decision
from loket.organisations.models import Organisation
from loket.supervision.selectors import submissions_of_organisation

HOLDER_BASE_SUFFIX = "/id/mandatarissen/"
PREDICATE_NAME = "bekrachtigtAanstellingVan"


def ratifications_in(*texts: str) -> list[tuple[str, str]]:
    """(decision URI, holder uuid) for every `bekrachtigtAanstellingVan` in a submission's data (N-Triples or
    Turtle); data that does not parse names nothing."""
    found: list[tuple[str, str]] = []
    for text in texts:
        if not text or PREDICATE_NAME not in text:
            continue
        try:
            graph = parse_turtle_text(text, source="ratification")
        except FormLoadError:
            continue
        for decision, holder in graph.subject_objects(MANDAAT.bekrachtigtAanstellingVan):
            if isinstance(holder, URIRef) and HOLDER_BASE_SUFFIX in str(holder):
                pair = (str(decision), str(holder).rsplit("/", 1)[-1])
                if pair not in found:
                    found.append(pair)
    return found


def _units_of(organisation: Organisation) -> list[int]:
    """A unit ratifies its own holders and those of its OCMW."""
    allowed = [organisation.pk]
    if organisation.kind_id and organisation.kind.uri != UNIT_OCMW:  # type: ignore[union-attr]
        from loket.mandates.validation import ocmw_of

        ocmw = ocmw_of(organisation)
        if ocmw:
            allowed.append(ocmw.pk)
    return allowed


def _ratify(organisation: Organisation, pairs: list[tuple[str, str]]) -> int:
    from loket.mandates.models import Holder

    if not pairs:
        return 0
    allowed = _units_of(organisation)
    count = 0
    for decision, holder_uuid in pairs:
        if Holder.objects.filter(uuid=holder_uuid, mandate__term__organ__organisation__in=allowed).exists():
            count += holder_ratify_from_decision(holder_uuid=holder_uuid, decision_uri=decision)
    return count


def submission_ratify(submission: Any) -> None:
    """The delivery hook: ratify the holders a just-delivered submission's decision names."""
    pairs = ratifications_in(submission.form_data_nt or "", submission.source_ttl or "")
    _ratify(submission.organisation, pairs)


def decisions_ratify(*, organisation: Organisation, since: datetime | None = None) -> int:
    """Catch-up: ratify the holders named by the organisation's sent decisions."""
    sent = submissions_of_organisation(organisation, status="sent")
    if since is not None:
        sent = sent.filter(sent_at__gte=since)
    count = 0
    for form_data, source in sent.values_list("form_data_nt", "source_ttl").iterator():
        count += _ratify(organisation, ratifications_in(form_data or "", source or ""))
    return count


def decisions_ratify_all(*, since: datetime | None = None) -> int:
    from loket.mandates.models import Organ

    organisations = Organisation.objects.filter(pk__in=Organ.objects.values("organisation_id")).select_related("kind")
    return sum(decisions_ratify(organisation=unit, since=since) for unit in organisations)
