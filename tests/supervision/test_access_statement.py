"""`submission_for_clerk` (asked by nearly every clerk's page) reads with one SQL statement of its own instead of the
ORM's select_related; its answer must stay the ORM's: every field of the submission, its organisation, that
organisation's kind, the document type and the governing body, loaded; and 404 for another body's submission, an
absent one and a malformed key alike."""

import uuid

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loket.supervision.access import submission_for_clerk
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission
from loket.supervision.services import submission_create
from tests.conftest import make_organisation
from tests.supervision.conftest import BESLUITENLIJST

pytestmark = pytest.mark.django_db


def _request(organisation):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.organisation = organisation
    return request


def _fields(instance) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _orm(key, organisation) -> Submission:  # type: ignore[no-untyped-def]
    return Submission.objects.select_related("organisation__kind", "document_type", "governing_body").get(
        uuid=key, organisation=organisation
    )


@pytest.mark.parametrize("with_body", [True, False])
def test_the_submission_and_its_relations_are_the_orms(municipality, clerk, document_types, with_body):  # type: ignore[no-untyped-def]
    submission = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    Submission.objects.filter(pk=submission.pk).update(
        governing_body=governing_bodies_of(municipality)[0] if with_body else None,
        session_date=timezone.localdate(),
        sent_at=timezone.now(),
        source_ttl='<urn:a> <urn:b> "é" .\n',
    )

    with CaptureQueriesContext(connection) as queries:
        found = submission_for_clerk(_request(municipality), str(submission.uuid))
    expected = _orm(submission.uuid, municipality)

    assert len(queries) == 1
    assert _fields(found) == _fields(expected)
    assert _fields(found.organisation) == _fields(expected.organisation)
    assert _fields(found.organisation.kind) == _fields(expected.organisation.kind)
    assert _fields(found.document_type) == _fields(expected.document_type)
    assert (found.governing_body and _fields(found.governing_body)) == (
        expected.governing_body and _fields(expected.governing_body)
    )
    assert found._state.adding is False and found._state.db == "default"
    with CaptureQueriesContext(connection) as queries:
        loaded = (found.organisation.kind, found.document_type.label, found.governing_body)  # not fetched again
    assert len(queries) == 0
    assert loaded[1] == expected.document_type.label


def test_an_organisation_without_kind(clerk, document_types):  # type: ignore[no-untyped-def]
    without_kind = make_organisation(
        key="cccc0000-0000-0000-0000-000000000003", name="Zonder soort", kbo="", kind=None, target_group=None
    )
    submission = submission_create(organisation=without_kind, document_type=document_types[BESLUITENLIJST], actor=clerk)
    found = submission_for_clerk(_request(without_kind), submission.uuid)
    assert found.pk == submission.pk
    assert found.organisation.kind is None


def test_another_bodys_absent_or_malformed_is_404(municipality, other_municipality, clerk, document_types):  # type: ignore[no-untyped-def]
    submission = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    for organisation, key in [
        (other_municipality, str(submission.uuid)),
        (None, str(submission.uuid)),
        (municipality, str(uuid.uuid4())),
        (municipality, "not-a-uuid"),
    ]:
        with pytest.raises(Http404):
            submission_for_clerk(_request(organisation), key)
