"""How an organisation is published: OSLO / lblod vocabulary, the real Loket's URIs."""

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from loket.core.linkeddata import ADMS, BESLUIT, GENERIEK, MU, new_graph, rdf_mapping, register_dataset
from loket.organisations.models import Organisation

register_dataset(
    "organisaties",
    title="Besturen",
    description="De lokale besturen, besturen van de eredienst en representatieve organen met hun classificatie en "
    "identificatoren (KBO, OVO), met de URI's van het Loket.",
    subjects=["http://data.lblod.info/id/concept/dataset-subject/bestuurseenheden"],
)


@rdf_mapping(  # every organisation is public
    Organisation, dataset="organisaties", prefetch=lambda organisations: organisations.select_related("kind")
)
def organisation_graph(organisation: Organisation):  # type: ignore[no-untyped-def]
    graph = new_graph()
    subject = URIRef(organisation.uri)
    graph.add((subject, RDF.type, BESLUIT.Bestuurseenheid))
    if organisation.uuid:
        graph.add((subject, MU.uuid, Literal(organisation.uuid)))
    if organisation.name:
        graph.add((subject, SKOS.prefLabel, Literal(organisation.name)))
    if organisation.kind_id:
        graph.add((subject, BESLUIT.classificatie, URIRef(organisation.kind.uri)))  # type: ignore[union-attr]
    for notation, value in (("KBO nummer", organisation.kbo), ("OVO-nummer", organisation.ovo_code)):
        if value:
            identifier = BNode(f"{notation.split()[0].lower()}-{organisation.key}")
            graph.add((subject, ADMS.identifier, identifier))
            graph.add((identifier, RDF.type, ADMS.Identifier))
            graph.add((identifier, SKOS.notation, Literal(notation)))
            graph.add((identifier, GENERIEK.lokaleIdentificator, Literal(value)))
            graph.add((subject, DCTERMS.identifier, Literal(value)))
    return graph
