"""Incoming triples of a resource for its HTML page: what in the public projection (the SPARQL store, so only public
data) points to the URI, with the pointing resource's label, 100 a page in a fixed order. Registered with
`core.linkeddata.incoming_provider_register`; when the store cannot answer now the page says so and shows none."""

import json

from django.conf import settings

from loket.core.linkeddata import INCOMING_PAGE_SIZE, IncomingPage, compact
from loket.opendata.sparql import QueryFailed, run_query

LABELS = (
    "<http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2000/01/rdf-schema#label>"
    "|<http://purl.org/dc/terms/title>|<http://xmlns.com/foaf/0.1/name>|<http://xmlns.com/foaf/0.1/familyName>"
    "|<http://www.w3.org/ns/regorg#legalName>|<https://www.w3.org/ns/regorg#legalName>"  # LMB writes https
)


def _safe_iri(uri: str) -> bool:
    return not any(character in uri for character in '<>"{}|^`\\ \n\r\t')


def incoming(uri: str, page: int) -> IncomingPage:
    if not _safe_iri(uri):
        return IncomingPage(rows=[], page=page, has_next=False)
    offset = (page - 1) * INCOMING_PAGE_SIZE
    query = (
        "SELECT ?s ?p (SAMPLE(?l) AS ?label) WHERE { "
        f"?s ?p <{uri}> . FILTER(isIRI(?s)) OPTIONAL {{ ?s {LABELS} ?l }} "
        f"}} GROUP BY ?s ?p ORDER BY ?s ?p LIMIT {INCOMING_PAGE_SIZE + 1} OFFSET {offset}"
    )
    try:
        answer = run_query(query, result_format="json")
        bindings = json.loads(answer.body)["results"]["bindings"]
    except (QueryFailed, ValueError, KeyError):
        return IncomingPage(rows=[], page=page, has_next=False, available=False)
    base = settings.LOKET_URI_BASE
    rows = []
    for binding in bindings[:INCOMING_PAGE_SIZE]:
        subject = binding["s"]["value"]
        predicate = binding["p"]["value"]
        rows.append(
            {
                "subject": subject,
                "subject_label": binding.get("label", {}).get("value", ""),
                "predicate": predicate,
                "predicate_label": compact(predicate),
                "href": subject[len(base) :] if subject.startswith(base + "/") else subject,
            }
        )
    return IncomingPage(rows=rows, page=page, has_next=len(bindings) > INCOMING_PAGE_SIZE)
