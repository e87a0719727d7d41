"""The change feed skips a save that changes only fields no public graph reads (a mapping's `unpublished`: the
supervisor's handling of a submission) and a save or delete of a draft (a mapping's `draft`: a submission's concept),
in one place (`feed.unpublished_change`); a save of a published field, or a save without `update_fields` of what is
not a draft, still writes its entry."""

import pytest

from loket.core.linkeddata import mapping_info, ntriples_lines
from loket.opendata.feed import unpublished_change
from loket.opendata.models import FeedEntry
from loket.opendata.projection import stable_graph
from loket.supervision.models import Submission
from loket.supervision.rdf import GRAPH_FIELDS
from loket.supervision.services import submission_mark_handled, submission_unmark_handled
from tests.supervision.test_toezicht import _complete_post, _council

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(municipality, clerk):  # type: ignore[no-untyped-def]
    from loket.supervision.codelists import document_types_load
    from loket.supervision.demo import demo_submissions_create

    document_types_load()

    (submission,) = demo_submissions_create(organisation=municipality, actor=clerk, count=1)
    assert submission.is_public
    return submission


def _entries(submission: Submission) -> int:
    return FeedEntry.objects.filter(model_label="supervision.Submission", object_pk=str(submission.pk)).count()


def test_marking_handled_and_undoing_it_write_no_feed_entry_and_change_no_graph(sent, helpdesk):  # type: ignore[no-untyped-def]
    before = _entries(sent)
    graph = ntriples_lines(stable_graph(Submission.objects.get(pk=sent.pk)))
    handled = submission_mark_handled(submission=sent, actor=helpdesk, note="In orde")
    assert _entries(sent) == before
    assert ntriples_lines(stable_graph(Submission.objects.get(pk=sent.pk))) == graph
    submission_unmark_handled(submission=handled, actor=helpdesk, handled_at=handled.handled_at)
    assert _entries(sent) == before


def test_a_published_field_or_a_whole_save_still_writes_an_entry(sent):  # type: ignore[no-untyped-def]
    before = _entries(sent)
    sent.save(update_fields=["delivered_at", "handled_note"])  # one field not declared unpublished is a change
    assert _entries(sent) == before + 1
    assert not unpublished_change(Submission, None, sent)  # a whole save (no update_fields) of what is not a draft


def test_a_concept_writes_no_entry_until_its_delivery_publishes_it(sent, municipality, clerk, helpdesk):  # type: ignore[no-untyped-def]
    """A concept is never public: its creation, saves and deletion write nothing (no LDES version, no store or dump
    work); the delivery of the sent submission writes its one entry. A concept correction is not shown on the
    submission it replaces either: nothing for the original until the correction is delivered."""
    from loket.supervision.services import (
        submission_correct,
        submission_create,
        submission_delete,
        submission_deliver,
        submission_send,
        submission_update,
    )

    everything, original = FeedEntry.objects.count(), _entries(sent)
    body = _council(municipality).uri
    concept = submission_create(organisation=municipality, document_type=sent.document_type, actor=clerk)
    concept.save()  # a whole save of a concept: still a concept
    assert submission_update(submission=concept, actor=clerk, data=_complete_post(concept, body_uri=body)).valid
    assert FeedEntry.objects.count() == everything
    submission_delete(submission=concept, actor=clerk)
    assert FeedEntry.objects.count() == everything

    correction = submission_correct(submission=sent, actor=helpdesk)
    assert submission_update(submission=correction, actor=clerk, data=_complete_post(correction, body_uri=body)).valid
    assert FeedEntry.objects.count() == everything
    submission_send(submission=correction, actor=clerk)  # an update(): the feed sees the delivery
    submission_deliver(submission_id=correction.pk)
    assert _entries(correction) == 1
    assert _entries(sent) == original + 1  # dct:isReplacedBy now


def test_the_draft_rule_is_the_concept_status():  # type: ignore[no-untyped-def]
    info = mapping_info(Submission)
    assert info is not None and info.draft is not None
    assert info.draft(Submission(status=Submission.Status.CONCEPT))
    assert not info.draft(Submission(status=Submission.Status.SENT))
    assert unpublished_change(Submission, None, Submission(status=Submission.Status.CONCEPT))
    assert not unpublished_change(Submission, None, Submission(status=Submission.Status.SENT))


def test_the_rule_reads_field_names_and_attnames_and_nothing_else_is_unpublished():  # type: ignore[no-untyped-def]
    assert unpublished_change(Submission, frozenset({"handled_by_id", "handled_at"}))
    assert not unpublished_change(Submission, frozenset({"handled_at", "sent_at"}))
    assert not unpublished_change(Submission, None)
    info = mapping_info(Submission)
    assert info is not None
    assert info.unpublished == {"handled_at", "handled_by", "handled_note"}
    read = {name.split("__")[0] for name in GRAPH_FIELDS}  # what the dumps' and the store's prefetch read
    assert not info.unpublished & read
