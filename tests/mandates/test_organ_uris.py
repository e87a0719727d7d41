"""One identity per bestuursorgaan: a mandates organ has the URI of Toezicht's governing body of the same unit and
classification, and its organs-in-time are the URIs Toezicht's forms answer with. Both dereference (Toezicht's
pages), with Mandatenbeheer's binding dates and mandates added by its registered describer."""

from datetime import date

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from loket.core.linkeddata import BESLUIT, MANDAAT, ORG
from loket.mandates.codes import OrganKind, RoleCode
from loket.mandates.models import Organ
from loket.mandates.organs import decretal_organs_create
from loket.supervision import form as toezicht_form
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import GoverningBody
from tests.mandates.conftest import mandate

pytestmark = pytest.mark.django_db


def turtle(client, uri: str) -> Graph:  # type: ignore[no-untyped-def]
    path = uri.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}", HTTP_ACCEPT="text/turtle")
    assert response.status_code == 200, (uri, response.status_code)
    return Graph().parse(data=response.content, format="turtle")


def test_organs_take_the_governing_body_uri_of_their_unit(organs, municipality):  # type: ignore[no-untyped-def]
    bodies = {body.classification_uri: body.uri for body in governing_bodies_of(municipality)}
    organs = Organ.objects.filter(organisation=municipality)
    assert organs.count() == 3
    for organ in organs:
        assert organ.uri == bodies[organ.classification_uri]
    assert GoverningBody.objects.filter(organisation=municipality).count() == 3  # no second organ


def test_an_organ_toezicht_does_not_know_yet_is_added_to_the_one_register(organs, municipality):  # type: ignore[no-untyped-def]
    """A police zone's politieraad: Toezicht's default organs for that kind lack it; it is added, not duplicated."""
    from tests.conftest import _kind, make_organisation

    zone = make_organisation(
        key="dddd0000-0000-0000-0000-000000000001",
        name="Politiezone Aalst",
        kbo="",
        kind=_kind("a3922c6d-425b-474f-9a02-ffb71a436bfc", "Politiezone", "police"),
        target_group=None,
    )
    decretal_organs_create(organisations=[zone])
    council = Organ.objects.get(organisation=zone, kind=OrganKind.POLICE_COUNCIL)
    assert GoverningBody.objects.get(uri=council.uri).organisation == zone
    decretal_organs_create(organisations=[zone])  # idempotent
    assert Organ.objects.filter(organisation=zone).count() == 1


def test_the_organ_in_time_is_the_one_toezicht_answers_with(organs, municipality):  # type: ignore[no-untyped-def]
    term = mandate(municipality, RoleCode.COUNCILLOR).term
    period = URIRef(term.period_uri)
    assert term.uri == str(toezicht_form.organ_in_time(term.organ.uri, period))


def test_organ_and_organ_in_time_dereference_with_the_mandates(client, organs, municipality):  # type: ignore[no-untyped-def]
    councillor = mandate(municipality, RoleCode.COUNCILLOR)
    term, organ = councillor.term, councillor.term.organ
    graph = turtle(client, organ.uri)
    assert (URIRef(organ.uri), BESLUIT.classificatie, URIRef(organ.classification_uri)) in graph
    assert (URIRef(organ.uri), BESLUIT.bestuurt, URIRef(municipality.uri)) in graph
    graph = turtle(client, term.uri)
    subject = URIRef(term.uri)
    assert (subject, MANDAAT.isTijdspecialisatieVan, URIRef(organ.uri)) in graph
    assert (subject, MANDAAT.bindingStart, Literal(date(2024, 12, 2), datatype=XSD.date)) in graph
    assert (subject, ORG.hasPost, URIRef(councillor.uri)) in graph
    # and the mandate points back at that organ-in-time
    assert (subject, ORG.hasPost, URIRef(councillor.uri)) in turtle(client, councillor.uri)


def test_an_earlier_legislature_dereferences_too(client, organs, municipality):  # type: ignore[no-untyped-def]
    term = mandate(municipality, RoleCode.COUNCILLOR, period="2012").term
    graph = turtle(client, term.uri)
    assert (URIRef(term.uri), MANDAAT.bindingEinde, Literal(date(2018, 12, 31), datatype=XSD.date)) in graph


def test_an_unknown_period_or_organ_is_404(client, organs, municipality):  # type: ignore[no-untyped-def]
    organ = Organ.objects.filter(organisation=municipality).first()
    path = organ.uri.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}/periode/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/id/bestuursorganen/ffffffff-ffff-ffff-ffff-ffffffffffff").status_code == 404


def test_the_migration_takes_the_body_uri_or_registers_the_published_one(organs, municipality):  # type: ignore[no-untyped-def]
    import importlib

    from django.apps import apps
    from django.conf import settings

    migration = importlib.import_module("loket.mandates.migrations.0006_organ_uri")
    council = Organ.objects.get(organisation=municipality, kind=OrganKind.COUNCIL)
    college = Organ.objects.get(organisation=municipality, kind=OrganKind.COLLEGE)
    body_uri = council.uri
    GoverningBody.objects.filter(uri=college.uri).delete()  # an organ Toezicht never had
    for organ in Organ.objects.all():  # before the migration: no URI yet (unique, so one blank each)
        Organ.objects.filter(pk=organ.pk).update(uri=f"blank-{organ.pk}")
    migration.organ_uris(apps, None)
    council.refresh_from_db()
    college.refresh_from_db()
    assert council.uri == body_uri
    assert college.uri == f"{settings.LOKET_URI_BASE}/id/bestuursorganen/{college.uuid}"
    assert GoverningBody.objects.get(uri=college.uri).label == "College van Burgemeester en Schepenen"


def test_the_period_an_organ_in_time_names_dereferences(client, organs, municipality):  # type: ignore[no-untyped-def]
    from rdflib.namespace import SKOS

    term = mandate(municipality, RoleCode.COUNCILLOR).term
    graph = turtle(client, term.period_uri)
    assert (URIRef(term.period_uri), SKOS.prefLabel, Literal("2024 - heden")) in graph
    assert client.get("/id/concept/Bestuursperiode/00000000-0000-0000-0000-000000000000").status_code == 404
