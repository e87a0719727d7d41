"""Reopening a sent submission (issue 18 item 6): an agency admin's audited correction, not the real Loket's status
reset. A reason is required; the sent submission, its register entries and receipt stay as they are; the register
gets "reopened"; a concept correction pointing to the original opens for the body's clerks, who get a mail; the
supervisor inbox marks the original and links the correction once sent; the public record then says
dct:isReplacedBy."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from loket.core.ledger_models import LedgerEntry
from loket.core.models import AuditEvent
from loket.supervision.models import Submission
from loket.supervision.receipts import submission_receipt
from loket.supervision.services import submission_create, submission_send, submission_update
from tests.supervision.conftest import BESLUITENLIJST
from tests.supervision.test_toezicht import _complete_post, _council

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(clerk, municipality):  # type: ignore[no-untyped-def]
    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import DocumentType

    document_types_load()
    kind = DocumentType.objects.get(uri=BESLUITENLIJST)
    concept = submission_create(organisation=municipality, document_type=kind, actor=clerk)
    assert submission_update(
        submission=concept, actor=clerk, data=_complete_post(concept, body_uri=_council(municipality).uri)
    ).valid
    return submission_send(submission=concept, actor=clerk)


def _mails() -> list[dict]:  # type: ignore[type-arg]
    return [r.args_kwargs["kwargs"] for r in DBTaskResult.objects.filter(task_path="loket.core.tasks.send_email")]


def _state(submission: Submission) -> tuple:  # type: ignore[type-arg]
    submission.refresh_from_db()
    return (
        submission.status,
        submission.content_hash,
        submission.form_data_nt,
        submission.sent_entry_id,
        submission.sent_at,
        LedgerEntry.objects.filter(subject_uri=submission.uri).count(),
    )


def test_a_reason_is_required_and_nothing_changes_without_one(client, helpdesk, sent):  # type: ignore[no-untyped-def]
    before = _state(sent)
    client.force_login(helpdesk)
    url = f"/toezichthouder/inzendingen/{sent.uuid}/heropenen/"
    assert client.get(url).status_code == 200
    for reason in ("", "   \n "):
        response = client.post(url, {"reason": reason})
        assert response.status_code == 400 and "Geef de reden van de heropening op" in response.content.decode()
    assert _state(sent) == before
    assert not Submission.objects.filter(replaces=sent).exists() and _mails() == []


def test_reopening_keeps_the_sent_submission_and_opens_a_correction_for_the_clerks(  # type: ignore[no-untyped-def]
    client, helpdesk, clerk, sent
):
    receipt = submission_receipt(sent)
    before = _state(sent)
    client.force_login(helpdesk)
    url = f"/toezichthouder/inzendingen/{sent.uuid}/heropenen/"
    response = client.post(url, {"reason": "De bijlage ontbreekt"})
    assert response.status_code == 302
    # The sent submission, its entries and its receipt are as they were; the register has one entry more.
    status, content_hash, data, sent_entry, sent_at, entries = _state(sent)
    assert (status, content_hash, data, sent_entry, sent_at) == before[:5] and entries == before[5] + 1
    assert submission_receipt(sent) == receipt
    reopened = LedgerEntry.objects.get(subject_uri=sent.uri, kind="reopened")
    assert reopened.payload["reason"] == "De bijlage ontbreekt" and reopened.actor_label == helpdesk.get_full_name()
    correction = Submission.objects.get(replaces=sent)
    assert correction.status == "concept" and correction.reopened_entry == reopened
    assert reopened.payload["correction"] == correction.uri
    [mail] = _mails()
    assert (
        mail["to"] == [clerk.email] and "De bijlage ontbreekt" in mail["body"] and str(correction.uuid) in mail["body"]
    )
    event = AuditEvent.objects.get(action="submission.reopened")
    assert event.actor == helpdesk and event.details["reason"] == "De bijlage ontbreekt"
    call_command("ledger", "verify", stdout=open("/dev/null", "w"))  # the chain still holds (raises otherwise)
    # The clerk finds the correction with the reason; the supervisor's inbox marks the original.
    client.force_login(clerk)
    page = client.get(f"/toezicht/{correction.uuid}/").content.decode()
    assert "Heropend door het agentschap" in page and "De bijlage ontbreekt" in page
    # A second reopening is refused while the correction is open.
    client.force_login(helpdesk)
    again = client.post(url, {"reason": "Nog eens"})
    assert again.status_code == 409 and Submission.objects.filter(replaces=sent).count() == 1


def test_the_inbox_marks_the_original_and_the_public_record_says_it_was_replaced(  # type: ignore[no-untyped-def]
    client, helpdesk, clerk, sent, municipality, agency
):
    from loket.supervision.services import submission_deliver, submission_reopen

    submission_deliver(submission_id=sent.pk)
    correction = submission_reopen(submission=sent, actor=helpdesk, reason="Verkeerde zittingsdatum")
    client.force_login(helpdesk)
    inbox = client.get("/toezichthouder/inzendingen/").content.decode()
    assert str(sent.uuid) in inbox and "heropend door het agentschap" in inbox
    assert sent.is_public
    public = Graph().parse(data=client.get(f"/submissions/{sent.uuid}", HTTP_ACCEPT="text/turtle").content)
    assert (URIRef(sent.uri), DCTERMS.isReplacedBy, None) not in public  # not while the correction is a concept
    assert submission_update(
        submission=correction, actor=clerk, data=_complete_post(correction, body_uri=_council(municipality).uri)
    ).valid
    from loket.opendata.models import FeedEntry

    feed_before = FeedEntry.objects.filter(object_pk=str(sent.pk), model_label="supervision.Submission").count()
    corrected = submission_send(submission=correction, actor=clerk)
    submission_deliver(submission_id=corrected.pk)  # the worker's delivery publishes it
    assert FeedEntry.objects.filter(object_pk=str(sent.pk), model_label="supervision.Submission").count() > feed_before
    public = Graph().parse(data=client.get(f"/submissions/{sent.uuid}", HTTP_ACCEPT="text/turtle").content)
    assert (URIRef(sent.uri), DCTERMS.isReplacedBy, URIRef(corrected.uri)) in public
    own = Graph().parse(data=client.get(f"/submissions/{corrected.uuid}", HTTP_ACCEPT="text/turtle").content)
    assert (URIRef(corrected.uri), DCTERMS.replaces, URIRef(sent.uri)) in own


def test_only_a_sent_submission_can_be_reopened(client, helpdesk, clerk, municipality, sent):  # type: ignore[no-untyped-def]
    concept = submission_create(organisation=municipality, document_type=sent.document_type, actor=clerk)
    client.force_login(helpdesk)
    assert client.get(f"/toezichthouder/inzendingen/{concept.uuid}/heropenen/").status_code == 404
    client.force_login(clerk)  # not agency staff
    assert client.post(f"/toezichthouder/inzendingen/{sent.uuid}/heropenen/", {"reason": "x"}).status_code == 403
    assert not Submission.objects.filter(replaces=sent).exists()
