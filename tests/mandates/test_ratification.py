"""A decision sent through Toezicht with `mandaat:bekrachtigtAanstellingVan` ratifies the holder (only its own)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from loket.mandates.codes import Publication, RoleCode, Status
from loket.mandates.models import Holder
from loket.mandates.ratification import decisions_ratify
from loket.mandates.services import HolderValues, holder_create
from loket.supervision.models import Submission
from tests.mandates.conftest import mandate

pytestmark = pytest.mark.django_db

PREDICATE = "<http://data.vlaanderen.be/ns/mandaat#bekrachtigtAanstellingVan>"


def sent(organisation, nt: str) -> Submission:  # type: ignore[no-untyped-def]
    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import DocumentType

    document_types_load()
    now = timezone.now()
    return Submission.objects.create(
        organisation=organisation,
        status="sent",
        sent_at=now,
        created_at=now,
        modified_at=now,
        form_data_nt=nt,
        document_type=DocumentType.objects.get(label="Besluitenlijst"),
    )


def test_sent_decision_ratifies_the_named_holder(councillor, jan, fractie, clerk, municipality):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(
        mandate=councillor,
        person=jan,
        actor=clerk,
        values=HolderValues(
            start=date(2025, 1, 6), status=Status.EFFECTIVE, rangorde="Eerste gemeenteraadslid", fractie=fractie
        ),
    )
    decision = "http://data.lblod.info/id/besluiten/abc"
    sent(municipality, f"<{decision}> {PREDICATE} <{holder.uri}> .\n")
    assert decisions_ratify(organisation=municipality) == 1
    holder.refresh_from_db()
    assert (holder.publication, holder.ratified_by_uri) == (Publication.RATIFIED, decision)
    assert decisions_ratify(organisation=municipality) == 0  # already ratified


def test_another_units_decision_ratifies_nothing(councillor, jan, fractie, clerk, other_municipality, ocmw):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(
        mandate=councillor,
        person=jan,
        actor=clerk,
        values=HolderValues(
            start=date(2025, 1, 6), status=Status.EFFECTIVE, rangorde="Eerste gemeenteraadslid", fractie=fractie
        ),
    )
    sent(other_municipality, f"<http://x/b> {PREDICATE} <{holder.uri}> .\n")
    member, _ = holder_create(
        mandate=mandate(ocmw, RoleCode.WELFARE_MEMBER),
        person=jan,
        actor=clerk,
        values=HolderValues(start=date(2025, 1, 6), status=Status.EFFECTIVE),
    )
    sent(ocmw, f"<http://x/c> {PREDICATE} <{member.uri}> .\n")  # RMW: Niet bekrachtigd is final
    call_command("mandates", "ratify")
    assert set(Holder.objects.values_list("publication", flat=True)) == {Publication.NOT_RATIFIED}
