"""Demo conversations for `make run`: the agency writes to Aalst (one request, one notice of a supervisory decision,
one circular to every municipality of Oost-Vlaanderen). Safe to run again."""

from django.core.files.uploadedfile import SimpleUploadedFile

from loket.core.quota import Uploader
from loket.messaging.models import Conversation
from loket.messaging.services import (
    ConversationDraft,
    agency_organisation,
    attachments_store,
    circular_run,
    circular_start,
    conversation_start,
)
from loket.organisations.models import Organisation


def _letter(name: str, text: str) -> SimpleUploadedFile:
    body = ("%PDF-1.4\n% " + text + "\n").encode() + b"% demo\n" * 200
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def messaging_demo_load() -> str:
    aalst = Organisation.objects.filter(name="Aalst", kind__category="municipality").first()
    if aalst is None or Conversation.objects.filter(organisation=aalst, dossier_number="DEMO.2026.0001").exists():
        return "already there"
    agency = Uploader(agency_organisation())  # the agency sends these letters
    conversation_start(
        actor=None,
        organisation=aalst,
        draft=ConversationDraft(
            dossier_number="DEMO.2026.0001", subject="Opvraging notulen gemeenteraad 12 oktober", kind="Opvraging"
        ),
        blobs=attachments_store([_letter("opvraging.pdf", "Opvraging notulen")], uploader=agency),
    )
    conversation_start(
        actor=None,
        organisation=aalst,
        draft=ConversationDraft(
            dossier_number="DEMO.2026.0002",
            subject="Schorsing besluit retributiereglement",
            kind="Kennisgeving toezichtsbeslissing",
        ),
        blobs=attachments_store([_letter("kennisgeving.pdf", "Kennisgeving")], uploader=agency),
    )
    municipalities = list(Organisation.objects.filter(kind__category="municipality", province="Oost-Vlaanderen"))
    if municipalities:
        circular = circular_start(
            actor=None,
            organisations=municipalities,
            draft=ConversationDraft(
                dossier_number="OMZ.2026.01", subject="Omzendbrief meerjarenplanning 2026", kind="Omzendbrief"
            ),
            blobs=attachments_store([_letter("omzendbrief.pdf", "Omzendbrief")], uploader=agency),
        )
        circular_run(circular_id=circular.pk)
    return f"{Conversation.objects.count()} conversations"
