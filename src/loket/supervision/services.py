"""Writes for Toezicht: create, edit, delete a concept; send it (secure sending); deliver; mark handled.

Sending is one transaction: lock the submission, re-validate, freeze the form data (canonical N-Triples) and the
files' hashes into one content hash, stamp the server time, append a hash-chained, signed ledger entry, and
schedule delivery. Delivery into the supervisor's inbox is the second ledger entry (a background task).
"""

import hashlib
import logging
import uuid as uuid_module
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import prefetch_related_objects
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from loket.core import scanwait
from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError, NotFoundError, reason_required
from loket.core.files import ALLOWED_DECISION_TYPES, FileRejected, store_upload
from loket.core.ledger import KIND_REOPENED, SentFile, ledger_append
from loket.core.quota import Uploader
from loket.core.tasks import send_email
from loket.forms.collect import collect_post
from loket.forms.errors import FormLoadError
from loket.forms.paths import DataContext
from loket.forms.rdfio import plain_graph
from loket.organisations.models import Organisation
from loket.supervision import form as toezicht_form
from loket.supervision.models import DocumentType, GoverningBody, Submission, SubmissionFile
from loket.supervision.publication import is_public
from loket.supervision.selectors import submission_with_relations
from loket.supervision.stored_data import read_stored

ELI_PASSED_BY = URIRef("http://data.europa.eu/eli/ontology#passed_by")
SESSION = URIRef("http://mu.semte.ch/vocabularies/ext/sessionStartedAtTime")
HAS_PART = URIRef("http://purl.org/dc/terms/hasPart")
IS_TIME_SPECIALISATION_OF = URIRef("http://data.vlaanderen.be/ns/mandaat#isTijdspecialisatieVan")
PROV_GENERATED = URIRef("http://www.w3.org/ns/prov#generated")
PROV_STARTED = URIRef("http://www.w3.org/ns/prov#startedAtTime")
DCT_SUBJECT = URIRef("http://purl.org/dc/terms/subject")
BESLUIT_BEHANDELT = URIRef("http://data.vlaanderen.be/ns/besluit#behandelt")
SESSION_OF_DOCUMENT = tuple(
    URIRef(f"http://data.vlaanderen.be/ns/besluit#heeft{name}") for name in ("Besluitenlijst", "Notulen", "Agenda")
)
NIE_URL = URIRef("http://www.semanticdesktop.org/ontologies/2007/01/19/nie#url")
NFO_REMOTE = URIRef("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#RemoteDataObject")
NFO_FILE_NAME = URIRef("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#fileName")

logger = logging.getLogger(__name__)


class SubmissionInvalid(DomainError):
    code = "invalid"


class SubmissionNotSaved(DomainError):
    """Saving failed half-way: nothing of the post was kept (the view shows the typed values again)."""

    code = "not_saved"


def submission_form_node(submission: Submission) -> URIRef:
    return toezicht_form.form_node_for(submission.uuid)


def submission_context(submission: Submission, *, files: list[SubmissionFile] | None = None) -> DataContext:
    """The graphs the form engine works on: the editing graph, and the code lists plus this submission's file
    names (so the form shows "besluit.pdf", not a URI); `files`: the submission's files when the caller has them."""
    return DataContext(source=read_stored(submission.source_ttl).graph, meta=submission_meta(submission, files=files))


def submission_meta(submission: Submission, *, files: list[SubmissionFile] | None = None) -> Graph:
    """The meta graph of `submission_context` alone: what a sent submission's page needs (its data is the frozen
    form data, not the editing graph)."""
    try:
        offers = toezicht_form.offers_documents(toezicht_form.form_definition(submission.form_version))
    except (OSError, FormLoadError):  # that version's file is gone: offer what today's forms may ask for
        offers = True
    meta = toezicht_form.meta_graph(submission.organisation, with_documents=offers)
    for record in submission.files.all() if files is None else files:  # prefetched by the pages that need them
        if record.kind != SubmissionFile.Kind.UPLOAD:
            continue
        meta.add((URIRef(record.uri), NFO_FILE_NAME, Literal(record.original_name)))
    return meta


