"""The tombstone of a URI (asked by opendata.tombstones.TombstoneMiddleware on every 404 of a GET) is read with one
statement of its own; its answer must stay the ORM's `Tombstone.objects.filter(subject=…).first()`."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.opendata import tombstones
from loket.opendata.models import Tombstone
from loket.opendata.tombstones import tombstone_of

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_a_tombstone_reads_as_the_orms_in_one_statement() -> None:
    subject = "http://data.lblod.info/id/mandatarissen/abc"
    Tombstone.objects.create(subject=subject + "-ander", former_type="x", dataset="d", deleted_at=datetime.now(UTC))
    Tombstone.objects.create(
        subject=subject,
        former_type="http://data.vlaanderen.be/ns/mandaat#Mandataris",
        dataset="mandatarissen",
        deleted_at=datetime(2026, 12, 6, 10, 11, 12, 345678, tzinfo=UTC),
    )

    with CaptureQueriesContext(connection) as queries:
        found = tombstone_of(subject)

    expected = Tombstone.objects.filter(subject=subject).first()
    assert found is not None and expected is not None
    assert _fields(found) == _fields(expected)
    assert found._state.adding is False and found._state.db == "default"
    assert len(queries) == 1 and "ORDER BY" not in queries[0]["sql"]  # the subject is unique: no ordering needed


@pytest.mark.parametrize("subject", ["http://data.lblod.info/id/niets", "", "http://x/'; --"])
def test_no_tombstone_is_none(subject: str) -> None:
    assert tombstone_of(subject) is None
    assert Tombstone.objects.filter(subject=subject).first() is None


def test_the_middleware_asks_it(client) -> None:  # type: ignore[no-untyped-def]
    from unittest import mock

    with mock.patch.object(tombstones, "tombstone_of", wraps=tombstone_of) as asked:
        assert client.get("/id/bestaat-niet/00000000").status_code == 404
    assert asked.call_count == 1
