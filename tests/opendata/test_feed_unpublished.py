"""The change feed skips a save that changes only fields no public graph reads (a mapping's `unpublished`: the
supervisor's handling of a submission), in one place (`feed.unpublished_change`); a save of a published field, or a
save without `update_fields`, still writes its entry."""

import pytest

from loket.core.linkeddata import mapping_info, ntriples_lines
from loket.opendata.feed import unpublished_change
from loket.opendata.models import FeedEntry
from loket.opendata.projection import stable_graph
from loket.supervision.models import Submission
from loket.supervision.rdf import GRAPH_FIELDS
from loket.supervision.services import submission_mark_handled, submission_unmark_handled

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


def test_a_published_field_or_a_whole_save_still_writes_an_entry(sent, municipality, clerk):  # type: ignore[no-untyped-def]
    from loket.supervision.services import submission_create

    before = _entries(sent)
    sent.save(update_fields=["delivered_at", "handled_note"])  # one field not declared unpublished is a change
    assert _entries(sent) == before + 1
    concept = submission_create(organisation=municipality, document_type=sent.document_type, actor=clerk)
    made = _entries(concept)
    assert made == 1
    concept.save()  # no update_fields: every field may have changed
    assert _entries(concept) == made + 1


def test_the_rule_reads_field_names_and_attnames_and_nothing_else_is_unpublished():  # type: ignore[no-untyped-def]
    assert unpublished_change(Submission, frozenset({"handled_by_id", "handled_at"}))
    assert not unpublished_change(Submission, frozenset({"handled_at", "sent_at"}))
    assert not unpublished_change(Submission, None)
    info = mapping_info(Submission)
    assert info is not None
    assert info.unpublished == {"handled_at", "handled_by", "handled_note"}
    read = {name.split("__")[0] for name in GRAPH_FIELDS}  # what the dumps' and the store's prefetch read
    assert not info.unpublished & read
