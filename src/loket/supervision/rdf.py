"""How a sent, public submission is published: the real Loket's vocabulary and URIs (meb:Submission at
`{base}/submissions/<uuid>`, no /id/ segment). Only submissions marked public are ever mapped by the views."""

from django.conf import settings
from django.db.models import Prefetch
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, XSD

from loket.core.linkeddata import ADMS, MEB, MU, NMO, PAV, PROV, new_graph, rdf_mapping, register_dataset
from loket.forms.rdfio import turtle_triples
from loket.supervision.form import form_node_for
from loket.supervision.models import Submission
from loket.supervision.publication import public_form_data

SENT_STATUS = URIRef("http://lblod.data.gift/concepts/9bd8d86d-bb10-4456-a84e-91e9507c374c")
SUBMISSION_DOCUMENT = URIRef("http://mu.semte.ch/vocabularies/ext/SubmissionDocument")
# The terms the mapping writes, made once: reading a namespace's attribute makes a new URIRef each time (about a
# sixth of a record's projection when a dump maps every public submission).
A, SUBMISSION, FOAF_DOCUMENT = RDF.type, MEB.Submission, FOAF.Document
UUID, STATUS, SUBJECT, GENERATED, CREATED_BY = MU.uuid, ADMS.status, DCTERMS.subject, PROV.generated, PAV.createdBy
USED, SENT_DATE, DATE_TIME, PROVIDED_BY, AT_LOCATION = (
    PROV.used,
    NMO.sentDate,
    XSD.dateTime,
    PAV.providedBy,
    PROV.atLocation,
)
REPLACED_BY, REPLACES = DCTERMS.isReplacedBy, DCTERMS.replaces


def document_uri(submission: Submission) -> URIRef:
    if submission.submitted_resource:
        return URIRef(submission.submitted_resource)
    return URIRef(f"{settings.LOKET_URI_BASE}/submission-documents/{submission.uuid}")


register_dataset(
    "inzendingen",
    title="Inzendingen voor toezicht",
    description="Verstuurde besluiten, notulen en andere documenten die het echte Loket publiek maakt (nooit van "
    "besturen van de eredienst, nooit concepten; nooit de opmerking voor de toezichthouder), met formuliergegevens.",
    subjects=["http://data.lblod.info/id/concept/dataset-subject/submissions"],
)


# What submission_graph reads, loaded for many submissions at once (a dump of all of them): the other columns are
# not (a field read but not listed costs a query per submission; tests/opendata/test_batch_reading.py counts them).
GRAPH_FIELDS = (
    "uuid",
    "submitted_resource",
    "organisation__uri",
    "form_version",
    "sent_at",
    "provided_by",
    "href",
    "replaces__uuid",
    "replaces__is_public",
    "form_data_nt",
)


def _public_corrections():  # type: ignore[no-untyped-def]
    return Submission.objects.filter(status=Submission.Status.SENT, is_public=True).order_by("sent_at", "pk")


@rdf_mapping(
    Submission,
    dataset="inzendingen",
    public=lambda submissions: submissions.filter(status=Submission.Status.SENT, is_public=True),
    modified=lambda submission: submission.sent_at,
    # A sent correction changes the record of the submission it replaces (dct:isReplacedBy).
    follows={Submission: "replaced_by"},
    # The supervisor's handling is the agency's own bookkeeping: marking handled (and undoing it) publishes nothing.
    unpublished=("handled_at", "handled_by", "handled_note"),
    # A concept is never public, nor is a concept correction shown on the submission it replaces, and nothing sent
    # becomes a concept again (submission_transition): a concept's saves and its deletion publish nothing.
    draft=lambda submission: submission.status == Submission.Status.CONCEPT,
    prefetch=lambda submissions: (
        submissions.select_related("organisation", "replaces")
        .only(*GRAPH_FIELDS)
        .prefetch_related(
            Prefetch(
                "replaced_by", queryset=_public_corrections().only("uuid", "replaces"), to_attr="public_corrections"
            )
        )
    ),
)
def submission_graph(submission: Submission):  # type: ignore[no-untyped-def]
    graph = new_graph()
    subject = URIRef(submission.uri)
    document = document_uri(submission)
    form_data = form_node_for(submission.uuid)
    graph.add((subject, A, SUBMISSION))
    graph.add((subject, UUID, Literal(str(submission.uuid))))
    graph.add((subject, STATUS, SENT_STATUS))
    graph.add((subject, SUBJECT, document))
    graph.add((subject, GENERATED, form_data))
    graph.add((subject, CREATED_BY, URIRef(submission.organisation.uri)))
    graph.add((subject, USED, URIRef(f"{settings.LOKET_URI_BASE}/loket/forms/{submission.form_version}")))
    if submission.sent_at:
        graph.add((subject, SENT_DATE, Literal(submission.sent_at.isoformat(), datatype=DATE_TIME)))
    if submission.provided_by:
        graph.add((subject, PROVIDED_BY, URIRef(submission.provided_by)))
    if submission.href:
        graph.add((subject, AT_LOCATION, URIRef(submission.href)))
    corrections = getattr(submission, "public_corrections", None)
    if corrections is None:
        corrections = list(_public_corrections().filter(replaces=submission))
    for correction in corrections:
        graph.add((subject, REPLACED_BY, URIRef(correction.uri)))
    if submission.replaces is not None and submission.replaces.is_public:
        graph.add((subject, REPLACES, URIRef(submission.replaces.uri)))
    graph.add((document, A, SUBMISSION_DOCUMENT))
    graph.add((document, A, FOAF_DOCUMENT))
    if submission.form_data_nt:
        sent = turtle_triples(submission.form_data_nt, source=submission.uri)
        for triple in public_form_data(sent, form_data):
            graph.add(triple)
    return graph
