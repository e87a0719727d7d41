"""Linked data: units, involvements, organs, mandates and positions are public, in the `ere:` vocabulary with the
real URI bases."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from loket.core.linkeddata import graph_for
from loket.worship.codes import MinisterFunction
from loket.worship.models import Involvement, Mandate, OrganTerm
from loket.worship.rdf import ERE
from loket.worship.services import InvolvementInput, involvements_save, minister_position_create

pytestmark = pytest.mark.django_db


def test_unit_graph(units):  # type: ignore[no-untyped-def]
    board = units["board"]
    board.central_board = units["central"]
    board.save()
    graph = graph_for(board)
    subject = URIRef("http://data.lblod.info/id/besturenVanDeEredienst/004399d3fe8de429aac8c0a91ffe71b6")
    assert (subject, RDF.type, ERE.BestuurVanDeEredienst) in graph
    assert (
        subject,
        ERE.typeEredienst,
        URIRef("http://lblod.data.gift/concepts/b13d1d623626bc1ee75c7d20bc60e3c0"),
    ) in graph
    assert (subject, ERE.grensoverschrijdend, Literal(False)) in graph
    assert (URIRef(units["central"].uri), URIRef("http://www.w3.org/ns/org#hasSubOrganization"), subject) in graph
    assert (URIRef(units["diocese"].uri), URIRef("http://www.w3.org/ns/org#linkedTo"), subject) in graph


def test_involvement_resource_is_public_in_turtle(client, units, municipality):  # type: ignore[no-untyped-def]
    involvements_save(
        unit=units["board"],
        rows=[InvolvementInput(organisation=municipality, type="toezichthoudend", percentage=Decimal("100"))],
        actor=None,
    )
    involvement = Involvement.objects.get()
    assert involvement.uri.startswith("http://data.lblod.info/id/betrokkenLokaleBesturen/")
    response = client.get(f"/id/betrokkenLokaleBesturen/{involvement.uuid}?format=turtle")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="turtle")
    subject = URIRef(involvement.uri)
    assert (subject, ERE.financieringspercentage, Literal(Decimal("100.00"), datatype=XSD.decimal)) in graph
    assert (
        subject,
        ERE.typebetrokkenheid,
        URIRef("http://lblod.data.gift/concepts/ac400cc9f135ac7873fb3e551ec738c1"),
    ) in graph
    assert (URIRef(municipality.uri), ERE.betrokkenBestuur, subject) in graph
    assert client.get("/id/betrokkenLokaleBesturen/not-a-uuid").status_code == 404


def test_organ_terms_mandates_and_positions_are_public(client, units):  # type: ignore[no-untyped-def]
    call_command("worship", "periods", verbosity=0)
    term = OrganTerm.objects.filter(organ__unit=units["board"]).order_by("start").first()
    response = client.get(f"/id/eredienstbestuursorganen/{term.uuid}?format=ntriples")
    assert response.status_code == 200
    text = response.content.decode()
    assert '"2020-04-01"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    # the same property as every other organ-in-time (it was misspelt isTijdsspecialisatieVan, seen in the Virtuoso
    # comparison: no query joining worship organs to their timeless organ found them)
    assert f"<{term.uri}> <http://data.vlaanderen.be/ns/mandaat#isTijdspecialisatieVan> <{term.organ.uri}> ." in text
    mandate = Mandate.objects.filter(unit=units["board"], role="67e6e585166cd97575b3e17ffc430a43").first()
    assert (
        URIRef(mandate.uri),
        URIRef("http://www.w3.org/ns/org#role"),
        URIRef("http://data.vlaanderen.be/id/concept/BestuursfunctieCode/67e6e585166cd97575b3e17ffc430a43"),
    ) in graph_for(mandate)
    position = minister_position_create(unit=units["board"], function=MinisterFunction.PASTOR, actor=None)
    response = client.get(f"/id/positiesBedienaar/{position.uuid}?format=turtle")
    graph = Graph().parse(data=response.content, format="turtle")
    assert (URIRef(position.uri), ERE.behoort, URIRef(units["diocese"].uri)) in graph
    assert client.get(f"/id/positiesBedienaar/{term.uuid}").status_code == 404