@transaction.atomic
def submission_create(
    *,
    organisation: Organisation,
    document_type: DocumentType,
    actor: Any,
    source_graph: Graph | None = None,
    submitted_resource: str = "",
    href: str = "",
    provided_by: str = "",
    replaces: Submission | None = None,
    uuid: Any = None,
    governing_body: GoverningBody | None = None,
) -> Submission:
    """A new concept. `uuid` lets the vendor API hand out the submission's URI before the submission exists;
    `governing_body`: the body the caller found `source_graph` to name, if any (then not looked up again)."""
    now = timezone.now()
    submission = Submission(
        organisation=organisation,
        document_type=document_type,
        form_version=toezicht_form.form_version(),
        created_at=now,
        modified_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        submitted_resource=submitted_resource,
        href=href,
        provided_by=provided_by,
        replaces=replaces,
        governing_body=governing_body,
    )
    if uuid is not None:
        submission.uuid = uuid
    node = submission_form_node(submission)
    graph = source_graph if source_graph is not None else plain_graph()
    graph.add((node, RDF.type, toezicht_form.MELDING.FormData))
    graph.add((node, RDF.type, URIRef(document_type.uri)))
    submission.source_ttl = toezicht_form.serialize_source(graph)
    _flatten(submission, graph)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError as error:
        raise ConflictError(_("Dit besluit werd al ingezonden."), code="duplicate") from error
    return submission


def _lock_concept(submission: Submission) -> Submission:
    """The submission as stored now, locked (PostgreSQL), when it is still the concept the caller read."""
    locked = _locked_submission(submission.pk)
    if locked is None:
        raise NotFoundError(_("Deze inzending bestaat niet meer (ze werd intussen verwijderd)."))
    if locked.is_sent:
        raise ConflictError(_("Deze inzending is al verstuurd en kan niet meer gewijzigd worden."), code="sent")
    return locked


def _locked_submission(pk: int) -> Submission | None:
    """The submission, locked (PostgreSQL), with its organisation and kind, document type and governing body: what
    the ORM's `select_for_update(of=("self",)).select_related("organisation__kind", "document_type",
    "governing_body")` reads, as one statement of its own (`selectors.submission_with_relations`): every save, send
    and delete of a concept asks it, and the ORM spent about 1.5 ms of CPU building that query and its instances.
    tests/supervision/test_send_queries.py compares it with the ORM's answer."""
    if connection.features.has_select_for_update and not connection.in_atomic_block:
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    return submission_with_relations("key", [pk], lock=True)


# The submission's state machine: concept → sent, concept → deleted (None). Nothing leaves sent.
SUBMISSION_TRANSITIONS: dict[str, frozenset[str | None]] = {
    Submission.Status.CONCEPT: frozenset({Submission.Status.SENT, None}),
    Submission.Status.SENT: frozenset(),
}


def submission_transition(
    *, submission: Submission, source: str, target: str | None, fields: tuple[str, ...] = ()
) -> None:
    """Every change of a submission's status: a compare-and-set from `source`, the status the caller read, to
    `target` (None: the concept is deleted), writing `fields` of `submission` with it. ConflictError when the
    stored status is no longer `source` (sent by someone else meanwhile, or deleted); a transaction that fails
    here is rolled back whole, ledger entry included."""
    if target not in SUBMISSION_TRANSITIONS.get(source, frozenset()):
        raise ValueError(f"A submission cannot go from {source} to {target}.")
    stored = Submission.objects.filter(pk=submission.pk, status=source)
    if target is None:
        changed = stored.exists() and stored.delete()[0] > 0
    else:
        changed = stored.update(status=target, **{name: getattr(submission, name) for name in fields}) == 1
    if not changed:
        raise ConflictError(_("Deze inzending veranderde intussen; laad de pagina opnieuw."), code="changed")
    if target is not None:
        submission.status = target


def _session_moment(graph: Graph, node: URIRef) -> Any:
    """The session date where the live form keeps it (besluit, besluitenlijst, notulen, agenda: see toezicht-v2)."""
    for activity in graph.subjects(PROV_GENERATED, node):
        for subject in graph.objects(activity, DCT_SUBJECT):
            for session in graph.subjects(BESLUIT_BEHANDELT, subject):
                if (moment := graph.value(session, PROV_STARTED)) is not None:
                    return moment
    for predicate in SESSION_OF_DOCUMENT:
        for session in graph.subjects(predicate, node):
            if (moment := graph.value(session, PROV_STARTED)) is not None:
                return moment
    return None


