"""The statements of a send, a delivery, a link's copy and a handling, pinned (issue 18: every send costs the
web process, PostgreSQL and the one task worker CPU per statement; bench/README.md "Send and worker CPU after
session 11's cuts"). Each count includes the test transaction's SAVEPOINT and RELEASE of the service's atomic block;
what runs on commit (asking whether open-data tasks wait) does not run in a test transaction."""

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django_tasks_db.models import DBTaskResult

from loket.core.ledger_models import LedgerHead
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission, SubmissionFile
from loket.supervision.services import submission_create, submission_mark_handled, submission_send, submission_update
from loket.supervision.tasks import cache_remote_file, deliver_submission
from tests.core.fetch_support import LocalServer, serve
from tests.supervision.conftest import BESLUITENLIJST, name_of


@pytest.fixture
def local_server(settings) -> LocalServer:  # type: ignore[no-untyped-def]
    settings.LOKET_ALLOW_PRIVATE_FETCH = ["127.0.0.1"]
    with serve() as server:
        yield server


@pytest.fixture
def concept(clerk, municipality, document_types, local_server):  # type: ignore[no-untyped-def]
    """A valid concept with a link to the local page server."""
    made = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    outcome = submission_update(
        submission=made,
        actor=clerk,
        data={
            name_of(made, "documentType"): BESLUITENLIJST,
            name_of(made, "governingBody"): council.uri,
            name_of(made, "sessionDate"): "2026-10-14",
            name_of(made, "links"): local_server.url("/small/besluitenlijst.pdf"),
        },
    )
    assert outcome.valid, outcome.errors
    made.refresh_from_db()
    return made


QUOTA_LOCK = 1 if connection.vendor == "postgresql" else 0  # the body's advisory lock (core.quota; SQLite: BEGIN)


def test_a_send_takes_its_statements_and_leaves_the_callers_submission_as_stored(
    clerk, concept, django_assert_num_queries
):  # type: ignore[no-untyped-def]
    """Lock, files, governing bodies (the form's options), ledger head, entry, head, the sent row, the link, the
    audit event, the delivery's task, which also copies the link (two more before: a task of its own for the link's
    copy, and the caller's submission read again)."""
    LedgerHead.objects.get_or_create(id=1)  # the register's very first append creates its head: not this count
    prefetch_related_objects([concept], "files")  # the send must not leave the concept's (empty) list of files
    with django_assert_num_queries(12):
        sent = submission_send(submission=concept, actor=clerk)
    stored = Submission.objects.get(pk=concept.pk)
    for field in Submission._meta.concrete_fields:
        assert getattr(concept, field.attname) == getattr(stored, field.attname), field.name
    assert concept.status == Submission.Status.SENT and concept.sent_entry.position == sent.sent_entry.position
    assert [f.kind for f in concept.files.all()] == ["link"]  # read again, not the concept's empty list


def test_a_delivery_takes_its_statements_and_copies_the_link(clerk, concept, django_assert_num_queries):  # type: ignore[no-untyped-def]
    """Lock (with the sent entry, kind and document type the delivery and its hooks read), head, entry, head, the
    row, its change-feed entry, the dispatch rules; then, committed, the link with its submission's key, the body's
    storage quota (its usage, the charge, and on PostgreSQL its lock: core.quota) and the copy's update (four more
    before in the delivery: the sent entry, the kind, the document type and the stored status were each read apart;
    and the copy was a task of its own, with its own claim)."""
    sent = submission_send(submission=concept, actor=clerk)
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [deliver_submission.module_path]
    with django_assert_num_queries(13 + QUOTA_LOCK):
        deliver_submission.call(submission_id=sent.pk)
    sent.refresh_from_db()
    assert sent.delivered_entry.kind == "delivered"
    assert sent.delivered_entry.payload == {"sent_position": sent.sent_entry.position}
    link = sent.files.get()
    assert (link.cache_status, link.cache_attempts) == ("done", 1)
    assert link.storage_name.startswith(f"submissions/{sent.uuid}/links/{link.uuid}/")


def test_a_links_copy_of_its_own_takes_its_statements(clerk, concept, django_assert_num_queries):  # type: ignore[no-untyped-def]
    """A link's own task (a retry, recovery, a vendor's send): the link with its submission's key, the body's
    storage quota (usage, charge, lock on PostgreSQL), and the update (one more before: the submission was read
    apart)."""
    submission_send(submission=concept, actor=clerk)
    link = SubmissionFile.objects.get(submission=concept, kind=SubmissionFile.Kind.LINK)
    with django_assert_num_queries(4 + QUOTA_LOCK):
        assert cache_remote_file.call(file_id=link.pk) == "done"
    link.refresh_from_db()
    assert link.storage_name.startswith(f"submissions/{concept.uuid}/links/{link.uuid}/")


def test_marking_handled_takes_its_statements(clerk, helpdesk, concept, django_assert_num_queries):  # type: ignore[no-untyped-def]
    """Lock, the row, the audit event (one more before: the stored status was read first); no change-feed entry:
    nothing handled is published (opendata.feed.unpublished_change)."""
    sent = submission_send(submission=concept, actor=clerk)
    deliver_submission.call(submission_id=sent.pk)
    with django_assert_num_queries(5):
        submission_mark_handled(submission=sent, actor=helpdesk, note="In orde")
    sent.refresh_from_db()
    assert sent.handled_note == "In orde" and sent.handled_by == helpdesk


def _fields(instance):  # type: ignore[no-untyped-def]
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_locked_concept_is_the_orms_with_its_relations(concept, worship_board, document_types):  # type: ignore[no-untyped-def]
    """`_locked_submission` (one statement) answers what the ORM's locked select_related read: the row and its
    organisation with kind, document type and governing body (or none), loaded with it; nothing for an absent key;
    and on PostgreSQL it locks the submission's row (FOR UPDATE OF, as the ORM's)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from loket.supervision.services import _locked_submission

    without_body = submission_create(
        organisation=worship_board, document_type=document_types[BESLUITENLIJST], actor=None
    )
    assert without_body.governing_body is None
    for made in (concept, without_body):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                ours = _locked_submission(made.pk)
            by_orm = (
                Submission.objects.select_for_update(of=("self",))
                .select_related("organisation__kind", "document_type", "governing_body")
                .get(pk=made.pk)
            )
        assert len(queries) == 1
        assert ("FOR UPDATE OF s" in queries[0]["sql"]) is connection.features.has_select_for_update_of
        assert ours is not None and _fields(ours) == _fields(by_orm)
        with CaptureQueriesContext(connection) as queries:
            assert _fields(ours.organisation) == _fields(by_orm.organisation)
            assert _fields(ours.organisation.kind) == _fields(by_orm.organisation.kind)
            assert _fields(ours.document_type) == _fields(by_orm.document_type)
            assert _fields(ours.governing_body) == _fields(by_orm.governing_body)
        assert len(queries) == 0
    with transaction.atomic():
        assert _locked_submission(without_body.pk + 1000) is None


@pytest.mark.django_db(transaction=True)
def test_the_locked_concept_is_read_only_inside_a_transaction():  # type: ignore[no-untyped-def]
    """As the ORM's `select_for_update`: a lock outside a transaction would end with its statement."""
    from django.db import connection
    from django.db.transaction import TransactionManagementError

    from loket.supervision.services import _locked_submission

    if not connection.features.has_select_for_update:
        pytest.skip("SQLite locks the database for a write, not rows")
    with pytest.raises(TransactionManagementError):
        _locked_submission(1)
