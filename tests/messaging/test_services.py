"""The Berichtencentrum's rules, through its services."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage

from loket.core.errors import ConflictError, DomainError
from loket.core.files import FileRejected
from loket.core.ledger import ledger_verify
from loket.core.ledger_models import LedgerEntry
from loket.core.quota_models import QuotaCharge
from loket.core.receipts import receipt_verify
from loket.messaging.integrity import reply_problems
from loket.messaging.models import Attachment, Conversation, Message, StoredBlob
from loket.messaging.receipts import reply_receipt
from loket.messaging.services import (
    ConversationDraft,
    attachments_store,
    circular_run,
    circular_start,
    conversation_start,
    message_reply,
    notification_setting_update,
    parse_addresses,
    reply_deliver,
)
from tests.messaging.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


def test_start_gives_a_due_date_from_the_reaction_term(conversation):
    assert conversation.reaction_term == "P30D"
    assert conversation.due_at == conversation.started_at + timedelta(days=30)
    first = conversation.messages.get()
    assert (first.from_agency, first.kind, first.sender.name) == (True, "Opvraging", "Agentschap Binnenlands Bestuur")
    assert conversation.awaiting_body is True


def test_dossier_number_is_unique_per_body(uploader, conversation, agency_staff, municipality, other_municipality):
    draft = ConversationDraft(dossier_number="KLACHT2026.000123", subject="Opnieuw", kind="Opvraging")
    with pytest.raises(ConflictError):
        conversation_start(
            actor=agency_staff,
            organisation=municipality,
            draft=draft,
            blobs=attachments_store([pdf("b.pdf", PDF_BYTES + b"2")], uploader=uploader),
        )
    # The same number for another body is another dossier.
    other = conversation_start(
        actor=agency_staff,
        organisation=other_municipality,
        draft=draft,
        blobs=attachments_store([pdf()], uploader=uploader),
    )
    assert other.dossier_number == "KLACHT2026.000123"
    assert Conversation.objects.count() == 2


@pytest.mark.parametrize(
    "draft, field",
    [
        (ConversationDraft(dossier_number="", subject="s", kind="Opvraging"), "dossier_number"),
        (ConversationDraft(dossier_number="1", subject=" ", kind="Opvraging"), "subject"),
        (ConversationDraft(dossier_number="1", subject="s", kind=""), "kind"),
        (
            ConversationDraft(dossier_number="1", subject="s", kind="Opvraging", reaction_term="30 dagen"),
            "reaction_term",
        ),
    ],
)
def test_an_incomplete_start_is_refused(uploader, agency_staff, municipality, draft, field):
    with pytest.raises(DomainError) as caught:
        conversation_start(
            actor=agency_staff,
            organisation=municipality,
            draft=draft,
            blobs=attachments_store([pdf()], uploader=uploader),
        )
    assert field in caught.value.fields
    assert Conversation.objects.count() == 0


def test_a_free_type_and_a_term_in_weeks(uploader, agency_staff, municipality):
    conversation = conversation_start(
        actor=agency_staff,
        organisation=municipality,
        draft=ConversationDraft(dossier_number="X1", subject="s", kind="Uitnodiging", reaction_term="p2w"),
        blobs=attachments_store([pdf()], uploader=uploader),
    )
    assert (conversation.current_type, conversation.reaction_term) == ("Uitnodiging", "P2W")
    assert conversation.due_at == conversation.started_at + timedelta(days=14)


def test_a_reply_is_sent_through_the_ledger_and_delivered(uploader, conversation, message_clerk):
    reply = message_reply(
        actor=message_clerk,
        conversation=conversation,
        text="Zie bijlage.",
        blobs=attachments_store([pdf("antwoord.pdf", PDF_BYTES + b"antwoord")], uploader=uploader),
    )
    assert reply.kind == "Reactie" and reply.sender == conversation.organisation
    assert reply.sent_entry.kind == "sent" and reply.sent_entry.subject_uri == reply.uri
    conversation.refresh_from_db()
    assert conversation.awaiting_body is False
    delivered = reply_deliver(message_id=reply.pk)
    assert delivered.delivered_entry.kind == "delivered" and delivered.received_at is not None
    assert reply_deliver(message_id=reply.pk).delivered_entry_id == delivered.delivered_entry_id  # once
    receipt = reply_receipt(delivered)
    assert receipt["files"][0]["name"] == "antwoord.pdf"
    assert receipt_verify(receipt).ok is True
    assert ledger_verify().ok


def test_a_reply_without_attachment_changes_nothing(conversation, message_clerk):
    entries = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        message_reply(actor=message_clerk, conversation=conversation, text="Alleen tekst", blobs=[])
    assert "bijlage" in str(caught.value)
    assert (Message.objects.count(), LedgerEntry.objects.count()) == (1, entries)


def test_a_forbidden_type_or_a_tiny_file_is_refused_and_nothing_is_kept(uploader, conversation):
    blobs_before, charges_before = StoredBlob.objects.count(), QuotaCharge.objects.count()
    with pytest.raises(FileRejected):
        attachments_store(
            [pdf("ok.pdf", PDF_BYTES + b"ok"), pdf("script.pdf", b"#!/bin/sh\n" * 200)], uploader=uploader
        )
    with pytest.raises(FileRejected) as caught:
        attachments_store([pdf("klein.pdf", b"%PDF-1.4 klein")], uploader=uploader)
    assert "te klein" in caught.value.message_nl
    assert StoredBlob.objects.count() == blobs_before
    assert QuotaCharge.objects.count() == charges_before  # the refused post's accepted first file was taken back


def test_a_too_large_file_is_refused(uploader, settings, conversation):
    settings.LOKET_MESSAGE_ATTACHMENT_MAX_BYTES = 2000
    with pytest.raises(FileRejected) as caught:
        attachments_store([pdf("groot.pdf", PDF_BYTES * 3)], uploader=uploader)
    assert "groter dan" in caught.value.message_nl


def test_the_same_bytes_are_stored_once(uploader, agency_staff, municipality, other_municipality):
    draft = ConversationDraft(dossier_number="D1", subject="s", kind="Opvraging")
    conversation_start(
        actor=agency_staff, organisation=municipality, draft=draft, blobs=attachments_store([pdf()], uploader=uploader)
    )
    conversation_start(
        actor=agency_staff,
        organisation=other_municipality,
        draft=draft,
        blobs=attachments_store([pdf()], uploader=uploader),
    )
    assert StoredBlob.objects.count() == 1 and Attachment.objects.count() == 2


def test_a_circular_reaches_every_body_with_one_copy_of_its_attachment(
    uploader, agency_staff, municipality, other_municipality, agency
):
    circular = circular_start(
        actor=agency_staff,
        organisations=[municipality, other_municipality, agency],
        draft=ConversationDraft(dossier_number="OMZ2026/1", subject="Omzendbrief BB 2026/1", kind="Omzendbrief"),
        blobs=attachments_store([pdf()], uploader=uploader),
    )
    assert circular.total == 2  # the agency itself is no recipient
    done = circular_run(circular_id=circular.pk)
    assert (done.done, done.status) == (2, "done")
    assert Conversation.objects.filter(dossier_number="OMZ2026/1").count() == 2
    assert StoredBlob.objects.count() == 1
    # Run again (a restarted worker): nothing doubles.
    circular_run(circular_id=circular.pk)
    assert Conversation.objects.filter(dossier_number="OMZ2026/1").count() == 2


def test_a_circular_skips_a_body_that_already_has_the_dossier(uploader, agency_staff, municipality, other_municipality):
    draft = ConversationDraft(dossier_number="OMZ2026/2", subject="s", kind="Omzendbrief")
    conversation_start(
        actor=agency_staff, organisation=municipality, draft=draft, blobs=attachments_store([pdf()], uploader=uploader)
    )
    circular = circular_start(
        actor=agency_staff,
        organisations=[municipality, other_municipality],
        draft=draft,
        blobs=attachments_store([pdf()], uploader=uploader),
    )
    done = circular_run(circular_id=circular.pk)
    assert done.skipped == [["Aalst", "dossiernummer bestaat al"]]
    assert Conversation.objects.filter(dossier_number="OMZ2026/2").count() == 2


def test_addresses_are_each_validated():
    assert parse_addresses("a@x.be, b@y.be;\nA@x.be") == ["a@x.be", "b@y.be"]
    with pytest.raises(DomainError) as caught:
        parse_addresses("a@x.be, geen-adres, c@z.be")
    assert "geen-adres" in str(caught.value)


def test_one_bad_address_stores_nothing(municipality, message_clerk):
    notification_setting_update(
        actor=message_clerk, organisation=municipality, is_enabled=True, addresses_text="a@x.be"
    )
    with pytest.raises(DomainError):
        notification_setting_update(
            actor=message_clerk, organisation=municipality, is_enabled=True, addresses_text="b@x.be, fout"
        )
    from loket.messaging.models import NotificationSetting

    assert NotificationSetting.objects.get(organisation=municipality).addresses == ["a@x.be"]


def test_mails_need_an_address(municipality, message_clerk):
    with pytest.raises(DomainError):
        notification_setting_update(actor=message_clerk, organisation=municipality, is_enabled=True, addresses_text="")


def test_a_changed_reply_or_attachment_is_found(uploader, conversation, message_clerk):
    reply = message_reply(
        actor=message_clerk,
        conversation=conversation,
        text="Origineel",
        blobs=attachments_store([pdf("antwoord.pdf", PDF_BYTES + b"x")], uploader=uploader),
    )
    assert reply_problems(reply) == []
    Message.objects.filter(pk=reply.pk).update(text="Gewijzigd")
    reply.refresh_from_db()
    assert reply_problems(reply) == ["the stored text or attachments differ from the ledger entry"]
    Message.objects.filter(pk=reply.pk).update(text="Origineel")
    blob = reply.attachments.get().blob
    with default_storage.open(blob.storage_name, "wb") as handle:
        handle.write(b"%PDF-1.4 vervangen" * 100)
    reply.refresh_from_db()
    assert reply_problems(reply) == ["attachment antwoord.pdf was replaced"]
    receipt = reply_receipt(reply)
    assert receipt_verify(receipt).ok is False


def test_a_refused_post_never_takes_the_file_of_a_queued_circular(
    uploader, agency_staff, municipality, other_municipality
):
    """A circular names its files by id until the worker makes its messages. A refused post carrying the same
    bytes (kept once) must not delete them in between: the circular would then send a message without its file."""
    from loket.messaging.services import attachments_discard

    circular = circular_start(
        actor=agency_staff,
        organisations=[municipality, other_municipality],
        draft=ConversationDraft(dossier_number="OMZ2026/9", subject="Omzendbrief BB 2026/9", kind="Omzendbrief"),
        blobs=attachments_store([pdf()], uploader=uploader),
    )
    blob = StoredBlob.objects.get()
    refused_post = attachments_store([pdf("zelfde.pdf")], uploader=uploader)  # the same bytes: the same blob
    assert [kept.pk for kept, _name in refused_post] == [blob.pk]
    attachments_discard(refused_post)  # the post was refused (e.g. its text too long)
    assert StoredBlob.objects.filter(pk=blob.pk).exists() and default_storage.exists(blob.storage_name)
    done = circular_run(circular_id=circular.pk)
    assert (done.done, done.status) == (2, "done")
    assert Attachment.objects.filter(blob=blob).count() == 2