def _flatten(submission: Submission, graph: Graph) -> None:
    """Copy the key fields of the form data into columns, for lists, filters and search."""
    node = submission_form_node(submission)
    types = {str(value) for value in graph.objects(node, RDF.type)}
    if submission.document_type.uri not in types:
        replacement = DocumentType.objects.filter(uri__in=types).first()
        if replacement is not None:
            submission.document_type = replacement
    body = graph.value(node, ELI_PASSED_BY)
    body = graph.value(body, IS_TIME_SPECIALISATION_OF) or body if body is not None else None  # an organ in time
    in_hand = submission.governing_body if submission.governing_body_id is not None else None
    if body is None:
        submission.governing_body = None
    elif in_hand is None or in_hand.uri != str(body) or in_hand.organisation_id != submission.organisation_id:
        submission.governing_body = GoverningBody.objects.filter(
            uri=str(body), organisation=submission.organisation
        ).first()
    session = graph.value(node, SESSION) or _session_moment(graph, node)
    try:
        submission.session_date = date.fromisoformat(str(session)[:10]) if session is not None else None
    except ValueError:
        submission.session_date = None


def submission_update(*, submission: Submission, actor: Any, data: Any, files: Any = None) -> toezicht_form.Outcome:
    """Save what the clerk posted (always: nothing is lost on a validation error or a refused file) and return
    the verdict; a refused file is reported as an error of the file field and is not kept.

    When the save itself fails, the transaction rolls back and the bytes of files stored during it are removed
    (no file on disk without a row); SubmissionNotSaved tells the view to show the typed values again."""
    stored: list[str] = []
    try:
        return _submission_update(submission=submission, actor=actor, data=data, files=files, stored=stored)
    except (FormLoadError, DatabaseError, ValueError) as error:
        for name in stored:
            default_storage.delete(name)  # its waiting-scan row rolled back with the transaction
        logger.exception("Saving submission %s failed", submission.uuid)
        raise SubmissionNotSaved(
            _("Uw gegevens konden niet bewaard worden. Ze staan hieronder nog ingevuld: probeer opnieuw te bewaren.")
        ) from error


@transaction.atomic
def _submission_update(
    *, submission: Submission, actor: Any, data: Any, files: Any, stored: list[str]
) -> toezicht_form.Outcome:
    locked = _lock_concept(submission)
    definition = toezicht_form.form_definition(locked.form_version)
    # Read once under the lock (a file of a concept is added or removed only under it): the form's file names and,
    # with the ones this post adds, the uploads its data may no longer name.
    records = list(locked.files.all())
    context = submission_context(locked, files=records)
    node = submission_form_node(locked)
    refused: list[str] = []
    storer = _file_storer(locked, Uploader(locked.organisation, actor), refused, stored, records)
    collect_post(definition, context, node, data, files, store_file=storer)
    _drop_removed_files(context.source, node, records)
    locked.source_ttl = toezicht_form.serialize_source(context.source)
    stored_graph = toezicht_form.parse_source(locked.source_ttl)  # what is stored must read back (else FormLoadError)
    _flatten(locked, context.source)
    locked.modified_at = timezone.now()
    locked.save()
    prefetch_related_objects([locked], "files")  # as stored now: the read-back's file names and the edit page's list
    # The verdict on what was stored, read back: the graph just parsed from the stored text is what
    # `submission_context` would read again (`read_stored` of that same text).
    read_back = DataContext(source=stored_graph, meta=submission_meta(locked))
    _take_over(submission, locked)  # what refresh_from_db() would read, with the files just read
    outcome = toezicht_form.validate(definition, read_back, node)
    outcome.context = read_back
    overlong = _overlong_links(context.source, node)
    if overlong:
        outcome.errors.setdefault(LINK_FIELD_LABEL, []).extend(overlong)
    if refused:
        outcome.errors.setdefault(FILE_FIELD_LABEL, []).extend(refused)
        outcome.refused_files = refused
    return outcome


