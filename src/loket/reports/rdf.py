"""How a BBC-DR report maps to linked data, as the real Loket's `bbcdr:Report`. Not public: the linked-data view
answers only the body's members with role BBC-DR and the agency's supervisors."""

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from loket.core.linkeddata import ADMS, EXT, MU, new_graph, rdf_mapping
from loket.reports.models import Report

BBCDR = Namespace("http://mu.semte.ch/vocabularies/ext/bbcdr/")
NIE = Namespace("http://www.semanticdesktop.org/ontologies/2007/01/19/nie#")
NFO = Namespace("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#")


@rdf_mapping(Report)
def report_graph(report: Report):  # type: ignore[no-untyped-def]
    graph = new_graph()
    graph.bind("bbcdr", BBCDR)
    graph.bind("nie", NIE)
    graph.bind("nfo", NFO)
    subject = URIRef(report.uri)
    graph.add((subject, RDF.type, BBCDR.Report))
    graph.add((subject, MU.uuid, Literal(str(report.uuid))))
    graph.add((subject, DCTERMS.subject, URIRef(report.organisation.uri)))
    graph.add((subject, ADMS.status, URIRef(report.status_uri)))
    graph.add((subject, DCTERMS.created, Literal(report.created_at.isoformat(), datatype=XSD.dateTime)))
    graph.add((subject, DCTERMS.modified, Literal(report.modified_at.isoformat(), datatype=XSD.dateTime)))
    if report.modified_by_name:
        graph.add((subject, EXT.lastModifiedByName, Literal(report.modified_by_name)))
    for correction in Report.objects.filter(replaces=report, status=Report.Status.SENT).order_by("sent_at", "pk"):
        graph.add((subject, DCTERMS.isReplacedBy, URIRef(correction.uri)))
    if report.replaces is not None:
        graph.add((subject, DCTERMS.replaces, URIRef(report.replaces.uri)))
    for report_file in report.files.all():
        node = URIRef(report_file.uri)
        graph.add((subject, NIE.hasPart, node))
        graph.add((node, RDF.type, NFO.FileDataObject))
        graph.add((node, MU.uuid, Literal(str(report_file.uuid))))
        graph.add((node, NFO.fileName, Literal(report_file.file_name)))
        graph.add((node, NFO.fileSize, Literal(report_file.size, datatype=XSD.integer)))
        graph.add((node, DCTERMS.format, Literal("application/xml")))
    return graph
