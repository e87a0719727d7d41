"""How Mandatenbeheer is published (mandaat/besluit vocabulary, the real URI bases of open-data.md §2).

Public: organs, organs-in-time, mandates, fracties, and holder versions whose role LMB marks public
(`codes.PUBLIC_ROLES`) and which are neither Draft nor deleted. A holder's person is published with the used first
name and family name only (the persons mapping): never the national register number, birth date, sex or nationality.
Dates: a version's start and end are published as the start of that day (a Wijziging at T ends one version and starts
the next at the same moment).
"""

from datetime import date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from loket.core.linkeddata import BESLUIT, EXT, MANDAAT, MU, ORG, graph_for, new_graph, rdf_mapping, register_dataset
from loket.mandates.codes import PERIODS, PUBLIC_ROLES, PUBLICATION_URIS, STATUS_URIS, OrganKind, Publication
from loket.mandates.models import Fractie, Holder, Mandate, Organ, OrganTerm
from loket.organisations.models import Organisation
from loket.persons.models import Person

LMB = Namespace("http://lblod.data.gift/vocabularies/lmb/")
REGORG = Namespace("https://www.w3.org/ns/regorg#")  # https, as LMB writes it
FRACTIE_TYPE = "http://data.vlaanderen.be/id/concept/Fractietype/"
PERIOD_URIS = {period.key: period.uri for period in PERIODS}


def holder_is_public(holder: Holder) -> bool:
    return holder.deleted_at is None and holder.publication != Publication.DRAFT and holder.mandate.role in PUBLIC_ROLES


def public_holders(holders):  # type: ignore[no-untyped-def]
    """The same rule as `holder_is_public`, as a query (dumps, SPARQL store, change feed)."""
    return holders.filter(deleted_at__isnull=True, mandate__role__in=list(PUBLIC_ROLES)).exclude(
        publication=Publication.DRAFT
    )


register_dataset(
    "mandatarissen",
    title="Mandatarissen",
    description="Bestuursorganen per legislatuur, hun mandaten, fracties en de mandatarissen (enkel gebruikte "
    "voornaam en familienaam; nooit een rijksregisternummer; geen Draft-rijen).",
    subjects=["http://data.lblod.info/id/concept/dataset-subject/mandatarissen"],
)


def _graph():  # type: ignore[no-untyped-def]
    graph = new_graph()
    graph.bind("lmb", LMB)
    return graph


def _day(value: date) -> Literal:
    return Literal(f"{value.isoformat()}T00:00:00Z", datatype=XSD.dateTime)


@rdf_mapping(
    Organ,
    dataset="mandatarissen",
    follows={Organisation: "organisation"},  # its label
    prefetch=lambda organs: organs.select_related("organisation"),
)
def organ_graph(organ: Organ):  # type: ignore[no-untyped-def]
    graph = _graph()
    subject = URIRef(organ.uri)
    graph.add((subject, RDF.type, BESLUIT.Bestuursorgaan))
    graph.add((subject, MU.uuid, Literal(organ.uri.rsplit("/", 1)[-1])))
    graph.add((subject, SKOS.prefLabel, Literal(str(OrganKind(organ.kind).label))))
    graph.add((subject, BESLUIT.bestuurt, URIRef(organ.organisation.uri)))
    graph.add((subject, BESLUIT.classificatie, URIRef(organ.classification_uri)))
    return graph


@rdf_mapping(
    OrganTerm,
    dataset="mandatarissen",
    prefetch=lambda terms: terms.select_related("organ").prefetch_related("mandates"),
)
def term_graph(term: OrganTerm):  # type: ignore[no-untyped-def]
    graph = _graph()
    subject = URIRef(term.uri)
    graph.add((subject, RDF.type, BESLUIT.Bestuursorgaan))
    graph.add((subject, MANDAAT.isTijdspecialisatieVan, URIRef(term.organ.uri)))
    graph.add((subject, MANDAAT.bindingStart, Literal(term.binding_start, datatype=XSD.date)))
    if term.binding_end:
        graph.add((subject, MANDAAT.bindingEinde, Literal(term.binding_end, datatype=XSD.date)))
    graph.add((subject, LMB.heeftBestuursperiode, URIRef(PERIOD_URIS[term.period])))
    for mandate in term.mandates.all():
        graph.add((subject, ORG.hasPost, URIRef(mandate.uri)))
    return graph