def submission_unsaved_context(*, submission: Submission, data: Any) -> DataContext:
    """The form as the clerk typed it, in memory only (nothing stored): shown again after a failed save."""
    context = submission_context(submission)
    definition = toezicht_form.form_definition(submission.form_version)
    collect_post(definition, context, submission_form_node(submission), data, None, store_file=lambda upload: None)
    return context


FILE_FIELD_LABEL = "Het besluit als bestand"
LINK_FIELD_LABEL = "Link naar het gepubliceerde besluit"
MAX_LINK_LENGTH = 2000  # SubmissionFile.url: a longer link would be cut when sent; it is refused instead


def _overlong_links(graph: Graph, node: URIRef) -> list[str]:
    return [
        _("Een link mag hoogstens %(max)s tekens lang zijn; deze telt er %(length)s: %(start)s…")
        % {"max": MAX_LINK_LENGTH, "length": len(str(url)), "start": str(url)[:60]}
        for part in graph.objects(node, HAS_PART)
        for url in graph.objects(part, NIE_URL)
        if len(str(url)) > MAX_LINK_LENGTH
    ]


def _file_storer(
    submission: Submission,
    uploader: Uploader,
    refused: list[str],
    stored: list[str],
    records: list[SubmissionFile],
) -> Callable[[Any], URIRef | None]:
    """Stores an upload (charged to `uploader`'s quota) and its record (appended to `records`); the storage name
    goes to `stored` (removed again when the save fails), a refusal to `refused`."""

    def store(upload: Any) -> URIRef | None:
        try:
            saved = store_upload(
                upload,
                allowed=set(ALLOWED_DECISION_TYPES),
                max_bytes=settings.LOKET_MAX_UPLOAD_BYTES,
                prefix=f"submissions/{submission.uuid}",
                uploader=uploader,
            )
        except FileRejected as error:
            refused.append(f"{getattr(upload, 'name', '')}: {error.message}")
            return None
        stored.append(saved.name)
        record = SubmissionFile.objects.create(
            submission=submission,
            kind=SubmissionFile.Kind.UPLOAD,
            storage_name=saved.name,
            original_name=saved.original_name,
            size=saved.size,
            sha256=saved.sha256,
            content_type=saved.content_type,
            created_at=timezone.now(),
        )
        records.append(record)
        return URIRef(record.uri)

    return store


def _drop_removed_files(graph: Graph, node: URIRef, records: list[SubmissionFile]) -> None:
    """Delete the uploads among the concept's `records` (all of them, read under its lock) its data no longer names."""
    parts = {str(part) for part in graph.objects(node, HAS_PART)}
    for record in records:
        if record.kind == SubmissionFile.Kind.UPLOAD and record.uri not in parts:
            name = record.storage_name
            record.delete()
            scanwait.forget(name)
            transaction.on_commit(partial(default_storage.delete, name))


def submission_file_remove_infected(storage_name: str) -> list[str]:
    """An upload that waited for the virus scan was found infected: take it out of its concept (the record and its
    part of the form data); the scan deletes the bytes and leaves a notice on the concept (`core.scanwait`)."""
    removed = []
    for record in SubmissionFile.objects.filter(storage_name=storage_name, kind=SubmissionFile.Kind.UPLOAD):
        try:
            locked = _lock_concept(record.submission)
        except DomainError:  # sent or gone meanwhile: a sent one never holds a waiting file (ledger_append)
            continue
        graph = read_stored(locked.source_ttl).graph
        part = URIRef(record.uri)
        graph.remove((None, HAS_PART, part))
        graph.remove((part, None, None))
        locked.source_ttl = toezicht_form.serialize_source(graph)
        locked.modified_at = timezone.now()
        locked.save(update_fields=["source_ttl", "modified_at"])
        record.delete()
        removed.append(locked.uri)
    return removed


def submission_validate(*, submission: Submission, context: DataContext | None = None) -> toezicht_form.Outcome:
    """The verdict on the stored concept; `context` is its `submission_context` when the caller needs it again."""
    definition = toezicht_form.form_definition(submission.form_version)
    context = context if context is not None else submission_context(submission)
    return toezicht_form.validate(definition, context, submission_form_node(submission))


