"""A submission's form data as people read it: the form's labelled fields with their values, files with name and
size, and per field whether it becomes public (the one rule of `publication`).

Used by the confirmation page before sending (what *will* be sent: the selection the send would freeze) and by
the clerk's and the supervisor's detail pages (what *was* sent: the frozen N-Triples). The raw N-Triples are a
download, never the page.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from loket.forms.decide import applicable_fields
from loket.forms.errors import FormLoadError
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_text
from loket.forms.render import Texts
from loket.forms.select import select_form_data
from loket.forms.vocabulary import DISPLAY, NFO, NIE, SH
from loket.supervision import form as toezicht_form
from loket.supervision.models import Submission, SubmissionFile
from loket.supervision.publication import field_is_public, is_public
from loket.supervision.stored_data import read_stored

FILE_DISPLAYS = frozenset({DISPLAY.files, DISPLAY["files/variation/1"]})
LINK_DISPLAYS = frozenset({DISPLAY.remoteUrls, DISPLAY["remoteUrls/variation/1"]})
BRUSSELS_FORMAT = "j F Y H:i"


@dataclass(frozen=True)
class FileLine:
    name: str
    size: int
    record: SubmissionFile | None


@dataclass
class FieldLine:
    label: str
    values: list[str] = field(default_factory=list)
    files: list[FileLine] = field(default_factory=list)
    is_public: bool = False


@dataclass
class FormSummary:
    fields: list[FieldLine]
    submission_is_public: bool

    @property
    def public_fields(self) -> list[FieldLine]:
        return [line for line in self.fields if line.is_public]

    @property
    def private_fields(self) -> list[FieldLine]:
        return [line for line in self.fields if not line.is_public]


def would_be_public(submission: Submission) -> bool:
    """Whether the submission is (sent) or will be (concept) published, by the rules of `publication`."""
    if submission.is_sent:
        return submission.is_public
    organisation = submission.organisation
    return is_public(
        organisation_is_worship=bool(organisation.kind_id and organisation.kind.is_worship),  # type: ignore[union-attr]
        document_type_uri=submission.document_type.uri,
        document_type_is_public=submission.document_type.is_public,
        governing_body_classification=submission.governing_body.classification_uri
        if submission.governing_body
        else None,
    )


def form_summary(submission: Submission, *, context: DataContext | None = None) -> FormSummary:
    """The labelled fields of what is (or, for a concept, would be) sent. `context`: the submission's
    `submission_context` when the caller has built it already (the confirmation page validated with it)."""
    from loket.supervision.services import submission_context, submission_form_node, submission_meta

    node = submission_form_node(submission)
    try:
        definition = toezicht_form.form_definition(submission.form_version)  # the version it was made (and sent) with
    except (OSError, FormLoadError):  # that file is gone (an operator's folder changed): label with today's form
        definition = toezicht_form.form_definition()
    if submission.is_sent:  # the frozen form data and the meta graph: the editing graph is not read
        meta = context.meta if context is not None else submission_meta(submission)
        data = read_stored(submission.form_data_nt, source=submission.uri).graph
    else:
        context = context if context is not None else submission_context(submission)
        meta = context.meta
        data = select_form_data(definition, context, node)
    frozen = DataContext(source=data, meta=meta)
    files = {record.uri: record for record in submission.files.all()}
    public = would_be_public(submission)
    lines = []
    texts = Texts(definition.graph)  # labels in the page's language, a Dutch fallback marked lang="nl"
    for applicable in applicable_fields(definition, frozen, node):
        if applicable.is_hidden or applicable.is_decorative or applicable.listing is not None:
            continue
        line = FieldLine(
            label=texts.text(applicable.node, SH.name, applicable.label),
            is_public=public and field_is_public(applicable.path),
        )
        values = frozen.values(node, applicable.path)
        if applicable.concept_scheme is not None:
            # A concept field on rdf:type also sees the node's class (melding:FormData): show the concepts.
            values = [v for v in values if frozen.in_scheme(v, applicable.concept_scheme)] or values
        for value in values:
            _describe(line, applicable.display_type, value, data, meta, files)
        if line.values or line.files:
            lines.append(line)
    return FormSummary(lines, public)


def _describe(  # type: ignore[no-untyped-def]
    line: FieldLine, display, value, data: Graph, meta: Graph, files: dict[str, SubmissionFile]
) -> None:
    url = data.value(value, NIE.url) if isinstance(value, URIRef) else None
    if display in FILE_DISPLAYS:
        if url is None:
            record = files.get(str(value))
            name = record.original_name if record else str(meta.value(value, NFO.fileName) or value)
            line.files.append(FileLine(name=name, size=record.size if record else 0, record=record))
        return
    if display in LINK_DISPLAYS:
        if url is not None:
            line.values.append(str(url))
        return
    line.values.append(value_text(value, meta))


def value_text(value: object, meta: Graph) -> str:
    """One value as a person reads it: a concept by its label, a date in words, a boolean as ja/nee."""
    if isinstance(value, URIRef):
        label = meta.value(value, SKOS.prefLabel)
        return str(label) if label is not None else str(value)
    if isinstance(value, Literal):
        python = value.toPython() if value.datatype in _TYPED else None
        if isinstance(python, datetime):
            return date_format(timezone.localtime(python) if timezone.is_aware(python) else python, BRUSSELS_FORMAT)
        if isinstance(python, date):
            return date_format(python, "j F Y")
        if isinstance(python, bool):
            return _("ja") if python else _("nee")
    return str(value)


_TYPED = frozenset({XSD.date, XSD.dateTime, XSD.boolean})


REMARK_MARKER = f"> <{RDFS.comment}> "


def remark_of(form_data_nt: str, uuid: object) -> str:
    """The remark for the supervisor in sent N-Triples, found without parsing the whole graph (for exports)."""
    node = toezicht_form.form_node_for(uuid)
    prefix = f"<{node}> <{RDFS.comment}> "
    remarks = []
    for text_line in form_data_nt.split("\n"):  # N-Triples ends lines with LF only; never str.splitlines()
        if text_line.startswith(prefix):
            try:
                graph = parse_turtle_text(text_line, source="remark")
            except FormLoadError:
                remarks.append(_("(onleesbaar in de opgeslagen gegevens)"))
                continue
            remarks.extend(str(o) for o in graph.objects(node, RDFS.comment))
    return "\n".join(sorted(remarks))
