"""From the RDFa of a published page to the Toezicht form data (what the real Loket's import service does).

The decision (`submittedResource`) must be described on the page. Its types give the type of dossier (and the
kind of regulation and tax, when present), `eli:passed_by` the governing body (matched against the
organisation's own bodies, also through `mandaat:isTijdspecialisatieVan`), the session (`besluit:Zitting` that
treated it, lists it, or the only one on the page) the date, and `dct:source` / `eli:related_to` its attachments.
A page whose governing body belongs to another organisation, or that says the body governs another organisation
(`besluit:bestuurt`), is refused.
"""

import datetime
import re
import uuid
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from loket.core.errors import DomainError
from loket.organisations.models import Organisation
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import DocumentType, GoverningBody

ELI = Namespace("http://data.europa.eu/eli/ontology#")
BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")
MANDAAT = Namespace("http://data.vlaanderen.be/ns/mandaat#")
PROV = Namespace("http://www.w3.org/ns/prov#")
EXT = Namespace("http://mu.semte.ch/vocabularies/ext/")
ELOD = Namespace("http://linkedeconomy.org/ontology#")
NIE = Namespace("http://www.semanticdesktop.org/ontologies/2007/01/19/nie#")
NFO = Namespace("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#")
LBLOD_BESLUIT = Namespace("http://lblod.data.gift/vocabularies/besluit/")
SCHEMA = Namespace("http://schema.org/")
REGULATION_SCHEME = URIRef("http://lblod.data.gift/concept-schemes/c93ccd41-aee7-488f-86d3-038de890d05a")
TAX_SCHEME = URIRef("http://lblod.data.gift/concept-schemes/3037c4f4-1c63-43ac-bfc4-b41d098b15a6")
_SESSION_DOCUMENTS = (BESLUIT.heeftBesluitenlijst, BESLUIT.heeftNotulen, BESLUIT.heeftAgenda, BESLUIT.heeftUittreksel)
_BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MAX_ATTACHMENTS = 20


class ImportRefused(DomainError):
    code = "import_refused"


@dataclass
class Imported:
    document_type: DocumentType
    governing_body: GoverningBody | None
    session_date: datetime.date | None
    build: "FormDataBuilder"
    attachments: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _codelists() -> Graph:
    from loket.supervision.codelists import document_types_graph

    return document_types_graph()


def _in_scheme(concepts: set[Node], scheme: URIRef) -> list[URIRef]:
    codelists = _codelists()
    return sorted(c for c in concepts if isinstance(c, URIRef) and (c, SKOS.inScheme, scheme) in codelists)


def page_import(*, page: Graph, submitted_resource: str, organisation: Organisation, href: str) -> Imported:
    document = URIRef(submitted_resource)
    if (document, None, None) not in page:
        raise ImportRefused(
            f"De pagina {href} beschrijft het besluit {submitted_resource} niet: geen RDFa-annotaties met "
            f'resource="{submitted_resource}" gevonden. Controleer de annotaties of het submittedResource.'
        )
    types = set(page.objects(document, RDF.type)) | set(page.objects(document, DCTERMS.type))
    document_type = _document_type(types, submitted_resource)
    body = _governing_body(page, document, organisation)
    session = _session_date(page, document)
    attachments = _attachments(page, document)
    builder = FormDataBuilder(
        page=page,
        document=document,
        types=types,
        document_type=document_type,
        body=body,
        session=session,
        href=href,
        attachments=attachments,
    )
    return Imported(
        document_type=document_type, governing_body=body, session_date=session, build=builder, attachments=attachments
    )