def organ_describe(uri: str) -> Graph:
    """Registered with `core.linkeddata.resource_describer_register`: what Mandatenbeheer adds to the page Toezicht
    serves for a bestuursorgaan in de tijd (binding dates, period, its mandates). The timeless organ's triples are
    Toezicht's own (the same URI, label and classification), so nothing is added for it."""
    organ_uri, separator, _period = uri.partition("/periode/")
    if not separator:
        return Graph()
    organ = Organ.objects.filter(uri=organ_uri).first()
    if organ is None:
        return Graph()
    for term in organ.terms.prefetch_related("mandates"):
        if term.uri == uri:
            return term_graph(term)
    return Graph()


@rdf_mapping(Mandate, dataset="mandatarissen", prefetch=lambda mandates: mandates.select_related("term"))
def mandate_graph(mandate: Mandate):  # type: ignore[no-untyped-def]
    graph = _graph()
    subject = URIRef(mandate.uri)
    graph.add((subject, RDF.type, MANDAAT.Mandaat))
    graph.add((subject, MU.uuid, Literal(str(mandate.uuid))))
    graph.add((subject, ORG.role, URIRef(mandate.role_uri)))
    if mandate.seats is not None:
        graph.add((subject, MANDAAT.aantalHouders, Literal(mandate.seats)))
    graph.add((URIRef(mandate.term.uri), ORG.hasPost, subject))
    return graph


@rdf_mapping(Fractie, dataset="mandatarissen", prefetch=lambda fracties: fracties.select_related("organisation"))
def fractie_graph(fractie: Fractie):  # type: ignore[no-untyped-def]
    graph = _graph()
    graph.bind("regorg", REGORG)
    subject = URIRef(fractie.uri)
    graph.add((subject, RDF.type, MANDAAT.Fractie))
    graph.add((subject, MU.uuid, Literal(str(fractie.uuid))))
    graph.add((subject, REGORG.legalName, Literal(fractie.name)))
    graph.add((subject, ORG.linkedTo, URIRef(fractie.organisation.uri)))
    kind = "Onafhankelijk" if fractie.kind == Fractie.Kind.INDEPENDENT else "Samenwerkingsverband"
    graph.add((subject, EXT.isFractietype, URIRef(FRACTIE_TYPE + kind)))
    return graph


@rdf_mapping(
    Holder,
    dataset="mandatarissen",
    public=public_holders,
    follows={Person: "person"},
    prefetch=lambda holders: holders.select_related("mandate", "person", "fractie", "replaced_by__mandate"),
)
def holder_graph(holder: Holder):  # type: ignore[no-untyped-def]
    """One version; nothing at all for a Draft, deleted or non-public one."""
    graph = _graph()
    if not holder_is_public(holder):
        return graph
    subject = URIRef(holder.uri)
    graph.add((subject, RDF.type, MANDAAT.Mandataris))
    graph.add((subject, MU.uuid, Literal(str(holder.uuid))))
    graph.add((subject, MANDAAT.isBestuurlijkeAliasVan, URIRef(holder.person.uri)))
    graph.add((subject, ORG.holds, URIRef(holder.mandate.uri)))
    graph.add((subject, MANDAAT.start, _day(holder.start)))
    if holder.end:
        graph.add((subject, MANDAAT.einde, _day(holder.end)))
    if holder.status:
        graph.add((subject, MANDAAT.status, URIRef(STATUS_URIS[holder.status])))  # type: ignore[index]
    if holder.rangorde:
        graph.add((subject, MANDAAT.rangorde, Literal(holder.rangorde)))
    for domain in holder.policy_domains:
        if domain.startswith("http"):
            graph.add((subject, MANDAAT.beleidsdomein, URIRef(domain)))
    if holder.fractie_id:
        membership = BNode(f"lidmaatschap-{holder.uuid}")
        graph.add((subject, ORG.hasMembership, membership))
        graph.add((membership, RDF.type, ORG.Membership))
        graph.add((membership, ORG.organisation, URIRef(holder.fractie.uri)))  # type: ignore[union-attr]
    graph.add((subject, LMB.hasPublicationStatus, URIRef(PUBLICATION_URIS[holder.publication])))  # type: ignore[index]
    if holder.decision_link:
        graph.add((subject, LMB.linkToBesluit, URIRef(holder.decision_link)))
    if holder.replaced_by_id and holder_is_public(holder.replaced_by):  # type: ignore[arg-type]
        graph.add((subject, MANDAAT.isTijdelijkVervangenDoor, URIRef(holder.replaced_by.uri)))  # type: ignore[union-attr]
    graph += graph_for(holder.person)
    return graph
