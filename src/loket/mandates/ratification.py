"""Ratification from decisions: a decision sent through Toezicht or the vendor API whose data says
`mandaat:bekrachtigtAanstellingVan <holder>` makes that holder Bekrachtigd (as LMB's cron does with the decisions it
consumes). Read through Toezicht's selectors, never its internals; run by `manage.py mandates ratify` from cron."""

from datetime import datetime

from rdflib import Graph, URIRef

from loket.core.linkeddata import MANDAAT
from loket.mandates.codes import UNIT_OCMW
from loket.mandates.services import holder_ratify_from_decision
from loket.organisations.models import Organisation
from loket.supervision.selectors import submissions_of_organisation

HOLDER_BASE_SUFFIX = "/id/mandatarissen/"


def ratifications_in(form_data_nt: str) -> list[tuple[str, str]]:
    """(decision URI, holder uuid) for every `bekrachtigtAanstellingVan` in a submission's data."""
    if "bekrachtigtAanstellingVan" not in form_data_nt:
        return []
    graph = Graph().parse(data=form_data_nt, format="nt")
    found = []
    for decision, holder in graph.subject_objects(MANDAAT.bekrachtigtAanstellingVan):
        if isinstance(holder, URIRef) and HOLDER_BASE_SUFFIX in str(holder):
            found.append((str(decision), str(holder).rsplit("/", 1)[-1]))
    return found


def decisions_ratify(*, organisation: Organisation, since: datetime | None = None) -> int:
    """Ratify the holders named by the organisation's sent decisions (only its own holders and its OCMW's)."""
    from loket.mandates.models import Holder

    allowed = [organisation.pk]
    if organisation.kind_id and organisation.kind.uri != UNIT_OCMW:  # type: ignore[union-attr]
        from loket.mandates.validation import ocmw_of

        ocmw = ocmw_of(organisation)
        if ocmw:
            allowed.append(ocmw.pk)
    sent = submissions_of_organisation(organisation, status="sent")
    if since is not None:
        sent = sent.filter(sent_at__gte=since)
    count = 0
    for form_data in sent.values_list("form_data_nt", flat=True).iterator():
        for decision, holder_uuid in ratifications_in(form_data or ""):
            if not Holder.objects.filter(uuid=holder_uuid, mandate__term__organ__organisation__in=allowed).exists():
                continue
            count += holder_ratify_from_decision(holder_uuid=holder_uuid, decision_uri=decision)
    return count


def decisions_ratify_all(*, since: datetime | None = None) -> int:
    from loket.mandates.models import Organ

    organisations = Organisation.objects.filter(pk__in=Organ.objects.values("organisation_id")).select_related("kind")
    return sum(decisions_ratify(organisation=unit, since=since) for unit in organisations)