def _spellings(type_uri: str) -> list[str]:
    """A type IRI as written, and as it is meant when written in two ways the vendor documentation shows: http
    for https, and a prefix declared without its final slash (`besluitDocumentType: …/BesluitDocumentType`, so
    that `besluitDocumentType:13fe…` reads `…/BesluitDocumentType13fe…`)."""
    spellings = [type_uri]
    for scheme in ("BesluitDocumentType", "BesluitType"):
        marker = f"/concept/{scheme}"
        start = type_uri.find(marker)
        if start != -1 and type_uri[start + len(marker) : start + len(marker) + 1] not in ("/", ""):
            spellings.append(type_uri[: start + len(marker)] + "/" + type_uri[start + len(marker) :])
    if type_uri.startswith("http://data.vlaanderen.be/"):
        spellings += ["https://" + spelling.removeprefix("http://") for spelling in spellings]
    return spellings


def _document_type(types: set[Node], submitted_resource: str) -> DocumentType:
    spellings = [spelling for t in types if isinstance(t, URIRef) for spelling in _spellings(str(t))]
    types |= {URIRef(spelling) for spelling in spellings}
    candidates = list(DocumentType.objects.filter(uri__in=spellings))
    if not candidates:
        raise ImportRefused(
            f"Het besluit {submitted_resource} heeft geen gekend type dossier: geef het type (typeof of dct:type) "
            "uit de codelijst 'Type dossier' (BesluitType of BesluitDocumentType)."
        )
    # The most specific type wins: one that is not a broader concept of another candidate.
    codelists = _codelists()
    broader = {
        str(o) for c in candidates for o in codelists.transitive_objects(URIRef(c.uri), SKOS.broader) if str(o) != c.uri
    }
    specific = [c for c in candidates if c.uri not in broader] or candidates
    regulation = _in_scheme(types, REGULATION_SCHEME)
    specific.sort(key=lambda c: (URIRef(c.uri) in regulation, c.uri))
    return specific[0]


def _governing_body(page: Graph, document: URIRef, organisation: Organisation) -> GoverningBody | None:
    candidates = [o for o in page.objects(document, ELI.passed_by) if isinstance(o, URIRef)]
    for candidate in list(candidates):
        candidates.extend(o for o in page.objects(candidate, MANDAAT.isTijdspecialisatieVan) if isinstance(o, URIRef))
    for body in candidates:
        for governed in page.objects(body, BESLUIT.bestuurt):
            if str(governed) != organisation.uri:
                raise ImportRefused(
                    f"Het bestuursorgaan {body} op de pagina bestuurt {governed}, niet {organisation.uri}: "
                    "de pagina gaat over een ander bestuur."
                )
    uris = [str(c) for c in candidates]
    own = {b.uri: b for b in governing_bodies_of(organisation)}
    others = [uri for uri in uris if uri not in own]  # the own organisation's bodies need no second look
    known = (
        {b.uri: b for b in GoverningBody.objects.filter(uri__in=others).select_related("organisation")}
        if others
        else {}
    )
    for uri in others:
        known_body = known.get(uri)
        if known_body is not None and known_body.organisation_id != organisation.pk:
            raise ImportRefused(
                f"Het bestuursorgaan {uri} hoort bij {known_body.organisation.display_name}, niet bij "
                f"{organisation.display_name}: de pagina gaat over een ander bestuur."
            )
    return next((own[uri] for uri in uris if uri in own), None)


def _session_date(page: Graph, document: URIRef) -> datetime.date | None:
    sessions = [s for p in _SESSION_DOCUMENTS for s in page.subjects(p, document)]
    for treatment in page.subjects(PROV.generated, document):
        for item in page.objects(treatment, DCTERMS.subject):
            sessions.extend(page.subjects(BESLUIT.behandelt, item))
    if not sessions:
        sessions = list(page.subjects(RDF.type, BESLUIT.Zitting))
        if len(sessions) != 1:
            return None
    for session in sessions:
        for value in (*page.objects(session, PROV.startedAtTime), *page.objects(session, BESLUIT.geplandeStart)):
            parsed = _date_of(str(value).strip())
            if parsed is not None:
                return parsed
    return None


def _date_of(text: str) -> datetime.date | None:
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(_BRUSSELS)
    return moment.date()


