"""A decision sent through Toezicht with `mandaat:bekrachtigtAanstellingVan` ratifies the holder (only its own)."""

import hashlib
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from loket.mandates.codes import OrganKind, Publication, RoleCode, Status
from loket.mandates.models import Holder, Organ
from loket.mandates.ratification import decisions_ratify
from loket.mandates.services import HolderValues, holder_create
from loket.supervision.models import Submission
from tests.mandates.conftest import mandate

pytestmark = pytest.mark.django_db

MANDAAT_NS = "http://data.vlaanderen.be/ns/mandaat#"
PREDICATE = f"<{MANDAAT_NS}bekrachtigtAanstellingVan>"


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
        content_hash=hashlib.sha256(nt.encode("utf-8")).hexdigest(),
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


def _holder(councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(
        mandate=councillor,
        person=jan,
        actor=clerk,
        values=HolderValues(
            start=date(2025, 1, 6), status=Status.EFFECTIVE, rangorde="Eerste gemeenteraadslid", fractie=fractie
        ),
    )
    return holder


def test_delivery_of_a_sent_decision_ratifies_without_the_command(councillor, jan, fractie, clerk, municipality):  # type: ignore[no-untyped-def]
    from loket.core.models import AuditEvent
    from loket.supervision.services import submission_deliver

    holder = _holder(councillor, jan, fractie, clerk)
    decision = "http://data.lblod.info/id/besluiten/def"
    submission = sent(municipality, f"<{decision}> {PREDICATE} <{holder.uri}> .\n")
    holder.refresh_from_db()
    assert holder.publication == Publication.NOT_RATIFIED  # sent, not yet delivered
    submission_deliver(submission_id=submission.pk)
    holder.refresh_from_db()
    assert (holder.publication, holder.ratified_by_uri) == (Publication.RATIFIED, decision)
    assert AuditEvent.objects.filter(action="mandate_holder.ratified_by_decision").count() == 1


def test_delivery_of_another_units_decision_ratifies_nothing(  # type: ignore[no-untyped-def]
    councillor, jan, fractie, clerk, other_municipality
):
    from loket.supervision.services import submission_deliver

    holder = _holder(councillor, jan, fractie, clerk)
    submission = sent(other_municipality, f"<http://x/b> {PREDICATE} <{holder.uri}> .\n")
    submission_deliver(submission_id=submission.pk)
    holder.refresh_from_db()
    assert holder.publication == Publication.NOT_RATIFIED
    submission.refresh_from_db()
    assert submission.delivered_at is not None  # delivered all the same


def test_a_decision_through_the_vendor_api_ratifies_on_delivery(  # type: ignore[no-untyped-def]
    client, settings, councillor, jan, fractie, clerk, municipality, run_worker
):
    """The vendor's RDFa page (the published budget example) with one more triple: the decision ratifies the holder.
    The real pipeline downloads it from loopback, sends it, and the worker delivers it."""
    from django.core.cache import cache

    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import GoverningBody
    from loket.vendors.services import vendor_create
    from tests.vendors.conftest import BODY_F7460, GEMEENTERAAD, KEY, SUBMITTABLE, VENDOR_URI, body_for, post
    from tests.vendors.pages import PAGES, page_server

    settings.LOKET_ALLOW_PRIVATE_FETCH = ["127.0.0.1/32"]
    cache.clear()
    document_types_load()
    vendor_create(uri=VENDOR_URI, name="Cipal Schaubroeck", organisations=[municipality], key=KEY)
    # the page names Mechelen's gemeenteraad: let ours (the organ and Toezicht's body, one URI) carry that URI
    GoverningBody.objects.filter(organisation=municipality, classification_uri=GEMEENTERAAD).update(uri=BODY_F7460)
    Organ.objects.filter(organisation=municipality, kind=OrganKind.COUNCIL).update(uri=BODY_F7460)
    holder = _holder(councillor, jan, fractie, clerk)
    budget = "http://een.domein.van.mechelen.be/besluiten/b122fc60-dabe-4fd5-b939-1765fe0c6170-6"
    html = (PAGES / "voorbeeld-budget.html").read_text(encoding="utf-8")
    marker = 'Gepubliceerd op <span property="eli:date_publication"'
    assert marker in html
    extra = f'<span property="{MANDAAT_NS}bekrachtigtAanstellingVan" resource="{holder.uri}"></span>'
    with page_server() as pages:
        href = pages.serve("/budget.html", html.replace(marker, extra + marker, 1).encode("utf-8"))
        response = post(client, "/melding", body_for(municipality, href=href, resource=budget, status=SUBMITTABLE))
        assert response.status_code == 201, response.content
        run_worker()
    submission = Submission.objects.get(submitted_resource=budget)
    assert submission.delivered_at is not None
    holder.refresh_from_db()
    assert (holder.publication, holder.ratified_by_uri) == (Publication.RATIFIED, budget)
