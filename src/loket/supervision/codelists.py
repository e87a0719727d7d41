"""Load the Toezicht code lists (document types, governing-body classifications) from the repo's Turtle files.

The publication flag of a document type starts from the real Loket's rules (see publication.py) and is data
afterwards: the helpdesk changes it in the back office, audited."""

from pathlib import Path
from typing import cast

from django.conf import settings
from django.db import transaction
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from loket.supervision.models import DocumentType
from loket.supervision.publication import PUBLIC_TYPE_LABELS

CODELISTS = settings.REPO_DIR / "data" / "codelists"
DOCUMENT_TYPE_SCHEME = URIRef("http://lblod.data.gift/concept-schemes/71e6455e-1204-46a6-abf4-87319f58eaa5")
DECIDABLE_BY = URIRef("http://lblod.data.gift/vocabularies/besluit/decidableBy")
GOVERNING_BODY_CLASSIFICATION = "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/"


NOTIFICATION_RULE = URIRef("http://lblod.data.gift/vocabularies/besluit/notificationRule")


def document_types_graph(path: Path | None = None) -> Graph:
    graph = Graph().parse(path or CODELISTS / "document-types.ttl", format="turtle")
    rules = CODELISTS / "notification-rules.ttl"
    if path is None and rules.exists():
        graph.parse(rules, format="turtle")
    return graph


def decidable_by(graph: Graph, concept: URIRef) -> list[str]:
    """The kinds of body that may decide a type: its own decidableBy and that of every notification rule of it."""
    kinds = set(graph.objects(concept, DECIDABLE_BY))
    for rule in graph.objects(concept, NOTIFICATION_RULE):
        kinds.update(graph.objects(rule, DECIDABLE_BY))
    return sorted(str(kind) for kind in kinds)


@transaction.atomic
def document_types_load(path: Path | None = None) -> int:
    """Create or update the document types of the scheme; a flag the helpdesk set is kept on update."""
    graph = document_types_graph(path)
    count = 0
    concepts = cast(set[URIRef], set(graph.subjects(SKOS.inScheme, DOCUMENT_TYPE_SCHEME)))  # a scheme's: URIs
    for concept in sorted(concepts):
        label = str(graph.value(concept, SKOS.prefLabel) or concept)
        DocumentType.objects.update_or_create(
            uri=str(concept),
            defaults={
                "label": label,
                "definition": str(graph.value(concept, SKOS.definition) or ""),
                "decidable_by": decidable_by(graph, concept),
            },
            create_defaults={
                "label": label,
                "definition": str(graph.value(concept, SKOS.definition) or ""),
                "decidable_by": decidable_by(graph, concept),
                "is_public": label in PUBLIC_TYPE_LABELS,
            },
        )
        count += 1
    return count
