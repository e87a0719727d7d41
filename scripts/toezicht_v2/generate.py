"""Write Loket's Toezicht form, version 2, from the facts of a Toezicht form file.

    .venv/bin/python scripts/toezicht_v2/generate.py <toezicht forms.ttl> > src/loket/supervision/forms_data/toezicht-v2.ttl

What carries over are facts: which document type (and which governing body, tax kind, adoption…) asks for which
field, and each field's label, path, display type, options, constraints and conditions. Everything else is ours:
node URIs under Loket's own base (named after what they are, not numbered by uuid), the sections a person sees
("Inzending", "Documenten", "Gegevens per type dossier"), the order numbers (renumbered), the names of hidden
fields, the English literals beside the Dutch, and the layout of the Turtle. A field group that lists a field
no triple defines is written without it (the real library has nothing to check for it either). The input file
is not part of the repository.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SKOS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from english import LABELS, MESSAGES

FORM = Namespace("http://lblod.data.gift/vocabularies/forms/")
SH = Namespace("http://www.w3.org/ns/shacl#")
DISPLAY = Namespace("http://lblod.data.gift/display-types/")
MU = Namespace("http://mu.semte.ch/vocabularies/core/")
BASE = "http://data.lblod.info/loket/"
OURS = {
    "fields": BASE + "fields/toezicht-v2/",
    "groups": BASE + "field-groups/toezicht-v2/",
    "when": BASE + "conditional-field-groups/toezicht-v2/",
    "sections": BASE + "sections/toezicht-v2/",
}
FORM_URI = BASE + "forms/toezicht/v2"
REPO = Path(__file__).resolve().parents[2]
CODELISTS = REPO / "data" / "codelists"

PREFIXES = {
    "form": str(FORM),
    "sh": str(SH),
    "displayTypes": str(DISPLAY),
    "fieldOption": "http://lblod.data.gift/vocabularies/form-field-options/",
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": str(SKOS),
    "dct": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "mandaat": "http://data.vlaanderen.be/ns/mandaat#",
    "lblodBesluit": "http://lblod.data.gift/vocabularies/besluit/",
    "elod": "http://linkedeconomy.org/ontology#",
    "prov": "http://www.w3.org/ns/prov#",
    "nfo": "http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#",
    "nie": "http://www.semanticdesktop.org/ontologies/2007/01/19/nie#",
    "schema": "http://schema.org/",
    "ext": "http://mu.semte.ch/vocabularies/ext/",
    "melding": "http://lblod.data.gift/vocabularies/automatische-melding/",
    "BesluitType": "https://data.vlaanderen.be/id/concept/BesluitType/",
    "BesluitDocumentType": "https://data.vlaanderen.be/id/concept/BesluitDocumentType/",
    "orgaanCode": "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/",
    "eenheidCode": "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/",
    "cs": "http://lblod.data.gift/concept-schemes/",
    **OURS,
}

HIDDEN_LABELS = {
    "Bestuursorgaan classificatie code [hidden input]": (
        "Classificatie van het bestuursorgaan (verborgen)",
        "Classification of the governing body (hidden)",
    ),
    "Bestuurseenheid classificatie code [hidden input]": (
        "Classificatie van het bestuur (verborgen)",
        "Classification of the authority (hidden)",
    ),
    "Type RemoteDataObject or FileDataObject [hidden input]": (
        "Soort van elk document: bestand of link (verborgen)",
        "Kind of each document: file or link (hidden)",
    ),
    "RemoteDataObject/url [hidden input]": ("Adres van elke link (verborgen)", "Address of each link (hidden)"),
    "Differentiatie [hidden input]": ("Differentiatie (verborgen)", "Differentiation (hidden)"),
    "TaxType type [hidden input]": ("Soort tarief (verborgen)", "Kind of rate (hidden)"),
    "Related submission [hidden input]": ("Gerelateerde inzending (verborgen)", "Related submission (hidden)"),
    "Hidden field type artikel": ("Soort van elk artikel (verborgen)", "Kind of each article (hidden)"),
    "Hidden field type document": (
        "Type document van elk artikel (verborgen)",
        "Document type of each article (hidden)",
    ),
    "Hidden field refers to": (
        "Document waarnaar elk artikel verwijst (verborgen)",
        "Document each article refers to (hidden)",
    ),
}
SECTIONS = [
    ("inzending", "Inzending", "Submission", 1),
    ("documenten", "Documenten", "Documents", 2),
    ("gegevens", "Gegevens per type dossier", "Details for this type of dossier", 3),
]
MAIN_PATH_WORDS = ("rdf-syntax-ns#type", "passed_by", "startedAtTime", "isGehoudenDoor", "authenticityType")
SKIPPED_ON_CONSTRAINTS = {RDF.type, SH.path, FORM.grouping, SH.severity, SH.resultMessage, MU.uuid, SH.order}


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", re.sub(r"<[^>]+>", " ", text)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:7]) or "veld"


class Writer:
    def __init__(self, real: Graph) -> None:
        self.real = real
        self.labels = Graph()
        for name in ("document-types.ttl", "governing-body-classifications.ttl", "organisation-classifications.ttl"):
            if (CODELISTS / name).exists():
                self.labels.parse(CODELISTS / name, format="turtle")
        self.root = next(real.subjects(RDF.type, FORM.Form))
        self.defined = set(real.subjects(RDF.type, FORM.Field))
        self.names: dict[URIRef, str] = {}
        self.skipped: list[str] = []
        self._name_fields()
        self.orders = self._orders()

    # -- naming ---------------------------------------------------------------------------------------------
    def _name_fields(self) -> None:
        used: dict[str, int] = defaultdict(int)

        def key(field: URIRef) -> tuple:
            return (float(str(self.real.value(field, SH.order) or 0)), self.path_text(field), str(self.label(field)))

        for field in sorted(self.defined, key=key):
            base = slug(self.dutch_label(field))
            used[base] += 1
            self.names[field] = f"fields:{base}" + (f"-{used[base]}" if used[base] > 1 else "")

    def _orders(self) -> dict[URIRef, int]:
        ranked = sorted(
            self.defined, key=lambda f: (float(str(self.real.value(f, SH.order) or 0)), self.names[f])
        )
        return {field: (rank + 1) * 10 for rank, field in enumerate(ranked)}

    def label(self, node: URIRef) -> Literal | None:
        value = self.real.value(node, SH.name)
        return value if isinstance(value, Literal) else None

    def dutch_label(self, field: URIRef) -> str:
        text = str(self.label(field) or "")
        return HIDDEN_LABELS.get(text, (text, ""))[0]

    def concept_label(self, concept: URIRef) -> str:
        for label in self.labels.objects(concept, SKOS.prefLabel):
            return str(label)
        return str(concept).rsplit("/", 1)[-1][:8]

    # -- terms ----------------------------------------------------------------------------------------------
    def term(self, node) -> str:
        if isinstance(node, Literal):
            return node.n3()
        if isinstance(node, BNode) and (node, RDF.first, None) in self.real:
            return "( " + " ".join(self.term(item) for item in Collection(self.real, node)) + " )"
        if isinstance(node, BNode):
            inner = " ; ".join(f"{self.term(p)} {self.term(o)}" for p, o in self.real.predicate_objects(node))
            return f"[ {inner} ]"
        text = str(node)
        if node == RDF.type:
            return "rdf:type"
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            local = text[len(namespace) :]
            if text.startswith(namespace) and re.fullmatch(r"[A-Za-z0-9_-]*[A-Za-z0-9_]", local or "-"):
                if not local[:1].isdigit() or prefix in {"BesluitType", "BesluitDocumentType", "orgaanCode", "eenheidCode", "cs"}:
                    return f"{prefix}:{local}"
        return f"<{text}>"

    def path_text(self, node) -> str:
        path = self.real.value(node, SH.path)
        return self.term(path) if path is not None else ""

    def texts(self, predicate: str, dutch: str, english: str) -> str:
        parts = [Literal(dutch, lang="nl").n3()]
        if english:
            parts.append(Literal(english, lang="en").n3())
        return f"{predicate} " + ", ".join(parts)

    # -- pieces ---------------------------------------------------------------------------------------------
    def constraint(self, node, indent: str) -> str:
        kind = self.real.value(node, RDF.type)
        lines = [f"a {self.term(kind)}"]
        for predicate in (FORM.grouping, SH.path, SH.severity):
            value = self.real.value(node, predicate)
            if value is not None:
                lines.append(f"{self.term(predicate)} {self.term(value)}")
        for predicate, value in sorted(self.real.predicate_objects(node)):
            if predicate not in SKIPPED_ON_CONSTRAINTS:
                lines.append(f"{self.term(predicate)} {self.term(value)}")
        message = self.real.value(node, SH.resultMessage)
        if message is not None:
            lines.append(self.texts("sh:resultMessage", str(message), MESSAGES.get(str(message), "")))
        return "[ " + f" ;\n{indent}  ".join(lines) + " ]"

    def section_of(self, field: URIRef) -> str:
        display = str(self.real.value(field, FORM.displayType) or "")
        path = self.path_text(field) + " " + " ".join(str(o) for o in self.real.objects(self.real.value(field, SH.path), None))
        full_path = self._full_path(field)
        if display.endswith(("/files", "/remoteUrls", "variation/1")) or "hasPart" in full_path:
            return "sections:documenten"
        if display.endswith("/alert") or (any(word in full_path for word in MAIN_PATH_WORDS) and "taxRate" not in path):
            if not display.endswith("/heading"):
                return "sections:inzending"
        return "sections:gegevens"

    def _full_path(self, field: URIRef) -> str:
        path = self.real.value(field, SH.path)
        found: list[str] = []

        def walk(node) -> None:
            if node is None:
                return
            if isinstance(node, URIRef):
                found.append(str(node))
                return
            for _, value in self.real.predicate_objects(node):
                walk(value)

        walk(path)
        return " ".join(found)

    def field(self, field: URIRef, conditions: dict[URIRef, str]) -> str:
        name = self.names[field]
        text = str(self.label(field) or "")
        dutch, english = HIDDEN_LABELS.get(text, (text, LABELS.get(text, "")))
        lines = [f"{name} a form:Field", self.texts("sh:name", dutch, english), f"sh:order {self.orders[field]}"]
        if (path := self.real.value(field, SH.path)) is not None:
            lines.append(f"sh:path {self.term(path)}")
        if (display := self.real.value(field, FORM.displayType)) is not None:
            lines.append(f"form:displayType {self.term(display)}")
            lines.append(f"sh:group {self.section_of(field)}")
        for predicate in (FORM.help, FORM.options, FORM.defaultValue):
            for value in self.real.objects(field, predicate):
                literal = Literal(str(value), lang="nl") if predicate == FORM.help else value
                lines.append(f"{self.term(predicate)} {self.term(literal)}")
        for predicate, value in sorted(self.real.predicate_objects(field)):
            if str(predicate).startswith(PREFIXES["fieldOption"]):
                lines.append(f"{self.term(predicate)} {self.term(value)}")
        validations = sorted(self.real.objects(field, FORM.validations), key=lambda n: self.constraint(n, ""))
        if validations:
            body = ",\n        ".join(self.constraint(v, "        ") for v in validations)
            lines.append(f"form:validations\n        {body}")
        groups = sorted(conditions[c] for c in self.real.objects(field, FORM.hasConditionalFieldGroup))
        if groups:
            lines.append("form:hasConditionalFieldGroup " + ", ".join(groups))
        return " ;\n    ".join(lines) + " .\n"

    def condition_names(self) -> dict[URIRef, str]:
        used: dict[str, int] = defaultdict(int)
        names: dict[URIRef, str] = {}

        def describe(group: URIRef) -> str:
            values = []
            for condition in self.real.objects(group, FORM.conditions):
                for value in self.real.objects(condition, FORM.customValue):
                    values.append(self.concept_label(value))
                listed = self.real.value(condition, FORM.valuesIn)
                if listed is not None:
                    values.append(f"{len(list(Collection(self.real, listed)))} types")
            return slug(" ".join(values)) if values else "groep"

        for group in sorted(self.real.subjects(RDF.type, FORM.ConditionalFieldGroup), key=lambda g: (describe(g), self.fields_text(g))):
            base = describe(group)
            used[base] += 1
            names[group] = f"when:{base}" + (f"-{used[base]}" if used[base] > 1 else "")
        return names

    def fields_text(self, group: URIRef) -> str:
        return " ".join(sorted(self.names.get(f, str(f)) for fg in self.real.objects(group, FORM.hasFieldGroup) for f in self.real.objects(fg, FORM.hasField)))

    def field_group(self, name: str, group: URIRef, comment: str) -> str:
        members = []
        for field in self.real.objects(group, FORM.hasField):
            if field in self.names:
                members.append(self.names[field])
            else:
                self.skipped.append(f"{name} lists {field}, which no triple defines")
        members.sort(key=lambda n: n)
        listing = ",\n        ".join(members)
        return f"# {comment}\n{name} a form:FieldGroup ;\n    form:hasField\n        {listing} .\n"

    def write(self) -> str:
        conditions = self.condition_names()
        out: list[str] = [HEADER]
        out.extend(f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items())
        out.append("")
        root_groups = list(self.real.objects(self.root, FORM.hasFieldGroup))
        out.append(
            f"<{FORM_URI}> a form:Form ;\n    form:targetType melding:FormData ;\n"
            "    form:hasFieldGroup groups:alle-dossiers .\n"
        )
        for key, dutch, english, order in SECTIONS:
            out.append(
                f"sections:{key} a form:PropertyGroup ; {self.texts('sh:name', dutch, english)} ; sh:order {order} ."
            )
        out.append("")
        for group in root_groups:
            out.append(self.field_group("groups:alle-dossiers", group, "Asked for every type of dossier"))
        out.append("# -- fields, in display order " + "-" * 80)
        for field in sorted(self.defined, key=lambda f: self.orders[f]):
            out.append(self.field(field, conditions))
        out.append("# -- conditions: which type of dossier (and which organ, kind of tax …) asks for what " + "-" * 20)
        for group, name in sorted(conditions.items(), key=lambda item: item[1]):
            body = ",\n        ".join(
                self.constraint(c, "        ")
                for c in sorted(self.real.objects(group, FORM.conditions), key=lambda n: self.constraint(n, ""))
            )
            group_name = name.replace("when:", "groups:")
            out.append(
                f"{name} a form:ConditionalFieldGroup ;\n    form:conditions\n        {body} ;\n"
                f"    form:hasFieldGroup {group_name} .\n"
            )
            for field_group in self.real.objects(group, FORM.hasFieldGroup):
                out.append(self.field_group(group_name, field_group, f"the fields {name} adds"))
        if self.skipped:
            out.append("# Left out: " + "; ".join(sorted(set(self.skipped))))
        return "\n".join(out) + "\n"


HEADER = """# Toezicht form, version 2 — what a submission to the supervisor asks for, per type of dossier, as the live
# Loket asks it (the same fields, constraints and conditions for every document type of the code list).
# Written for Loket in the lblod form vocabulary (v1 model: field groups + conditional field groups), generated
# by scripts/toezicht_v2/generate.py: our own node names, sections, order numbers and English literals.
# A sent submission records this file's name and SHA-256; change the form by adding a new version.
"""


def main() -> None:
    real = Graph().parse(sys.argv[1], format="turtle")
    sys.stdout.write(Writer(real).write())


if __name__ == "__main__":
    main()
