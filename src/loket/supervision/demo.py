"""Demo submissions for `manage.py load_demo --submissions N`, the page benchmark and the open-data walk: sent
decision lists of a municipal council, through the same services a clerk uses. They alternate between the current
form (v2: the organ in its legislature, session and publication dates) and a concept kept on the first form (v1:
with a PDF and a link), as after an upgrade of the form."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from rdflib import URIRef

from loket.forms.decide import applicable_fields
from loket.forms.names import field_name
from loket.organisations.models import Organisation
from loket.supervision import form as toezicht_form
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import DocumentType, GoverningBody, Submission
from loket.supervision.publication import DELIBERATIVE_ORGANS
from loket.supervision.services import (
    submission_context,
    submission_create,
    submission_form_node,
    submission_send,
    submission_update,
)

FIELDS_V1 = "http://data.lblod.info/loket/fields/toezicht/"
BESLUITENLIJST = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"
# The smallest well-formed PDF the upload check accepts.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _v1(concept: Submission, council: GoverningBody, number: int) -> tuple[dict[str, str], MultiValueDict]:
    def name(field: str) -> str:
        return field_name(URIRef(FIELDS_V1 + field), submission_form_node(concept))

    data = {
        name("documentType"): BESLUITENLIJST,
        name("governingBody"): council.uri,
        name("sessionDate"): f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}",
        name("links"): f"https://publicatie.example.org/besluitenlijst-{number + 1}.html",
    }
    upload = SimpleUploadedFile(f"besluitenlijst-{number + 1}.pdf", DEMO_PDF, content_type="application/pdf")
    return data, MultiValueDict({name("files") + "__upload": [upload]})


def _v2_names(concept: Submission) -> dict[str, str]:
    definition = toezicht_form.form_definition(concept.form_version)
    node = submission_form_node(concept)
    return {f.label: field_name(f.node, node) for f in applicable_fields(definition, submission_context(concept), node)}


def _v2(concept: Submission, council: GoverningBody, actor: Any, number: int) -> dict[str, str]:
    period = toezicht_form._periods()[0][0]  # the current legislature
    names = _v2_names(concept)
    data = {
        names["Type dossier"]: BESLUITENLIJST,
        names["Welk beslissingsorgaan nam het besluit?"]: str(toezicht_form.organ_in_time(council.uri, period)),
    }
    submission_update(submission=concept, actor=actor, data=data)  # the dates apply once type and organ are known
    names = _v2_names(concept)
    day = f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}"
    data[names["Datum zitting/besluitenlijst"]] = f"{day}T20:00"
    data[names["Datum van publicatie op webtoepassing"]] = day
    return data


def demo_submissions_create(*, organisation: Organisation, actor: Any, count: int) -> list[Submission]:
    """Send `count` decision lists of the organisation's council (public when the council is deliberative)."""
    document_type = DocumentType.objects.get(uri=BESLUITENLIJST)
    council = next(b for b in governing_bodies_of(organisation) if b.classification_uri in DELIBERATIVE_ORGANS)
    sent = []
    for number in range(count):
        concept = submission_create(organisation=organisation, document_type=document_type, actor=actor)
        files = None
        if number % 2:
            concept.form_version = toezicht_form.form_version("toezicht-v1.ttl")
            concept.save(update_fields=["form_version"])
            data, files = _v1(concept, council, number)
        elif concept.form_version.startswith("toezicht-v1.ttl@"):
            data, files = _v1(concept, council, number)  # v1 pinned (LOKET_TOEZICHT_FORM)
        else:
            data = _v2(concept, council, actor, number)
        outcome = submission_update(submission=concept, actor=actor, data=data, files=files)
        if not outcome.valid:
            raise ValueError(f"Demo submission invalid: {outcome.errors}")
        sent.append(submission_send(submission=concept, actor=actor))
    return sent


def demo_submissions_top_up(*, organisation: Organisation, actor: Any, at_least: int) -> list[Submission]:
    """Send as many decision lists as the organisation lacks to have `at_least` sent ones (`load_demo` is run by
    every `make run`: the demo grows once, not on every start)."""
    have = Submission.objects.filter(organisation=organisation, status=Submission.Status.SENT).count()
    return demo_submissions_create(organisation=organisation, actor=actor, count=max(0, at_least - have))
