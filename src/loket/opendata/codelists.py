"""The code lists as a public dataset (`codelijsten`): every concept scheme the Loket's code lists
(`data/codelists/*.ttl`, reference data of the real Loket) declare or put concepts in, with its concepts (their
labels, notations, definitions…). One `CodeList` row per scheme holds its triples; a concept in two schemes is in
both graphs (the channels publish the union). The rows follow the files: a migration loads them, and
`manage.py opendata codelists` brings them up to date after the files changed (through the models, so the change
feed, the store, the dumps and the streams follow)."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from loket.core.linkeddata import new_graph, ntriples_lines, rdf_mapping, register_dataset
from loket.opendata.models import CodeList

register_dataset(
    "codelijsten",
    title="Codelijsten",
    description="De conceptschema's en concepten die het Loket gebruikt en publiceert (classificaties, types dossier, "
    "functies, statussen, beleidsdomeinen, bestuursperiodes…).",
    subjects=["http://data.lblod.info/id/concept/dataset-subject/codelijsten"],
)


def _folder() -> Path:
    return Path(settings.REPO_DIR) / "data" / "codelists"


def schemes_from_files(folder: Path | None = None) -> dict[str, tuple[str, str]]:
    """{scheme URI: (label, sorted N-Triples)} of every concept scheme in the code-list files."""
    everything = Graph()
    for path in sorted((folder or _folder()).glob("*.ttl")):
        everything.parse(path, format="turtle")
    schemes = set(everything.subjects(RDF.type, SKOS.ConceptScheme))
    schemes |= set(everything.objects(None, SKOS.inScheme)) | set(everything.objects(None, SKOS.topConceptOf))
    found = {}
    for scheme in sorted(s for s in schemes if isinstance(s, URIRef)):
        graph = Graph()
        graph += everything.cbd(scheme)
        members = set(everything.subjects(SKOS.inScheme, scheme)) | set(everything.subjects(SKOS.topConceptOf, scheme))
        for concept in members:
            graph += everything.cbd(concept)
        for s, p, o in list(graph):  # "…"^^xsd:string is "…" (RDF 1.1); stores keep the plain form
            if isinstance(o, Literal) and o.datatype == XSD.string:
                graph.remove((s, p, o))
                graph.add((s, p, Literal(str(o))))
        lines = sorted(set(ntriples_lines(graph)))
        label = next((str(o) for o in everything.objects(scheme, SKOS.prefLabel)), "")
        found[str(scheme)] = (label[:300], "\n".join(lines) + "\n")
    return found


@rdf_mapping(CodeList, dataset="codelijsten")  # every code list is public
def codelist_graph(codelist: CodeList):  # type: ignore[no-untyped-def]
    graph = new_graph()
    graph.parse(data=codelist.content, format="nt")
    return graph


def codelists_sync() -> tuple[int, int, int]:
    """Bring the rows up to date with the files: (created, changed, removed)."""
    wanted = schemes_from_files()
    created = changed = 0
    with transaction.atomic():
        present = {row.uri: row for row in CodeList.objects.all()}
        for uri, (label, content) in wanted.items():
            row = present.get(uri)
            if row is None:
                CodeList.objects.create(uri=uri, label=label, content=content)
                created += 1
            elif (row.label, row.content) != (label, content):
                row.label, row.content = label, content
                row.save()
                changed += 1
        gone = [row for uri, row in present.items() if uri not in wanted]
        for row in gone:
            row.delete()
    return created, changed, len(gone)
