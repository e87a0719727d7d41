"""Replies through the vendor API (`POST /vendor/berichtencentrum/melding`, as the real berichten-melding-service):
a vendor publishes an RDFa page with a new `schema:Message` in an existing `schema:Conversation` of the body and
reports it; the worker downloads the page (same guarded downloader and credentials as `/melding`), reads the
message, downloads its attachments (`nie:hasPart` → `nie:url`), and sends it as the body's reply through the
Berichtencentrum's service (ledger entry, receipt). The real checks: exactly one dateSent, text, conversation,
sender and recipient; the sender is the reporting body, the recipient the agency, the conversation the body's;
message URI new. Differs on purpose: at least one attachment (a reply consists of attachments here)."""

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from loket.core.errors import ConflictError, DomainError
from loket.core.fetch import FetchError
from loket.organisations.models import Organisation
from loket.vendors import conf
from loket.vendors.credentials import Credentials, credentials_decrypt, credentials_encrypt
from loket.vendors.downloads import HTML_ACCEPT, download
from loket.vendors.models import MessageJob, Vendor

SCHEMA = Namespace("http://schema.org/")
NIE = Namespace("http://www.semanticdesktop.org/ontologies/2007/01/19/nie#")
NFO = Namespace("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#")


class ImportRefused(Exception):
    """The page cannot become a reply; the message says why, for the vendor."""


@transaction.atomic
def message_job_register(
    *, vendor: Vendor, organisation: Organisation, href: str, resource: str, credentials: Credentials | None
) -> MessageJob:
    from loket.messaging.selectors import message_uri_known
    from loket.vendors.tasks import process_message_job

    if (
        message_uri_known(resource)
        or MessageJob.objects.filter(
            resource=resource,
            status__in=[MessageJob.Status.SCHEDULED, MessageJob.Status.BUSY, MessageJob.Status.SUCCESS],
        ).exists()
    ):
        raise ConflictError(f"The resource {resource} has already been submitted.")
    MessageJob.objects.filter(resource=resource, status=MessageJob.Status.FAILED).delete()  # a failed one may be resent
    job = MessageJob.objects.create(
        vendor=vendor,
        organisation=organisation,
        href=href,
        resource=resource,
        secret=credentials_encrypt(credentials) if credentials else None,
    )
    process_message_job.enqueue(job_id=job.pk)
    return job


def message_job_run(*, job_id: int) -> str:
    claimed = MessageJob.objects.filter(pk=job_id, status=MessageJob.Status.SCHEDULED).update(
        status=MessageJob.Status.BUSY
    )
    if not claimed:
        return "not scheduled"
    job = MessageJob.objects.select_related("vendor", "organisation").get(pk=job_id)
    try:
        _import(job)
    except (FetchError, ImportRefused, DomainError) as error:
        message = getattr(error, "message", None) or str(error)
        # the credentials go with the end of the job, as a Toezicht job's (a failed melding is sent anew, with its own)
        MessageJob.objects.filter(pk=job.pk).update(
            status=MessageJob.Status.FAILED, error=str(message)[:2000], secret=None
        )
        return "failed"
    MessageJob.objects.filter(pk=job.pk).update(status=MessageJob.Status.SUCCESS, error="", secret=None)
    return "success"


def _import(job: MessageJob) -> None:
    from loket.core.quota import Uploader
    from loket.messaging.services import attachments_store, message_reply
    from loket.vendors.rdfa import rdfa_graph

    credentials = credentials_decrypt(bytes(job.secret)) if job.secret else None
    page = download(
        job.href,
        credentials=credentials,
        credentials_origin=job.href,
        max_bytes=conf.max_page_bytes(),
        accept=HTML_ACCEPT,
        total_timeout=conf.attempt_seconds(),
    )
    graph = rdfa_graph(page.body.decode("utf-8", errors="replace"), base=job.href)
    facts = _message_facts(graph, job)
    files = []
    for name, url in facts["files"]:
        result = download(
            url,
            credentials=credentials,
            credentials_origin=job.href,
            max_bytes=_max_attachment_bytes(),
            total_timeout=conf.attempt_seconds(),
        )
        files.append(ContentFile(result.body, name=name))
    message_reply(
        actor=None,
        actor_label=job.vendor.name,
        conversation=facts["conversation"],
        text=facts["text"],
        blobs=attachments_store(files, uploader=Uploader(job.organisation)),
        external_uri=job.resource,
    )


def _max_attachment_bytes() -> int:
    from django.conf import settings

    return settings.LOKET_MESSAGE_ATTACHMENT_MAX_BYTES


def _one(graph: Graph, subject: URIRef, predicate: URIRef, label: str) -> Any:
    values = list(graph.objects(subject, predicate))
    if len(values) != 1:
        raise ImportRefused(f"Het bericht moet precies één {label} hebben (gevonden: {len(values)}).")
    return values[0]


def _same(a: str, b: str) -> bool:
    """Organisation URIs compared leniently on the scheme (pages write https for our http URIs)."""
    return a.split("://", 1)[-1] == b.split("://", 1)[-1]


def _message_facts(graph: Graph, job: MessageJob) -> dict[str, Any]:
    from loket.messaging.selectors import conversation_by_uri
    from loket.messaging.services import agency_organisation

    message = URIRef(job.resource)
    if (message, RDF.type, SCHEMA.Message) not in graph:
        raise ImportRefused(f"De pagina {job.href} beschrijft geen schema:Message {job.resource}.")
    _one(graph, message, SCHEMA.dateSent, "schema:dateSent")
    text = str(_one(graph, message, SCHEMA.text, "schema:text")).strip()
    sender = str(_one(graph, message, SCHEMA.sender, "schema:sender"))
    recipient = str(_one(graph, message, SCHEMA.recipient, "schema:recipient"))
    conversations = list(graph.subjects(SCHEMA.hasPart, message))
    if len(conversations) != 1:
        raise ImportRefused("Het bericht moet deel uitmaken van precies één schema:Conversation.")
    if not _same(sender, job.organisation.uri):
        raise ImportRefused(f"De afzender {sender} is niet het bestuur van de melding ({job.organisation.uri}).")
    if not _same(recipient, agency_organisation().uri):
        raise ImportRefused(
            "Een bestuur kan in het Berichtencentrum alleen het agentschap antwoorden (schema:recipient)."
        )
    conversation = conversation_by_uri(job.organisation, str(conversations[0]))
    if conversation is None:
        raise ImportRefused(f"De conversatie {conversations[0]} bestaat niet voor dit bestuur.")
    files = []
    for part in graph.objects(message, NIE.hasPart):
        url = graph.value(part, NIE.url)
        if url is None:
            raise ImportRefused(f"De bijlage {part} heeft geen nie:url.")
        name = str(graph.value(part, NFO.fileName) or str(url).rsplit("/", 1)[-1] or "bijlage")
        files.append((name, str(url)))
    if not files:
        raise ImportRefused(
            "Het bericht heeft geen bijlage (nie:hasPart met nie:url); een reactie bestaat uit bijlagen."
        )
    return {"conversation": conversation, "text": text, "files": files}
