"""How a person is published: only the used first name and the family name (persoon:gebruikteVoornaam,
foaf:familyName), as the real Loket's open mandate stream does. The national register number, birth date, sex and
nationality never leave the Loket."""

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF, Namespace

from loket.core.linkeddata import MU, new_graph, rdf_mapping
from loket.persons.models import Person

PERSOON = Namespace("http://data.vlaanderen.be/ns/persoon#")
PERSON = Namespace("http://www.w3.org/ns/person#")


@rdf_mapping(Person)
def person_graph(person: Person):  # type: ignore[no-untyped-def]
    graph = new_graph()
    graph.bind("persoon", PERSOON)
    graph.bind("person", PERSON)
    graph.bind("foaf", FOAF)
    subject = URIRef(person.uri)
    graph.add((subject, RDF.type, PERSON.Person))
    graph.add((subject, MU.uuid, Literal(str(person.uuid))))
    graph.add((subject, PERSOON.gebruikteVoornaam, Literal(person.used_given_name)))
    graph.add((subject, FOAF.familyName, Literal(person.family_name)))
    return graph