@transaction.atomic
def submission_delete(*, submission: Submission, actor: Any, actor_label: str | None = None) -> None:
    locked = _lock_concept(submission)
    names = list(locked.files.exclude(storage_name="").values_list("storage_name", flat=True))
    audit_record(
        action="submission.deleted",
        actor=actor,
        organisation=locked.organisation,
        submission=locked.uri,
        **({"actor_label": actor_label} if actor_label else {}),
    )
    submission_transition(submission=locked, source=Submission.Status.CONCEPT, target=None)
    for name in names:
        scanwait.forget(name)
        transaction.on_commit(partial(default_storage.delete, name))


def content_hash_of(form_data_nt: str, file_hashes: list[str]) -> str:
    """SHA-256 over the canonical N-Triples of the form data and the sorted file hashes."""
    digest = hashlib.sha256(form_data_nt.encode("utf-8"))
    for file_hash in sorted(file_hashes):
        digest.update(b"\n" + file_hash.encode("ascii"))
    return digest.hexdigest()


@transaction.atomic
def submission_send(
    *, submission: Submission, actor: Any, actor_label: str | None = None, deliver_now: bool = False
) -> Submission:
    """Send a concept: validate, ledger entry, audit. Its delivery is queued for the worker (which copies the links
    after it), or, with `deliver_now` (a caller that already runs in the worker), done in this same transaction: both
    ledger entries or neither; that caller copies the links once this transaction committed
    (`supervision.tasks.links_copy`, its task registered with `link_copier_register` for recovery)."""
    from loket.supervision.tasks import deliver_submission

    locked = _lock_concept(submission)
    files = list(locked.files.all())  # read once: for the context (file names) and for the content hash
    definition = toezicht_form.form_definition(locked.form_version)  # the version the concept was made with
    context = submission_context(locked, files=files)
    node = submission_form_node(locked)
    outcome = toezicht_form.validate(definition, context, node)
    overlong = _overlong_links(context.source, node)
    if overlong:
        outcome.errors.setdefault(LINK_FIELD_LABEL, []).extend(overlong)
    if not outcome.valid:
        raise SubmissionInvalid(
            _("De inzending is niet volledig: verbeter de aangeduide velden."), fields=outcome.errors
        )
    from loket.forms.select import select_form_data

    form_data = select_form_data(definition, context, node)
    form_data_nt = toezicht_form.canonical_ntriples(form_data)
    part_uris = {str(part) for part in form_data.objects(node, HAS_PART)}
    uploads = [f for f in files if f.kind == SubmissionFile.Kind.UPLOAD and f.uri in part_uris]
    content_hash = content_hash_of(form_data_nt, [f.sha256 for f in uploads])
    sender = actor_label or (actor.get_full_name() if getattr(actor, "is_authenticated", False) else "")
    entry = ledger_append(
        kind="sent",
        subject_uri=locked.uri,
        organisation_uri=locked.organisation.uri,
        actor_label=sender,
        content_hash=content_hash,
        payload={
            "document_type": locked.document_type.uri,
            "form_version": locked.form_version,
            "files": sorted(f"{f.uri} {f.sha256}" for f in uploads),
            "replaces": locked.replaces.uri if locked.replaces else None,
            "provided_by": locked.provided_by,
        },
        stored_files=[SentFile(f.storage_name, f.original_name, f.sha256) for f in uploads],
    )
    _flatten(locked, context.source)
    locked.form_data_nt = form_data_nt
    locked.content_hash = content_hash
    locked.sent_at = entry.recorded_at
    locked.sent_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.sent_entry = entry
    locked.modified_at = entry.recorded_at
    locked.is_public = is_public(
        organisation_is_worship=bool(locked.organisation.kind and locked.organisation.kind.is_worship),
        document_type_uri=locked.document_type.uri,
        document_type_is_public=locked.document_type.is_public,
        governing_body_classification=locked.governing_body.classification_uri if locked.governing_body else None,
    )
    submission_transition(
        submission=locked, source=Submission.Status.CONCEPT, target=Submission.Status.SENT, fields=_SENT_FIELDS
    )
    for remote in form_data.subjects(RDF.type, NFO_REMOTE):
        url = form_data.value(remote, NIE_URL)
        if str(remote) in part_uris and url is not None:
            SubmissionFile.objects.create(
                submission=locked,
                kind=SubmissionFile.Kind.LINK,
                url=str(url),
                cache_status=SubmissionFile.CacheStatus.PENDING,
                created_at=entry.recorded_at,
            )
    audit_record(
        action="submission.sent",
        actor=actor,
        organisation=locked.organisation,
        submission=locked.uri,
        content_hash=content_hash,
        ledger_position=entry.position,
        **({"actor_label": actor_label} if actor_label and not getattr(actor, "is_authenticated", False) else {}),
    )
    if deliver_now:
        _deliver(locked)
    else:
        deliver_submission.enqueue(submission_id=locked.pk)
    _take_over(submission, locked)
    return locked


