"""Extract the code lists the Toezicht form's selectors use from app-digitaal-loket's migrations.

    .venv/bin/python scripts/toezicht_v2/codelists.py <bare git dir of lblod/app-digitaal-loket> \
        > data/codelists/toezicht-form-codelists.ttl

Replays (in filename order, as the migration service does) every migration file that names one of the schemes
into an in-memory store and keeps, per scheme, the concepts with their labels, broader concept and order.
"""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

SCHEMES = """0b93ef1c-4435-4922-8611-31b4f3ca3c85 27f40c36-141d-42e9-bed8-fea1a47c4869 4e719768-d43b-4ca1-ab92-b463e15721f5
56ef78a0-5ab4-4548-b995-fd995703183c 5cecec47-ba66-4d7a-ac9d-a1e7962ca4e2 5d05a003-4692-4aff-9e93-325db2aefb8a
60d620a5-ec34-4a91-ba84-fff0813d0ccc 7856206c-dfda-4163-8bd3-f465c794eced 91655ebf-5ab7-43c4-b587-094536baf737
a995bb71-3c87-4385-a06b-a786f2fa0d16 b65b15ba-6755-4cd2-bd07-2c2cf3c0e4d3 ba36f197-1a96-4ea2-a7f7-3b5c7ffcd6ee
c2e7699a-b543-443c-b8b2-b60bef8767dc c7d95519-9ef1-402b-b824-56ec3b1a0f61""".split()
BASE = "http://lblod.data.gift/concept-schemes/"
KEEP = [SKOS.prefLabel, SKOS.inScheme, SKOS.topConceptOf, SKOS.broader, SKOS.notation,
        URIRef("http://purl.org/linked-data/cube#order"), URIRef("http://www.w3.org/ns/shacl#order")]


def git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True, check=True).stdout


def main() -> None:
    repo = sys.argv[1]
    files = set()
    for scheme in SCHEMES:
        found = subprocess.run(["git", "-C", repo, "grep", "-l", scheme, "HEAD", "--", "config/migrations"],
                               capture_output=True, text=True).stdout
        files.update(line.split(":", 1)[1] for line in found.splitlines() if ":" in line)
    store = ox.Store()
    used, failed = [], []
    for path in sorted(files, key=lambda p: p.rsplit("/", 1)[-1]):
        text = git(repo, "show", f"HEAD:{path}")
        try:
            if path.endswith(".ttl"):
                store.load(text.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
            else:
                # some files use xsd: without declaring it (Virtuoso knows it)
                declared = "PREFIX xsd:" in text or "prefix xsd:" in text
                store.update(("" if declared else "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n") + text)
            used.append(path)
        except (SyntaxError, ValueError, OSError) as error:
            failed.append(f"{path} ({str(error).splitlines()[0][:60]})")
    graph = Graph()
    for quad in store:
        s, p, o = (URIRef(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else None,
                   URIRef(quad.predicate.value), quad.object)
        if s is None:
            continue
        graph.add((s, p, _term(o)))
    out = Graph()
    out.bind("skos", SKOS)
    out.bind("cs", BASE)
    for scheme in SCHEMES:
        uri = URIRef(BASE + scheme)
        for label in graph.objects(uri, SKOS.prefLabel):
            out.add((uri, SKOS.prefLabel, label))
        out.add((uri, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SKOS.ConceptScheme))
        for concept in set(graph.subjects(SKOS.inScheme, uri)):
            out.add((concept, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SKOS.Concept))
            for predicate in KEEP:
                for value in graph.objects(concept, predicate):
                    if predicate in (SKOS.inScheme, SKOS.topConceptOf) and value != uri:
                        continue
                    out.add((concept, predicate, value))
    sys.stdout.write("# Code lists of the Toezicht form's selectors (facts, no code)\n")
    sys.stdout.write("# Source: lblod/app-digitaal-loket:config/migrations, replayed in filename order by\n")
    sys.stdout.write("# scripts/toezicht_v2/codelists.py. Files replayed:\n")
    for path in used:
        sys.stdout.write(f"#   {path}\n")
    for path in failed:
        sys.stdout.write(f"#   (not replayable, left out) {path}\n")
    sys.stdout.write(out.serialize(format="turtle"))


def _term(node):
    from rdflib import BNode, Literal

    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    if isinstance(node, ox.BlankNode):
        return BNode(node.value)
    if node.language:
        return Literal(node.value, lang=node.language)
    return Literal(node.value, datatype=URIRef(node.datatype.value))


if __name__ == "__main__":
    main()
