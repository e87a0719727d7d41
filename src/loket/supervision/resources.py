"""Open data: every URI under our own base that a published submission graph points to dereferences here — the
form data, the submission document, the uploaded files (metadata; the bytes too, since only public submissions are
published), the links' remote data objects, the governing bodies and the form definition a submission was checked
with. Anything not public answers 404 (never a hint that it exists); a form version whose file has changed since
answers 410 Gone. The organisations' own URIs dereference in `organisations.views`."""

from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS, XSD

from loket.core.access import public
from loket.core.linkeddata import (
    BESLUIT,
    MANDAAT,
    MU,
    describe,
    described_elsewhere,
    graph_for,
    graph_response,
    new_graph,
    published_file,
)
from loket.core.security import file_download as stored_file_download
from loket.forms.vocabulary import REMOTE_URL_BASE
from loket.supervision import form as toezicht_form
from loket.supervision.integrity import FileTampered, submission_file_check
from loket.supervision.models import GoverningBody, Submission, SubmissionFile
from loket.supervision.rdf import document_uri

NFO_FILE_NAME = URIRef("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#fileName")
NFO_FILE_SIZE = URIRef("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#fileSize")
TEMPLATE = "core/resource.html"


def _public_submission(**lookup: object) -> Submission:
    found = (
        Submission.objects.select_related("organisation__kind", "document_type", "governing_body")
        .filter(status=Submission.Status.SENT, is_public=True, **lookup)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _part_of(submission: Submission) -> dict[str, str]:
    return {
        "url": reverse("supervision:resource", args=[submission.uuid]),
        "label": f"{submission.document_type.label} — {submission.organisation.display_name}",
    }


def _respond(
    request: HttpRequest, *, uri: str, title: str, graph: Callable[[], Graph], **context: object
) -> HttpResponse:
    return graph_response(request, graph=graph, template=TEMPLATE, context={"uri": uri, "title": title, **context})


def _described(submission: Submission, node: URIRef) -> Callable[[], Graph]:
    def build() -> Graph:
        graph = describe(graph_for(submission), node)
        if not len(graph):
            raise Http404  # not part of what is published (e.g. a field that is never public)
        return graph

    return build


@public
def form_data_resource(request: HttpRequest, key: UUID) -> HttpResponse:
    submission = _public_submission(uuid=key)
    node = toezicht_form.form_node_for(submission.uuid)
    return _respond(
        request,
        uri=str(node),
        title=_("Formuliergegevens"),
        graph=_described(submission, node),
        part_of=_part_of(submission),
    )


@public
def document_resource(request: HttpRequest, key: UUID) -> HttpResponse:
    submission = _public_submission(uuid=key, submitted_resource="")
    node = document_uri(submission)
    return _respond(
        request,
        uri=str(node),
        title=_("Ingezonden document"),
        graph=_described(submission, node),
        part_of=_part_of(submission),
    )


@public
def remote_url_resource(request: HttpRequest, key: UUID) -> HttpResponse:
    node = URIRef(f"{REMOTE_URL_BASE}{key}")
    # Links live only in the form data; a scan over the public sent submissions (rarely asked, never hot).
    submission = _public_submission(form_data_nt__contains=f"<{node}>")
    return _respond(
        request,
        uri=str(node),
        title=_("Link naar het besluit"),
        graph=_described(submission, node),
        part_of=_part_of(submission),
    )


@public
def form_data_node_resource(request: HttpRequest, key: UUID) -> HttpResponse:
    """A node the form made inside the form data (v2: the session, a decision's article …)."""
    node = URIRef(f"{settings.LOKET_URI_BASE}/form-data/nodes/{key}")
    submission = _public_submission(form_data_nt__contains=f"<{node}>")  # a scan, as for links
    return _respond(
        request,
        uri=str(node),
        title=_("Formuliergegevens"),
        graph=_described(submission, node),
        part_of=_part_of(submission),
    )


def _public_file(key: UUID) -> SubmissionFile:
    record = (
        SubmissionFile.objects.select_related("submission__organisation__kind", "submission__document_type")
        .filter(
            uuid=key,
            kind=SubmissionFile.Kind.UPLOAD,
            submission__status=Submission.Status.SENT,
            submission__is_public=True,
        )
        .exclude(storage_name="")
        .first()
    )
    if record is None:
        raise Http404
    return record


@public
def file_resource(request: HttpRequest, key: UUID) -> HttpResponse:
    """The file's metadata (name, size, format, where to download it)."""
    record = _public_file(key)
    node = URIRef(record.uri)
    download = request.build_absolute_uri(reverse("supervision:file-download", args=[record.uuid]))

    def build() -> Graph:
        graph = _described(record.submission, node)()
        graph.add((node, MU.uuid, Literal(str(record.uuid))))
        graph.add((node, NFO_FILE_NAME, Literal(record.original_name)))
        graph.add((node, NFO_FILE_SIZE, Literal(record.size, datatype=XSD.long)))
        graph.add((node, DCTERMS.format, Literal(record.content_type)))
        graph.add((node, DCAT.downloadURL, URIRef(download)))
        return graph

    return _respond(
        request,
        uri=str(node),
        title=record.original_name or _("Bestand"),
        graph=build,
        part_of=_part_of(record.submission),
        download={"url": download, "label": record.original_name},
    )


@public
def file_download(request: HttpRequest, key: UUID) -> HttpResponse | FileResponse:
    """The bytes of a public submission's file, checked against their SHA-256 first (or a file another app
    publishes here: the open data's delta files)."""
    provided = published_file(request, key)
    if provided is not None:
        return provided
    record = _public_file(key)
    try:
        submission_file_check(record=record, actor=None)
    except FileTampered as error:
        raise Http404 from error
    return stored_file_download(
        default_storage.open(record.storage_name, "rb"),
        filename=record.original_name or record.storage_name.rsplit("/", 1)[-1],
        content_type=record.content_type or "application/octet-stream",
    )


def governing_body_graph(body: GoverningBody) -> Graph:
    graph = new_graph()
    subject = URIRef(body.uri)
    graph.add((subject, RDF.type, BESLUIT.Bestuursorgaan))
    graph.add((subject, MU.uuid, Literal(body.uri.rsplit("/", 1)[-1])))
    graph.add((subject, SKOS.prefLabel, Literal(body.label)))
    graph.add((subject, BESLUIT.bestuurt, URIRef(body.organisation.uri)))
    graph.add((subject, BESLUIT.classificatie, URIRef(body.classification_uri)))
    graph += described_elsewhere(body.uri)  # e.g. Mandatenbeheer's organ: the same URI
    return graph


@public
def governing_body_resource(request: HttpRequest, key: str) -> HttpResponse:
    uri = f"{settings.LOKET_URI_BASE}/id/bestuursorganen/{key}"
    body = GoverningBody.objects.select_related("organisation__kind").filter(uri=uri).first()
    if body is None:  # an organ another module publishes (Leidinggevendenbeheer: one per leading function)
        described = described_elsewhere(uri)
        if not len(described):
            raise Http404
        label = described.value(URIRef(uri), SKOS.prefLabel)
        return _respond(request, uri=uri, title=str(label or uri), graph=lambda: described)
    return _respond(
        request,
        uri=body.uri,
        title=f"{body.label} — {body.organisation.display_name}",
        graph=lambda: governing_body_graph(body),
        part_of={
            "url": reverse(
                f"organisations:resource-{body.organisation.uri.split('/')[-2]}", args=[body.organisation.key]
            ),
            "label": body.organisation.display_name,
        },
    )


def organ_in_time_graph(body: GoverningBody, in_time: URIRef, period_label: str) -> Graph:
    graph = new_graph()
    graph.add((in_time, RDF.type, BESLUIT.Bestuursorgaan))
    graph.add((in_time, SKOS.prefLabel, Literal(f"{body.label} ({period_label})")))
    graph.add((in_time, MANDAAT.isTijdspecialisatieVan, URIRef(body.uri)))
    graph += described_elsewhere(str(in_time))  # Mandatenbeheer: binding dates, period, mandates
    return graph


@public
def organ_in_time_resource(request: HttpRequest, key: str, period: str) -> HttpResponse:
    """A governing body in one legislature (the v2 form's answer to "which organ took the decision")."""
    body = (
        GoverningBody.objects.select_related("organisation__kind")
        .filter(uri=f"{settings.LOKET_URI_BASE}/id/bestuursorganen/{key}")
        .first()
    )
    if body is None:
        raise Http404
    in_time = URIRef(f"{body.uri}/periode/{period}")
    labels = {
        toezicht_form.organ_in_time(body.uri, uri): label for uri, label, _year in toezicht_form.legislature_periods()
    }
    if in_time not in labels:
        raise Http404
    return _respond(
        request,
        uri=str(in_time),
        title=f"{body.label} ({labels[in_time]}) — {body.organisation.display_name}",
        graph=lambda: organ_in_time_graph(body, in_time, labels[in_time]),
        part_of={"url": reverse("supervision:governing-body-resource", args=[key]), "label": body.label},
    )


@public
def form_resource(request: HttpRequest, version: str) -> HttpResponse:
    """The form definition (Turtle) a submission was checked with; 410 when that exact content is gone."""
    name = version.split("@", 1)[0]
    path = toezicht_form.form_path(name)
    if "/" in name or not name.endswith(".ttl") or not path.is_file():
        raise Http404
    if toezicht_form.form_version(name) != version:
        return HttpResponse(
            _("Deze versie van het formulier bestaat niet meer; de huidige is %(version)s.")
            % {"version": toezicht_form.form_version(name)},
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(path.read_bytes(), content_type="text/turtle; charset=utf-8")
