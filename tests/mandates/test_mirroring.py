"""Gemeente → OCMW mirroring for the pairs of reference §3.5, never for faciliteitengemeenten."""

from datetime import date

import pytest

from loket.core.errors import DomainError
from loket.mandates.codes import RoleCode, Status
from loket.mandates.models import Fractie, Holder
from loket.mandates.services import HolderValues, holder_create
from tests.mandates.conftest import mandate

pytestmark = pytest.mark.django_db


def _councillor(municipality, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    return holder_create(
        mandate=mandate(municipality, RoleCode.COUNCILLOR),
        person=jan,
        actor=clerk,
        values=HolderValues(
            start=date(2025, 1, 6), status=Status.EFFECTIVE, rangorde="Eerste gemeenteraadslid", fractie=fractie
        ),
    )[0]


def test_councillor_mirrored_as_rmw_member_from_the_page(client, clerk, organs, ocmw, municipality, jan, fractie):  # type: ignore[no-untyped-def]
    holder = _councillor(municipality, jan, fractie, clerk)
    client.force_login(clerk)
    assert "Ook in het OCMW" in client.get(f"/mandaten/mandatarissen/{holder.uuid}/").content.decode()
    assert client.post(f"/mandaten/mandatarissen/{holder.uuid}/ocmw/").status_code == 302
    twin = Holder.objects.get(mandate__role=RoleCode.WELFARE_MEMBER)
    assert (twin.person, twin.start, twin.fractie.name, twin.fractie.organisation) == (
        jan,
        date(2025, 1, 6),
        "Samen Aalst",
        ocmw,
    )
    assert (
        f"/mandaten/mandatarissen/{holder.uuid}/ocmw/"
        not in client.get(f"/mandaten/mandatarissen/{holder.uuid}/").content.decode()
    )
    client.post(f"/mandaten/mandatarissen/{holder.uuid}/ocmw/")  # twice: overlapping, refused
    assert Holder.objects.filter(mandate__role=RoleCode.WELFARE_MEMBER).count() == 1


def test_not_offered_in_a_faciliteitengemeente(clerk, organs, ocmw, municipality, jan, fractie):  # type: ignore[no-untyped-def]
    from loket.mandates.mirroring import holder_mirror

    holder = _councillor(municipality, jan, fractie, clerk)
    municipality.name = "Voeren"
    municipality.save()
    holder = Holder.objects.get(pk=holder.pk)
    with pytest.raises(DomainError):
        holder_mirror(holder=holder, actor=clerk)
    assert not Fractie.objects.filter(organisation=ocmw).exists()
