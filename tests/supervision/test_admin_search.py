"""The back office's submission list searches through indexes: a body by name or KBO number, a submission by uuid."""

import pytest
from django.urls import reverse

from loket.supervision.services import submission_create
from tests.supervision.conftest import BESLUITENLIJST

pytestmark = pytest.mark.django_db


def test_submission_search_by_body_kbo_and_uuid(
    client, helpdesk, clerk, stranger, municipality, other_municipality, document_types
):  # type: ignore[no-untyped-def]
    ours = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    theirs = submission_create(
        organisation=other_municipality, document_type=document_types[BESLUITENLIJST], actor=stranger
    )
    client.force_login(helpdesk)
    url = reverse("admin:supervision_submission_changelist")

    def found(term: str) -> list[int]:
        return sorted(s.pk for s in client.get(url, {"q": term}).context["cl"].result_list)

    assert found("aals") == [ours.pk]
    assert found("0207.437.468") == [theirs.pk]
    assert found(str(theirs.uuid)) == [theirs.pk]
    assert found("niets") == []
    assert found("") == sorted([ours.pk, theirs.pk])