def _take_over(submission: Submission, stored: Submission) -> None:
    """Make the caller's `submission` what `stored` holds, the row this transaction locked and wrote: what
    refresh_from_db() would read again, without the query (a send's and a save's last statement)."""
    # The files `stored` read in this transaction, if it did (a save reads them after its last change of them).
    submission._prefetched_objects_cache = dict(getattr(stored, "_prefetched_objects_cache", {}))  # type: ignore[attr-defined]
    fields: list[Any] = list(Submission._meta.concrete_fields)  # foreign keys among them: their cached objects too
    for field in fields:
        setattr(submission, field.attname, getattr(stored, field.attname))
        if field.is_relation:
            if field.is_cached(stored):
                field.set_cached_value(submission, field.get_cached_value(stored))
            elif field.is_cached(submission):
                field.delete_cached_value(submission)
    for relation in Submission._meta.related_objects:
        if relation.is_cached(submission):
            relation.delete_cached_value(submission)


_SENT_FIELDS = (
    "document_type",
    "governing_body",
    "session_date",
    "form_version",
    "form_data_nt",
    "content_hash",
    "sent_at",
    "sent_by",
    "sent_entry",
    "modified_at",
    "is_public",
)


@transaction.atomic
def submission_correct(*, submission: Submission, actor: Any) -> Submission:
    """Start a correction: a new concept with the sent form data, pointing to the submission it replaces.
    Uploaded files are not carried over (the clerk adds the corrected decision); links are."""
    if not submission.is_sent:
        raise ConflictError(_("Alleen een verstuurde inzending kan gecorrigeerd worden."))
    # Under a lock, so that two clicks make one correction: a submission is corrected once (then its correction).
    Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
    existing = Submission.objects.filter(replaces=submission).order_by("-created_at").first()
    if existing is not None:
        raise ConflictError(
            _("Deze inzending werd al vervangen door een correctie; corrigeer zo nodig die correctie.")
            if existing.is_sent
            else _("Er is al een correctie van deze inzending in opmaak."),
            code="corrected",
        )
    old_node = submission_form_node(submission)
    uploads = {URIRef(f.uri) for f in submission.files.filter(kind=SubmissionFile.Kind.UPLOAD)}
    correction = submission_create(
        organisation=submission.organisation, document_type=submission.document_type, actor=actor, replaces=submission
    )
    new_node = submission_form_node(correction)
    graph = toezicht_form.parse_source(correction.source_ttl)
    for s, p, o in read_stored(submission.form_data_nt).graph:
        if o in uploads or s in uploads:
            continue
        graph.add((new_node if s == old_node else s, p, new_node if o == old_node else o))
    correction.source_ttl = toezicht_form.serialize_source(graph)
    _flatten(correction, graph)
    correction.save()
    audit_record(
        action="submission.correction_started",
        actor=actor,
        organisation=submission.organisation,
        submission=correction.uri,
        replaces=submission.uri,
    )
    return correction


REOPEN_REASON_MISSING = gettext_lazy("Geef de reden van de heropening op: de klerken van het bestuur lezen ze.")


