"""Demo submissions for `manage.py load_demo --submissions N`, the page benchmark and the open-data walk: sent
decision lists of a municipal council, each with a PDF and a link, through the same services a clerk uses."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from rdflib import URIRef

from loket.forms.names import field_name
from loket.organisations.models import Organisation
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import DocumentType, Submission
from loket.supervision.publication import DELIBERATIVE_ORGANS
from loket.supervision.services import (
    submission_create,
    submission_form_node,
    submission_send,
    submission_update,
)

FIELDS = "http://data.lblod.info/loket/fields/toezicht/"
BESLUITENLIJST = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"
# The smallest well-formed PDF the upload check accepts.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _name(submission: Submission, field: str) -> str:
    return field_name(URIRef(FIELDS + field), submission_form_node(submission))


def demo_submissions_create(*, organisation: Organisation, actor: Any, count: int) -> list[Submission]:
    """Send `count` decision lists of the organisation's council (public when the council is deliberative)."""
    document_type = DocumentType.objects.get(uri=BESLUITENLIJST)
    council = next(b for b in governing_bodies_of(organisation) if b.classification_uri in DELIBERATIVE_ORGANS)
    sent = []
    for number in range(count):
        concept = submission_create(organisation=organisation, document_type=document_type, actor=actor)
        data = {
            _name(concept, "documentType"): BESLUITENLIJST,
            _name(concept, "governingBody"): council.uri,
            _name(concept, "sessionDate"): f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}",
            _name(concept, "links"): f"https://publicatie.example.org/besluitenlijst-{number + 1}.html",
        }
        upload = SimpleUploadedFile(f"besluitenlijst-{number + 1}.pdf", DEMO_PDF, content_type="application/pdf")
        files = MultiValueDict({_name(concept, "files") + "__upload": [upload]})
        outcome = submission_update(submission=concept, actor=actor, data=data, files=files)
        if not outcome.valid:
            raise ValueError(f"Demo submission invalid: {outcome.errors}")
        sent.append(submission_send(submission=concept, actor=actor))
    return sent
