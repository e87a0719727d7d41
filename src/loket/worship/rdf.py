"""How worship data is published (`ere:` vocabulary, the real URI bases of worship.md §1, §5).

Public: units (their worship facts, on the organisation's own URI), involvements, organs and their terms, mandates,
minister positions. Not public: board members and ministers (the real Loket publishes them only on an
authenticated stream) and nothing of a person (national register number, birth, nationality, contacts).
"""

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from loket.core.linkeddata import BESLUIT, MANDAAT, MU, ORG, new_graph, rdf_mapping, register_dataset
from loket.worship.codes import INVOLVEMENT_TYPE_URIS, RELIGION_URIS, BoardRole, MinisterFunction
from loket.worship.models import Involvement, Mandate, MinisterPosition, Organ, OrganTerm, WorshipUnit

ERE = Namespace("http://data.lblod.info/vocabularies/erediensten/")
UNIT_CLASSES = {
    WorshipUnit.Kind.BOARD: ERE.BestuurVanDeEredienst,
    WorshipUnit.Kind.CENTRAL_BOARD: ERE.CentraalBestuurVanDeEredienst,
    WorshipUnit.Kind.REPRESENTATIVE_BODY: ERE.RepresentatiefOrgaan,
}


def _graph():  # type: ignore[no-untyped-def]
    graph = new_graph()
    graph.bind("ere", ERE)
    return graph


register_dataset(
    "erediensten",
    title="Besturen van de eredienst",
    description="Besturen van de eredienst, centrale besturen en representatieve organen: eredienst, betrokken "
    "lokale besturen, bestuursorganen en mandaten, posities van bedienaren (nooit bestuursleden of bedienaren zelf).",
    subjects=["http://data.lblod.info/id/concept/dataset-subject/erediensten"],
)


@rdf_mapping(WorshipUnit, dataset="erediensten")
def unit_graph(unit: WorshipUnit):  # type: ignore[no-untyped-def]
    graph = _graph()
    subject = URIRef(unit.uri)
    graph.add((subject, RDF.type, UNIT_CLASSES[unit.kind]))  # type: ignore[index]
    if unit.kind != WorshipUnit.Kind.REPRESENTATIVE_BODY:
        graph.add((subject, RDF.type, ERE.EredienstBestuurseenheid))
    if unit.religion:
        graph.add((subject, ERE.typeEredienst, URIRef(RELIGION_URIS[unit.religion])))
    if unit.kind == WorshipUnit.Kind.BOARD:
        graph.add((subject, ERE.grensoverschrijdend, Literal(unit.is_cross_border)))
    if unit.central_board_id:
        graph.add((URIRef(unit.central_board.uri), ORG.hasSubOrganization, subject))  # type: ignore[union-attr]
    if unit.representative_body_id:
        graph.add((URIRef(unit.representative_body.uri), ORG.linkedTo, subject))  # type: ignore[union-attr]
    for position in unit.minister_positions.all():
        graph.add((subject, ERE.wordtBediendDoor, URIRef(position.uri)))
    return graph


@rdf_mapping(Involvement, dataset="erediensten")
def involvement_graph(involvement: Involvement):  # type: ignore[no-untyped-def]
    graph = _graph()
    subject = URIRef(involvement.uri)
    graph.add((subject, RDF.type, ERE.BetrokkenLokaleBesturen))
    graph.add((subject, MU.uuid, Literal(str(involvement.uuid))))
    graph.add((subject, ORG.organization, URIRef(involvement.unit.uri)))
    graph.add((URIRef(involvement.organisation.uri), ERE.betrokkenBestuur, subject))
    graph.add((subject, ERE.typebetrokkenheid, URIRef(INVOLVEMENT_TYPE_URIS[involvement.type])))
    if involvement.percentage is not None:
        graph.add((subject, ERE.financieringspercentage, Literal(involvement.percentage, datatype=XSD.decimal)))
    return graph


@rdf_mapping(Organ, dataset="erediensten")
def organ_graph(organ: Organ):  # type: ignore[no-untyped-def]
    graph = _graph()
    subject = URIRef(organ.uri)
    graph.add((subject, RDF.type, BESLUIT.Bestuursorgaan))
    graph.add((subject, MU.uuid, Literal(str(organ.uuid))))
    graph.add((subject, SKOS.prefLabel, Literal(organ.label)))
    graph.add((subject, BESLUIT.bestuurt, URIRef(organ.unit.uri)))
    graph.add((subject, BESLUIT.classificatie, URIRef(organ.classification_uri)))
    return graph


@rdf_mapping(OrganTerm, dataset="erediensten")
def organ_term_graph(term: OrganTerm):  # type: ignore[no-untyped-def]
    graph = _graph()
    subject = URIRef(term.uri)
    graph.add((subject, RDF.type, BESLUIT.Bestuursorgaan))
    graph.add((subject, MU.uuid, Literal(str(term.uuid))))
    graph.add((subject, MANDAAT.isTijdspecialisatieVan, URIRef(term.organ.uri)))
    graph.add((subject, MANDAAT.bindingStart, Literal(term.start, datatype=XSD.date)))
    graph.add((subject, MANDAAT.bindingEinde, Literal(term.end, datatype=XSD.date)))
    for mandate in term.mandates.all():
        graph.add((subject, ORG.hasPost, URIRef(mandate.uri)))
    return graph


@rdf_mapping(Mandate, dataset="erediensten")
def mandate_graph(mandate: Mandate):  # type: ignore[no-untyped-def]
    graph = _graph()
    subject = URIRef(mandate.uri)
    graph.add((subject, RDF.type, MANDAAT.Mandaat))
    graph.add((subject, MU.uuid, Literal(str(mandate.uuid))))
    graph.add((subject, ORG.role, URIRef(BoardRole(mandate.role).uri)))
    for term in mandate.terms.all():
        graph.add((URIRef(term.uri), ORG.hasPost, subject))
    return graph


@rdf_mapping(MinisterPosition, dataset="erediensten")
def position_graph(position: MinisterPosition):  # type: ignore[no-untyped-def]
    graph = _graph()
    subject = URIRef(position.uri)
    graph.add((subject, RDF.type, ERE.PositieBedienaar))
    graph.add((subject, RDF.type, ORG.Post))
    graph.add((subject, MU.uuid, Literal(str(position.uuid))))
    graph.add((subject, ERE.functie, URIRef(MinisterFunction(position.function).uri)))
    graph.add((URIRef(position.unit.uri), ERE.wordtBediendDoor, subject))
    if position.unit.representative_body_id:
        graph.add((subject, ERE.behoort, URIRef(position.unit.representative_body.uri)))  # type: ignore[union-attr]
    return graph