def _attachments(page: Graph, document: URIRef) -> list[str]:
    """`dct:source` and `eli:related_to` of the decision, and documents that are `dct:isPartOf` it (the vendor
    documentation's `<a rev="dct:isPartOf" property="eli:related_to" href="…pdf">`: in RDFa 1.1 the property then
    holds the link text, the reverse relation the file)."""
    linked = {o for p in (DCTERMS.source, ELI.related_to) for o in page.objects(document, p)}
    parts = {s for s in page.subjects(DCTERMS.isPartOf, document) if (s, RDF.type, FOAF.Document) in page}
    urls = sorted(
        str(node)
        for node in linked | parts
        if isinstance(node, URIRef) and str(node).startswith(("http://", "https://"))
    )
    return urls[:MAX_ATTACHMENTS]


def _clean(text: str, limit: int = 5000) -> str:
    return re.sub(r"\s+", " ", text).strip()[:limit]


@dataclass
class FormDataBuilder:
    """Writes the form data onto the submission's form node (known only once the submission exists)."""

    page: Graph
    document: URIRef
    types: set[Node]
    document_type: DocumentType
    body: GoverningBody | None
    session: datetime.date | None
    href: str
    attachments: list[str]

    def graph(self, node: URIRef) -> Graph:
        data = Graph()
        data.add((node, RDF.type, URIRef(self.document_type.uri)))
        if self.body is not None:
            data.add((node, ELI.passed_by, URIRef(self.body.uri)))
        if self.session is not None:
            data.add((node, EXT.sessionStartedAtTime, Literal(self.session.isoformat(), datatype=XSD.date)))
        for url in [self.href, *self.attachments]:
            remote = URIRef(f"http://data.lblod.info/remote-url/{uuid.uuid4()}")
            data.add((node, DCTERMS.hasPart, remote))
            data.add((remote, RDF.type, NFO.RemoteDataObject))
            data.add((remote, NIE.url, Literal(url)))
        self._details(data, node)
        self._ratifications(data)
        return data

    def _ratifications(self, data: Graph) -> None:
        """Every `mandaat:bekrachtigtAanstellingVan` on the page (the decision, or the decisions of a list), kept as
        written so Mandatenbeheer ratifies those holders when the submission is delivered."""
        for decision, holder in self.page.subject_objects(MANDAAT.bekrachtigtAanstellingVan):
            if isinstance(decision, URIRef) and isinstance(holder, URIRef):
                data.add((decision, MANDAAT.bekrachtigtAanstellingVan, holder))

    def _details(self, data: Graph, node: URIRef) -> None:
        page, document = self.page, self.document
        description = page.value(document, ELI.description) or page.value(document, ELI.title)
        if description is not None and _clean(str(description)):
            data.add((node, DCTERMS.description, Literal(_clean(str(description)))))
        for regulation in _in_scheme(self.types, REGULATION_SCHEME)[:1]:
            data.add((node, EXT.regulationType, regulation))
        for tax in _in_scheme(self.types, TAX_SCHEME)[:1]:
            data.add((node, EXT.taxType, tax))
        entry = page.value(document, ELI.first_date_entry_in_force)
        if entry is not None and _date_of(str(entry).strip()):
            data.add((node, ELI.first_date_entry_in_force, Literal(str(entry).strip()[:10], datatype=XSD.date)))
        year = page.value(document, ELOD.financialYear)
        if year is not None and re.fullmatch(r"\s*[0-9]{4}\s*", str(year)):
            data.add((node, ELOD.financialYear, Literal(str(year).strip(), datatype=XSD.gYear)))
        for rate in page.objects(document, LBLOD_BESLUIT.taxRate):
            price = page.value(rate, SCHEMA.price)
            if price is not None:
                data.add((node, EXT.taxRateAmount, Literal(str(price).strip())))
                break
        comment = page.value(document, RDFS.comment)
        if comment is not None:
            data.add((node, RDFS.comment, Literal(_clean(str(comment)))))
