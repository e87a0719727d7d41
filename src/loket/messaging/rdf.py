"""How conversations and messages map to linked data (schema.org, as the real Loket). Not public: the linked-data
views of this module answer only the body's members with role Berichtencentrum and agency staff."""

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from loket.core.linkeddata import MU, new_graph, rdf_mapping
from loket.messaging.models import Conversation, Message

SCHEMA = Namespace("http://schema.org/")
NIE = Namespace("http://www.semanticdesktop.org/ontologies/2007/01/19/nie#")
NFO = Namespace("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#")


def _bind(graph):  # type: ignore[no-untyped-def]
    graph.bind("schema", SCHEMA, replace=True)
    graph.bind("nie", NIE)
    graph.bind("nfo", NFO)
    return graph


@rdf_mapping(Conversation)
def conversation_graph(conversation: Conversation):  # type: ignore[no-untyped-def]
    graph = _bind(new_graph())
    subject = URIRef(conversation.uri)
    graph.add((subject, RDF.type, SCHEMA.Conversation))
    graph.add((subject, MU.uuid, Literal(str(conversation.uuid))))
    graph.add((subject, SCHEMA.identifier, Literal(conversation.dossier_number)))
    graph.add((subject, SCHEMA.about, Literal(conversation.subject)))
    graph.add((subject, SCHEMA.processingTime, Literal(conversation.reaction_term)))
    for message in conversation.messages.select_related("sender", "recipient").prefetch_related("attachments"):
        graph.add((subject, SCHEMA.hasPart, URIRef(message.uri)))
        graph += message_graph(message)
    return graph


@rdf_mapping(Message)
def message_graph(message: Message):  # type: ignore[no-untyped-def]
    graph = _bind(new_graph())
    subject = URIRef(message.uri)
    graph.add((subject, RDF.type, SCHEMA.Message))
    graph.add((subject, MU.uuid, Literal(str(message.uuid))))
    graph.add((subject, SCHEMA.dateSent, Literal(message.sent_at.isoformat(), datatype=XSD.dateTime)))
    if message.received_at:
        graph.add((subject, SCHEMA.dateReceived, Literal(message.received_at.isoformat(), datatype=XSD.dateTime)))
    graph.add((subject, SCHEMA.sender, URIRef(message.sender.uri)))
    graph.add((subject, SCHEMA.recipient, URIRef(message.recipient.uri)))
    graph.add((subject, DCTERMS.type, Literal(message.kind)))
    if message.text:
        graph.add((subject, SCHEMA.text, Literal(message.text)))
    for attachment in message.attachments.all():
        graph.add((subject, NIE.hasPart, URIRef(attachment.uri)))
        graph.add((URIRef(attachment.uri), RDF.type, NFO.FileDataObject))
        graph.add((URIRef(attachment.uri), NFO.fileName, Literal(attachment.file_name)))
    return graph
