"""How an organisation is published: OSLO / lblod vocabulary, the real Loket's URIs."""

import uuid

from django.conf import settings
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from loket.core.linkeddata import ADMS, BESLUIT, EXT, GENERIEK, MU, PROV, new_graph, rdf_mapping, register_dataset
from loket.organisations.models import Organisation, OrganisationKind

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
    area = werkingsgebied(organisation)
    if area is not None:
        uri, level = area
        graph.add((subject, BESLUIT.werkingsgebied, uri))
        graph.add((uri, RDF.type, PROV.Location))
        graph.add((uri, RDFS.label, Literal(organisation.name)))
        graph.add((uri, EXT.werkingsgebiedNiveau, Literal(level)))
    return graph


# The area a body governs (besluit:werkingsgebied), by level: a municipality and its OCMW share one (LMB pairs their
# mandates only within the same werkingsgebied); a district and a province have their own. The real Loket's area URIs
# are not in our reference data, so ours are minted from level and name (uuid5, stable) — see docs/open-data.md.
WERKINGSGEBIED_LEVELS: dict[str, str] = {
    OrganisationKind.Category.MUNICIPALITY: "Gemeente",
    OrganisationKind.Category.OCMW: "Gemeente",
    OrganisationKind.Category.DISTRICT: "District",
    OrganisationKind.Category.PROVINCE: "Provincie",
}


def werkingsgebied(organisation: Organisation) -> tuple[URIRef, str] | None:
    category = organisation.kind.category if organisation.kind_id else ""  # type: ignore[union-attr]
    level = WERKINGSGEBIED_LEVELS.get(category)
    if level is None or not organisation.name:
        return None
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"werkingsgebied:{level}:{organisation.name.strip().lower()}")
    return URIRef(f"{settings.LOKET_URI_BASE}/id/werkingsgebieden/{key}"), level
