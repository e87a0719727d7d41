"""Which types of dossier a body may choose, grouped and sorted for the choice page.

Who may decide a type comes from the code list: the type's own `lblodBesluit:decidableBy` and the
`lblodBesluit:decidableBy` of its notification rules (`data/codelists/notification-rules.ttl`, from the real Loket's
`2026/20260202082700-Decisions-Types.ttl` migration), stored per type in `DocumentType.decidable_by` when the code
list is loaded. A type nobody may decide is offered to nobody. The groups are ours (the code list has none): a
type falls in the first group whose words its label contains.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from loket.organisations.models import Organisation
from loket.supervision.models import DocumentType

GROUPS: list[tuple[str, object, tuple[str, ...]]] = [
    ("zitting", _("Zittingsdocumenten"), ("agenda", "besluitenlijst", "notulen", "uittreksel")),
    ("lekp", _("Lokaal Energie- en Klimaatpact (LEKP)"), ("lekp",)),
    (
        "erediensten",
        _("Erediensten"),
        ("eredienst", "kerk", "presbyteri", "erkenning", "representatief", "annexe", "samenvoeging", "schorsing"),
    ),
    (
        "financien",
        _("Financiën (BBC)"),
        ("budget", "jaarrekening", "meerjarenplan", "eindrekening", "bbc", "sanering", "retributie"),
    ),
    (
        "samenwerking",
        _("Samenwerking, verzelfstandiging en structuur"),
        (
            "igs",
            "eva",
            "agb",
            "apb",
            "autonoom",
            "vereniging",
            "vennootschap",
            "rechtspersoon",
            "statuten",
            "fusie",
            "toetreding",
            "districtsbestuur",
            "regiovorming",
            "gebiedsomschrijving",
            "naamswijziging",
        ),
    ),
    ("andere", _("Reglementen, personeel en andere besluiten"), ()),
]


@dataclass
class TypeGroup:
    key: str
    label: str
    types: list[DocumentType]


@lru_cache(maxsize=2048)  # the labels and definitions of the code list: every list and choice page sorts by them
def fold(text: str) -> str:
    """Lower case without accents, for searching ("financien" finds "Financiën")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def group_of(document_type: DocumentType) -> str:
    words = fold(document_type.label).replace("(", " ").replace(")", " ").replace("/", " ").replace("-", " ")
    tokens = set(words.split())
    for key, _label, needles in GROUPS:
        if any(needle in tokens or (len(needle) > 4 and needle in words) for needle in needles):
            return key
    return "andere"


def decidable_types(organisation: Organisation) -> list[DocumentType]:
    """The selectable types the body's kind may decide, sorted by label."""
    kind_uri = _kind_uri(organisation)
    types = [t for t in DocumentType.objects.filter(is_selectable=True) if _decides(kind_uri, t)]
    return sorted(types, key=lambda t: (fold(t.label), t.uri))


def decidable_type(organisation: Organisation, uri: str) -> DocumentType | None:
    """The type `uri` if it is one of `decidable_types(organisation)` (the same rule, without reading all 97 types
    when a clerk has chosen one)."""
    found = DocumentType.objects.filter(is_selectable=True, uri=uri).first() if uri else None
    return found if found is not None and _decides(_kind_uri(organisation), found) else None


def _kind_uri(organisation: Organisation) -> str:
    return organisation.kind.uri if organisation.kind_id else ""  # type: ignore[union-attr]


def _decides(kind_uri: str, document_type: DocumentType) -> bool:
    return bool(kind_uri) and kind_uri in document_type.decidable_by


def grouped(types: list[DocumentType], query: str = "") -> list[TypeGroup]:
    """The types in their groups (empty groups left out), filtered by every word of `query`."""
    words = fold(query).split()
    matching = [t for t in types if all(w in fold(f"{t.label} {t.definition}") for w in words)]
    by_key: dict[str, list[DocumentType]] = {}
    for document_type in matching:
        by_key.setdefault(group_of(document_type), []).append(document_type)
    return [TypeGroup(key, str(label), by_key[key]) for key, label, _needles in GROUPS if by_key.get(key)]
