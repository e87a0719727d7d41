"""Extract the notification rules of the Toezicht document types (who may decide a type, from when until when).

    .venv/bin/python scripts/toezicht_v2/rules.py <bare git dir of lblod/app-digitaal-loket> \
        > data/codelists/notification-rules.ttl
"""

from __future__ import annotations

import subprocess
import sys

from rdflib import Graph, Namespace, URIRef

LBLOD = Namespace("http://lblod.data.gift/vocabularies/besluit/")
SCHEMA = Namespace("http://schema.org/")
SOURCE = "config/migrations/2026/20260202082700-Decisions-Types.ttl"
KEEP = (LBLOD.decidableBy, SCHEMA.validFrom, SCHEMA.validThrough, LBLOD.obligationToReport,
        URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))


def main() -> None:
    text = subprocess.run(["git", "-C", sys.argv[1], "show", f"HEAD:{SOURCE}"], capture_output=True, text=True,
                          check=True).stdout
    source = Graph().parse(data=text, format="turtle")
    out = Graph()
    out.bind("lblodBesluit", LBLOD)
    out.bind("schema", SCHEMA)
    for document_type, rule in source.subject_objects(LBLOD.notificationRule):
        out.add((document_type, LBLOD.notificationRule, rule))
        for predicate in KEEP:
            for value in source.objects(rule, predicate):
                out.add((rule, predicate, value))
    sys.stdout.write("# Notification rules of the Toezicht document types: which kinds of body may decide a type,\n")
    sys.stdout.write(f"# valid from/through. Source: lblod/app-digitaal-loket:{SOURCE} (facts, no code);\n")
    sys.stdout.write("# extracted by scripts/toezicht_v2/rules.py.\n")
    sys.stdout.write(out.serialize(format="turtle"))


if __name__ == "__main__":
    main()
