"""What of Toezicht becomes open data: the real Loket's rules (prepare-submissions-for-export), simplified.

A sent submission is public when its organisation is not a worship body, its document type carries the public
flag, and — for a Besluitenlijst — it was passed by a deliberative organ (a council, a board, a general
assembly), not by an executive one (college, vast bureau, deputatie, mayor, governor…). Worship decisions go to
the worship database (not public). Concepts, files of unpublished submissions and receipts are never public.

Within a public submission, what is published is decided per field by one rule (`field_is_public`): a field
whose path starts with a predicate in `NEVER_PUBLIC_PREDICATES` — the remark for the supervisor — is sent to the
supervisor but never published. The linked data (`rdf.py`), the confirmation page before sending and the detail
pages all ask this same rule.
"""

from collections.abc import Iterable, Iterator

from rdflib import URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

PUBLIC_TYPE_LABELS = frozenset(
    {
        "Advies bij jaarrekening AGB",
        "Advies bij jaarrekening APB",
        "Jaarrekening",
        "Meerjarenplan(aanpassing)",
        "Meerjarenplan(aanpassing) BBC2020",
        "Oprichting autonoom bedrijf",
        "Oprichting districtsbestuur",
        "Oprichting IGS",
        "Oprichting ocmw-vereniging",
        "Oprichting van een EVA",
        "Rechtspositieregeling (RPR)",
        "Wijziging autonoom bedrijf",
        "Besluit over meerjarenplan APB",
        "Besluit meerjarenplan(aanpassing) AGB",
        "Reglementen en verordeningen",
        "Besluitenlijst",
    }
)

BESLUITENLIJST = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"
_BASE = "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/"
DELIBERATIVE_ORGANS = frozenset(
    {
        _BASE + "5ab0e9b8a3b2ca7c5e000005",  # Gemeenteraad
        _BASE + "5ab0e9b8a3b2ca7c5e000007",  # Raad voor Maatschappelijk Welzijn
        _BASE + "5ab0e9b8a3b2ca7c5e00000a",  # Districtsraad
        _BASE + "5ab0e9b8a3b2ca7c5e00000c",  # Provincieraad
        _BASE + "013cc838-173a-4657-b1ae-b00c048df943",  # Raad van bestuur
        _BASE + "b52094ff-21a2-4da8-8dbe-f513365d1528",  # Algemene vergadering
    }
)


def is_public(
    *,
    organisation_is_worship: bool,
    document_type_uri: str,
    document_type_is_public: bool,
    governing_body_classification: str | None,
) -> bool:
    if organisation_is_worship or not document_type_is_public:
        return False
    if document_type_uri == BESLUITENLIJST:
        return governing_body_classification in DELIBERATIVE_ORGANS
    return True


# "Opmerking voor de toezichthouder": meant for the supervisor alone.
NEVER_PUBLIC_PREDICATES = frozenset({RDFS.comment})


def field_is_public(path: Iterable[object]) -> bool:
    """Whether a form field (by its SHACL path, a sequence of steps with `.predicate` and `.inverse`) may be
    published when its submission is public."""
    steps = list(path)
    if not steps:
        return True
    first = steps[0]
    return bool(getattr(first, "inverse", False)) or getattr(first, "predicate", None) not in NEVER_PUBLIC_PREDICATES


def public_form_data(triples: Iterable[tuple[Node, Node, Node]], node: Node) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of a public submission's form data (a graph, or `rdfio.turtle_triples`) without those of fields
    that are never public."""
    for subject, predicate, value in triples:
        if subject == node and isinstance(predicate, URIRef) and predicate in NEVER_PUBLIC_PREDICATES:
            continue
        yield subject, predicate, value