@transaction.atomic
def submission_reopen(*, submission: Submission, actor: Any, reason: str) -> Submission:
    """The agency reopens a sent submission as an audited correction — never by resetting its status: the sent
    submission, its register entries and its receipt stay exactly as they are; the register gets an entry
    "reopened" for it (with the reason), a concept correction pointing to it opens for the body's clerks, and they get
    a mail. Once that correction is sent, the public record says `dct:isReplacedBy` (rdf.py)."""
    reason = reason_required(reason, message=REOPEN_REASON_MISSING)
    correction = submission_correct(submission=submission, actor=actor)  # locks; refuses a concept or a 2nd correction
    label = actor.get_full_name() or actor.get_username()
    entry = ledger_append(
        kind=KIND_REOPENED,
        subject_uri=submission.uri,
        organisation_uri=submission.organisation.uri,
        actor_label=label,
        content_hash=submission.content_hash,
        payload={
            "reason": reason,
            "correction": correction.uri,
            "sent_position": submission.sent_entry.position if submission.sent_entry else None,
        },
        stored_files=(),  # not a send
    )
    correction.reopen_reason = reason
    correction.reopened_entry = entry
    correction.save(update_fields=["reopen_reason", "reopened_entry"])
    audit_record(
        action="submission.reopened",
        actor=actor,
        organisation=submission.organisation,
        submission=submission.uri,
        correction=correction.uri,
        reason=reason,
        ledger_position=entry.position,
    )
    from django.urls import reverse
    from django.utils.translation import override

    from loket.accounts.roles import Role
    from loket.accounts.selectors import role_holder_emails

    link = settings.LOKET_SITE_URL.rstrip("/") + reverse("supervision:edit", args=[correction.uuid])
    with override("nl"):
        for to in role_holder_emails([submission.organisation.pk], Role.TOEZICHT).values():
            send_email.enqueue(
                to=to,
                subject=_("Toezicht: het agentschap heropende een inzending"),
                body=_(
                    "Beste,\n\nHet Agentschap Binnenlands Bestuur heropende de inzending '%(type)s' van %(sent)s.\n"
                    "Reden: %(reason)s\n\nDe verstuurde inzending blijft zoals ze is; een correctie ervan staat voor u "
                    "klaar als concept. Pas ze aan en verstuur ze: %(link)s"
                )
                % {
                    "type": submission.document_type.label,
                    "sent": timezone.localtime(submission.sent_at).strftime("%d-%m-%Y %H:%M"),
                    "reason": reason,
                    "link": link,
                },
            )
    return correction


@transaction.atomic
def submission_deliver(*, submission_id: int) -> Submission | None:
    """Put a sent submission in the supervisor's inbox, recorded as the second ledger entry. Idempotent."""
    # With what the delivery reads: the sent entry's position, and the kind and document type the dispatch asks.
    locked = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("organisation__kind", "document_type", "sent_entry")
        .filter(pk=submission_id)
        .first()
    )
    if locked is None or not locked.is_sent or locked.delivered_at is not None:
        return locked
    _deliver(locked)
    return locked


def _deliver(locked: Submission) -> None:
    """The delivery of a sent submission locked in the current transaction (not delivered yet)."""
    entry = ledger_append(
        kind="delivered",
        subject_uri=locked.uri,
        organisation_uri=locked.organisation.uri,
        actor_label="Loket voor Lokale Besturen",
        content_hash=locked.content_hash,
        payload={"sent_position": locked.sent_entry.position if locked.sent_entry else None},
        stored_files=(),  # not a send
    )
    locked.delivered_at = entry.recorded_at
    locked.delivered_entry = entry
    locked.save(update_fields=["delivered_at", "delivered_entry"])
    for hook in _DELIVERY_HOOKS:
        hook(locked)


# Modules that add receivers to a delivered submission (worship: its dispatch rules) register here, at app start;
# each is called inside the delivery's transaction, so a submission is delivered with its receivers or not at all.
_DELIVERY_HOOKS: list[Callable[[Submission], None]] = []


def submission_delivery_hook_register(hook: Callable[[Submission], None]) -> None:
    if hook not in _DELIVERY_HOOKS:
        _DELIVERY_HOOKS.append(hook)


