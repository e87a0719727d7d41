"""How leading functions and their holders are published (lblodlg vocabulary, the real URI bases): the function with
its role and contact point (public, as the real open stream), holders with start, end, status and the person (whose
mapping publishes only the used first name and family name)."""

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from loket.core.linkeddata import MANDAAT, MU, ORG, new_graph, rdf_mapping, register_dataset
from loket.officials.models import Official, OfficialFunction
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


@rdf_mapping(OfficialFunction, dataset="leidinggevenden")
def function_graph(function: OfficialFunction):  # type: ignore[no-untyped-def]
    graph = new_graph()
    graph.bind("lblodlg", LBLODLG)
    graph.bind("schema", SCHEMA, replace=True)
    subject = URIRef(function.uri)
    graph.add((subject, RDF.type, LBLODLG.Bestuursfunctie))
    graph.add((subject, MU.uuid, Literal(str(function.uuid))))
    graph.add((subject, ORG.role, URIRef(function.role_code)))
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
    return graph
