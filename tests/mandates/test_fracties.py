"""Fracties: a Samenwerkingsverband per unit, renamed as a replacement from a date that splits the holders there."""

from datetime import date

import pytest

from loket.core.errors import ConflictError
from loket.mandates.codes import Publication, Status
from loket.mandates.models import Fractie, Holder
from loket.mandates.services import HolderValues, fractie_rename, holder_create, holder_set_publication

pytestmark = pytest.mark.django_db


def test_rename_splits_holders_spanning_the_date(councillor, jan, els, fractie, clerk):  # type: ignore[no-untyped-def]
    spanning, _ = holder_create(
        mandate=councillor,
        person=jan,
        actor=clerk,
        values=HolderValues(
            start=date(2025, 1, 6), status=Status.EFFECTIVE, rangorde="Eerste gemeenteraadslid", fractie=fractie
        ),
    )
    holder_set_publication(
        holder=spanning, publication=Publication.RATIFIED, decision_link="https://x.be/b", actor=clerk
    )
    later, _ = holder_create(
        mandate=councillor,
        person=els,
        actor=clerk,
        values=HolderValues(
            start=date(2026, 3, 1), status=Status.EFFECTIVE, rangorde="Tweede gemeenteraadslid", fractie=fractie
        ),
    )
    new = fractie_rename(fractie=fractie, name="Samen Sterker", at=date(2026, 1, 1), actor=clerk)
    fractie.refresh_from_db()
    assert (fractie.end, new.replaces, new.start) == (date(2026, 1, 1), fractie, date(2026, 1, 1))
    spanning.refresh_from_db()
    assert (spanning.end, spanning.fractie, spanning.publication) == (date(2026, 1, 1), fractie, Publication.RATIFIED)
    split = Holder.objects.get(previous=spanning)
    assert (split.start, split.fractie, split.publication) == (date(2026, 1, 1), new, Publication.NOT_RATIFIED)
    later.refresh_from_db()
    assert later.fractie == new and not Holder.objects.filter(previous=later).exists()
    with pytest.raises(ConflictError):
        fractie_rename(fractie=fractie, name="Nog anders", at=date(2026, 2, 1), actor=clerk)


def test_fracties_page_create_and_rename(client, clerk, municipality, organs):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    assert client.post("/mandaten/fracties/", {"name": "Samen"}).status_code == 302
    assert client.post("/mandaten/fracties/", {"name": "samen"}).status_code == 400  # exists
    fractie = Fractie.objects.get(organisation=municipality)
    response = client.post(
        "/mandaten/fracties/", {"action": "rename", "fractie": str(fractie.uuid), "name": "Nieuw", "at": "nope"}
    )
    assert response.status_code == 400 and Fractie.objects.count() == 1
    client.post(
        "/mandaten/fracties/", {"action": "rename", "fractie": str(fractie.uuid), "name": "Nieuw", "at": "2026-01-01"}
    )
    body = client.get("/mandaten/fracties/").content.decode()
    assert "Nieuw" in body and "vervangt" in body and Fractie.objects.count() == 2


def test_another_units_fractie_cannot_be_renamed(client, stranger, fractie):  # type: ignore[no-untyped-def]
    client.force_login(stranger)
    response = client.post(
        "/mandaten/fracties/", {"action": "rename", "fractie": str(fractie.uuid), "name": "X", "at": "2026-01-01"}
    )
    assert response.status_code == 400
    fractie.refresh_from_db()
    assert fractie.end is None and Fractie.objects.count() == 1
