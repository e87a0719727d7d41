"""How leading functions and their holders are published (lblodlg vocabulary, the real URI bases): the function with
its role and contact point (public, as the real open stream), holders with start, end, status and the person (whose
mapping publishes only the used first name and family name)."""

import uuid

from django.conf import settings
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from loket.core.linkeddata import BESLUIT, MANDAAT, MU, ORG, graph_for, new_graph, rdf_mapping, register_dataset
from loket.officials.functions import FUNCTION_KINDS
from loket.officials.models import Official, OfficialFunction
from loket.organisations.models import Organisation
from loket.persons.models import Person

LBLODLG = Namespace("http://data.lblod.info/vocabularies/leidinggevenden/")
SCHEMA = Namespace("http://schema.org/")


register_dataset(
    "leidinggevenden",
    title="Leidinggevenden",
    description="Leidinggevende functies per bestuur met hun contactpunt, en wie ze bekleedt (enkel gebruikte "
    "voornaam en familienaam).",
    subjects=["http://data.lblod.info/id/concept/dataset-subject/leidinggevenden"],
)


def function_organs(function: OfficialFunction) -> tuple[URIRef, URIRef]:
    """The one-person governing body a function is modelled as (as the real Loket: a timeless besluit:Bestuursorgaan
    that `besluit:bestuurt` the unit, and an organ-in-time from 2019 that `lblodlg:heeftBestuursfunctie` the function),
    under the real base; keyed by the function's uuid so that the organ page finds the function again."""
    base = f"{settings.LOKET_URI_BASE}/id/bestuursorganen/{function.uuid}"
    return URIRef(base), URIRef(f"{base}-2019")


@rdf_mapping(
    OfficialFunction,
    dataset="leidinggevenden",
    follows={Organisation: "organisation"},  # the labels name the unit
    prefetch=lambda functions: functions.select_related("organisation"),
)
def function_graph(function: OfficialFunction):  # type: ignore[no-untyped-def]
    graph = new_graph()
    graph.bind("lblodlg", LBLODLG)
    graph.bind("schema", SCHEMA, replace=True)
    subject = URIRef(function.uri)
    graph.add((subject, RDF.type, LBLODLG.Bestuursfunctie))
    graph.add((subject, MU.uuid, Literal(str(function.uuid))))
    graph.add((subject, ORG.role, URIRef(function.role_code)))
    kind = FUNCTION_KINDS.get(function.role_code)
    label = f"{function.organisation.name} {kind.label if kind else ''}".strip()
    graph.add((subject, SKOS.prefLabel, Literal(label)))
    organ, in_time = function_organs(function)
    graph.add((organ, RDF.type, BESLUIT.Bestuursorgaan))
    graph.add((organ, SKOS.prefLabel, Literal(label)))
    graph.add((organ, BESLUIT.bestuurt, URIRef(function.organisation.uri)))
    if kind is not None:
        graph.add((organ, BESLUIT.classificatie, URIRef(kind.organ_code)))
    graph.add((in_time, RDF.type, BESLUIT.Bestuursorgaan))
    graph.add((in_time, MANDAAT.isTijdspecialisatieVan, organ))
    graph.add((in_time, MANDAAT.bindingStart, Literal("2019-01-01", datatype=XSD.date)))
    graph.add((in_time, LBLODLG.heeftBestuursfunctie, subject))
    if function.email or function.phone:
        contact = URIRef(f"{function.uri}/contactpunt")
        graph.add((subject, SCHEMA.contactPoint, contact))
        graph.add((contact, RDF.type, SCHEMA.ContactPoint))
        if function.email:
            graph.add((contact, SCHEMA.email, Literal(function.email)))
        if function.phone:
            graph.add((contact, SCHEMA.telephone, Literal(function.phone)))
    return graph


@rdf_mapping(
    Official,
    dataset="leidinggevenden",
    follows={Person: "person"},
    prefetch=lambda officials: officials.select_related("function", "person"),
)
def official_graph(official: Official):  # type: ignore[no-untyped-def]
    graph = new_graph()
    graph.bind("lblodlg", LBLODLG)
    subject = URIRef(official.uri)
    graph.add((subject, RDF.type, LBLODLG.Functionaris))
    graph.add((subject, MU.uuid, Literal(str(official.uuid))))
    graph.add((subject, ORG.holds, URIRef(official.function.uri)))
    graph.add((subject, MANDAAT.isBestuurlijkeAliasVan, URIRef(official.person.uri)))
    graph.add((subject, MANDAAT.start, Literal(official.start.isoformat(), datatype=XSD.date)))
    if official.end:
        graph.add((subject, MANDAAT.einde, Literal(official.end.isoformat(), datatype=XSD.date)))
    graph.add((subject, MANDAAT.status, URIRef(Official.STATUS_URIS[official.status])))
    graph += graph_for(official.person)  # only the used first name and family name (persons/rdf.py), as for holders
    return graph


def describe_function_organ(uri: str) -> Graph:
    """For the organ page (`/id/bestuursorganen/<key>`, served by Toezicht): a function's organ or organ-in-time."""
    graph = new_graph()
    prefix = f"{settings.LOKET_URI_BASE}/id/bestuursorganen/"
    if not uri.startswith(prefix):
        return graph
    try:
        key = uuid.UUID(uri[len(prefix) :].removesuffix("-2019"))
    except ValueError:  # not a uuid: a governing body of Toezicht's, not ours
        return graph
    function = OfficialFunction.objects.select_related("organisation").filter(uuid=key).first()
    if function is None:
        return graph
    published = function_graph(function)
    for triple in published.triples((URIRef(uri), None, None)):
        graph.add(triple)
    return graph