@transaction.atomic
def submission_receivers_replace(*, submission: Submission, receivers: dict[int, str]) -> tuple[set[int], set[int]]:
    """Set the extra receivers of a sent submission (organisation id → why); returns (added, removed) ids."""
    from loket.supervision.models import SubmissionReceiver

    current = dict(SubmissionReceiver.objects.filter(submission=submission).values_list("organisation_id", "reason"))
    removed = set(current) - set(receivers)
    added = set(receivers) - set(current)
    SubmissionReceiver.objects.filter(submission=submission, organisation_id__in=removed).delete()
    SubmissionReceiver.objects.bulk_create(
        SubmissionReceiver(submission=submission, organisation_id=org, reason=receivers[org][:200]) for org in added
    )
    for org, reason in receivers.items():
        if org in current and current[org] != reason[:200]:
            SubmissionReceiver.objects.filter(submission=submission, organisation_id=org).update(reason=reason[:200])
    return added, removed


@transaction.atomic
def submission_mark_handled(*, submission: Submission, actor: Any, note: str) -> Submission:
    """The supervisor marks a delivered submission as handled (compare-and-set: only from "not handled"). The same
    supervisor asking again with the same note (a double click) finds it done: no change, no second audit entry;
    handled by someone else or with another note is a conflict."""
    locked = Submission.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=submission.pk)
    note = note.strip()[:5000]
    if locked.handled_at is not None:
        if locked.handled_by_id == getattr(actor, "pk", None) and locked.handled_note == note:
            return locked
        raise ConflictError(_("Deze inzending is al als behandeld gemarkeerd."))
    locked.handled_at = timezone.now()
    locked.handled_by = actor
    locked.handled_note = note
    locked.save(update_fields=["handled_at", "handled_by", "handled_note"])
    audit_record(
        action="submission.handled",
        actor=actor,
        organisation=locked.organisation,
        submission=locked.uri,
        note=locked.handled_note,
    )
    return locked


@transaction.atomic
def submission_unmark_handled(*, submission: Submission, actor: Any, handled_at: Any) -> Submission:
    """Undo "behandeld" (compare-and-set: only the handling the supervisor saw, `handled_at`, is undone). The
    audit trail keeps who had handled it, when and with which note."""
    locked = Submission.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=submission.pk)
    if locked.handled_at is None or locked.handled_at != handled_at:
        raise ConflictError(_("De behandeling van deze inzending is intussen gewijzigd; bekijk ze opnieuw."))
    previous = {
        "handled_at": locked.handled_at.isoformat(),
        "handled_by": locked.handled_by.get_full_name() if locked.handled_by else "",
        "note": locked.handled_note,
    }
    locked.handled_at = None
    locked.handled_by = None
    locked.handled_note = ""
    locked.save(update_fields=["handled_at", "handled_by", "handled_note"])
    audit_record(
        action="submission.handled_undone",
        actor=actor,
        organisation=locked.organisation,
        submission=locked.uri,
        **previous,
    )
    return locked


@transaction.atomic
def document_type_set_public(*, document_type: DocumentType, is_public: bool, actor: Any) -> None:
    """The helpdesk changes whether sent submissions of this type become open data (audited)."""
    from loket.supervision.models import PublicationFlagChange

    locked = DocumentType.objects.select_for_update().get(pk=document_type.pk)
    if locked.is_public == is_public:
        return
    locked.is_public = is_public
    locked.save(update_fields=["is_public"])
    PublicationFlagChange.objects.create(
        document_type=locked, is_public=is_public, changed_by=actor, changed_at=timezone.now()
    )
    audit_record(action="document_type.publication_changed", actor=actor, document_type=locked.uri, is_public=is_public)


@transaction.atomic
def governing_body_uri_for(*, organisation: Organisation, classification_uri: str, label: str) -> str:
    """The URI of the organisation's bestuursorgaan of this classification, the one register of organ identities:
    the bodies its kind has by law are made on first use (`governing_bodies_of`), another classification (a
    politieraad, a districtsburgemeester) is added here. Mandatenbeheer's organs take their URI from this."""
    from loket.supervision.governing_bodies import governing_bodies_of
    from loket.supervision.models import GoverningBody

    for body in governing_bodies_of(organisation):
        if body.classification_uri == classification_uri:
            return body.uri
    body, _created = GoverningBody.objects.get_or_create(
        organisation=organisation,
        classification_uri=classification_uri,
        defaults={"label": label, "uri": f"{settings.LOKET_URI_BASE}/id/bestuursorganen/{uuid_module.uuid4()}"},
    )
    return body.uri
