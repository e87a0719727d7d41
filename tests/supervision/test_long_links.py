"""A clerk's link over 2,000 characters is a clear form error, kept as typed, and is never cut when sent (issue
11, item 12)."""

import pytest

from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission, SubmissionFile
from loket.supervision.services import SubmissionInvalid, submission_create, submission_send, submission_update
from tests.supervision.conftest import BESLUITENLIJST, name_of

pytestmark = pytest.mark.django_db


def test_an_overlong_link_is_a_form_error_and_blocks_sending(clerk, municipality, document_types):
    concept = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    url = "https://publicatie.example.org/besluit?" + "x" * 2000
    data = {
        name_of(concept, "documentType"): BESLUITENLIJST,
        name_of(concept, "governingBody"): council.uri,
        name_of(concept, "sessionDate"): "2026-10-14",
        name_of(concept, "links"): url,
    }
    outcome = submission_update(submission=concept, actor=clerk, data=data)
    message = (
        f"Een link mag hoogstens 2000 tekens lang zijn; deze telt er {len(url)}: "
        "https://publicatie.example.org/besluit?xxxxxxxxxxxxxxxxxxxxx…"
    )
    assert outcome.errors["Link naar het gepubliceerde besluit"] == [message]
    concept.refresh_from_db()
    assert url in concept.source_ttl  # kept as typed, for the clerk to shorten
    with pytest.raises(SubmissionInvalid) as refused:
        submission_send(submission=concept, actor=clerk)
    assert refused.value.fields["Link naar het gepubliceerde besluit"] == [message]
    assert Submission.objects.get().status == "concept"
    assert not SubmissionFile.objects.exists()

    data[name_of(concept, "links")] = url[:2000]
    assert submission_update(submission=concept, actor=clerk, data=data).valid
    sent = submission_send(submission=concept, actor=clerk)
    assert sent.files.get().url == url[:2000]


def test_a_pasted_link_with_spaces_is_kept_with_the_spaces_encoded(clerk, municipality, document_types):
    """Found by the hand walk: a link copied with spaces in its file name was refused with "make sure the link starts
    with http://", which it did."""
    concept = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    data = {
        name_of(concept, "documentType"): BESLUITENLIJST,
        name_of(concept, "governingBody"): council.uri,
        name_of(concept, "sessionDate"): "2026-10-14",
        name_of(concept, "links"): " https://publicatie.example.org/besluiten/besluitenlijst 14 oktober.pdf ",
    }
    assert submission_update(submission=concept, actor=clerk, data=data).valid
    sent = submission_send(submission=concept, actor=clerk)
    assert sent.files.get().url == "https://publicatie.example.org/besluiten/besluitenlijst%2014%20oktober.pdf"
