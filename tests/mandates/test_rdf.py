"""What Mandatenbeheer publishes: versions of public roles, never Draft or deleted ones, persons by name only;
no demo RRN in any public output."""

from datetime import date

import pytest
from django.core.management import call_command
from rdflib import Graph, URIRef

from loket.core.linkeddata import MANDAAT, graph_for
from loket.mandates.codes import Publication, RoleCode, Status
from loket.mandates.models import Holder
from loket.mandates.services import HolderValues, holder_change, holder_create
from loket.persons.models import Person
from loket.persons.number_protection import number_unseal
from tests.mandates.conftest import mandate

pytestmark = pytest.mark.django_db


def _holder(m, person, clerk, fractie=None, **kwargs):  # type: ignore[no-untyped-def]
    values = HolderValues(
        start=date(2025, 1, 6), status=Status.EFFECTIVE, rangorde=kwargs.pop("rangorde", ""), fractie=fractie
    )
    return holder_create(mandate=m, person=person, values=values, actor=clerk, **kwargs)[0]


def test_versions_are_published_with_the_mandaten_vocabulary(client, councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    first = _holder(councillor, jan, clerk, fractie, rangorde="Eerste gemeenteraadslid")
    second, _ = holder_change(
        holder=first,
        at=date(2025, 6, 1),
        values=HolderValues(start=None, status=Status.EFFECTIVE, rangorde="Tweede gemeenteraadslid", fractie=fractie),
        actor=clerk,
    )
    for version in (first, second):
        response = client.get(f"/id/mandatarissen/{version.uuid}", HTTP_ACCEPT="text/turtle")
        assert response.status_code == 200
        graph = Graph().parse(data=response.content, format="turtle")
        subject = URIRef(version.uri)
        assert version.uri.startswith("http://data.lblod.info/id/mandatarissen/")
        assert graph.value(subject, MANDAAT.isBestuurlijkeAliasVan) == URIRef(jan.uri)
        assert str(graph.value(subject, MANDAAT.rangorde)) == version.rangorde
    first.refresh_from_db()
    assert str(graph_for(first).value(URIRef(first.uri), MANDAAT.einde)).startswith("2025-06-01T00:00:00")


def test_draft_and_deleted_and_police_holders_are_not_published(  # type: ignore[no-untyped-def]
    client, councillor, jan, els, fractie, clerk, target_group, agency
):
    draft = _holder(councillor, jan, clerk, fractie, rangorde="Eerste gemeenteraadslid", publication=Publication.DRAFT)
    assert len(graph_for(draft)) == 0
    assert client.get(f"/id/mandatarissen/{draft.uuid}").status_code == 404
    from tests.conftest import _kind, make_organisation

    zone = make_organisation(
        key="cccc0000-0000-0000-0000-00000000000a",
        name="Politiezone Aalst",
        kbo="0123456749",
        kind=_kind("a3922c6d-425b-474f-9a02-ffb71a436bfc", "Politiezone", "other"),
        target_group=target_group,
        access_manager=agency,
    )
    call_command("mandates", "organs")
    police = _holder(mandate(zone, RoleCode.POLICE_COUNCILLOR), els, clerk)
    assert client.get(f"/id/mandatarissen/{police.uuid}").status_code == 404
    Holder.objects.filter(pk=draft.pk).update(publication=Publication.NOT_RATIFIED, deleted_at="2025-02-01T00:00Z")
    assert client.get(f"/id/mandatarissen/{draft.uuid}").status_code == 404


def test_no_demo_rrn_in_any_public_output(client, clerk, municipality):  # type: ignore[no-untyped-def]
    """The demo data's persons (with RRN, birth date, nationality) appear in no public page or format."""
    from loket.mandates.demo import load_demo_mandates

    load_demo_mandates()
    persons = list(Person.objects.exclude(national_number_index=None))
    assert persons, "the demo has persons with a national register number"
    secrets = set()
    for person in persons:
        digits = number_unseal(person.national_number_sealed)
        assert digits is not None
        secrets |= {digits, f"{digits[:6]}-{digits[6:9]}"}
        if person.birth_date:
            secrets.add(person.birth_date.isoformat())
    holders = list(Holder.objects.all())
    assert holders
    for holder in holders:
        for accept in ("text/turtle", "application/ld+json", "application/n-triples", "text/html"):
            body = client.get(f"/id/mandatarissen/{holder.uuid}", HTTP_ACCEPT=accept).content.decode()
            assert not any(secret in body for secret in secrets), (holder, accept)
        body = client.get(f"/id/mandaten/{holder.mandate.uuid}", HTTP_ACCEPT="text/turtle").content.decode()
        assert not any(secret in body for secret in secrets)
