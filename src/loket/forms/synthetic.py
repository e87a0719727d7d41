"""Generated forms of the real toezicht form's shape, for scale tests and the benchmark.

The shape follows the live form: one v1 form, a common field group whose "Type dossier" selector carries one
conditional group per dossier type (SingleCodelistValue on rdf:type), each adding a group of fields reused
across types; a few sub-selectors inside those groups carry further conditional groups of their own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .collect import collect_post
from .decide import applicable_fields
from .model import FormDefinition
from .names import field_name
from .paths import DataContext

PREFIXES = """@prefix form: <http://lblod.data.gift/vocabularies/forms/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix displayTypes: <http://lblod.data.gift/display-types/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix fields: <http://data.lblod.info/fields/> .
@prefix groups: <http://data.lblod.info/field-groups/> .
@prefix ext: <http://mu.semte.ch/vocabularies/ext/> .
@prefix schemes: <http://lblod.data.gift/concept-schemes/> .
@prefix concepts: <http://lblod.data.gift/concepts/> .
"""

# (display type, validations) for the pool of dossier-type fields
_KINDS = [
    ("defaultInput", ["required", "maxlength"]),
    ("textArea", ["maxlength"]),
    ("numericalInput", ["positive"]),
    ("date", ["required", "date", "past"]),
    ("dateTime", ["datetime"]),
    ("files", ["required"]),
    ("remoteUrls", []),
    (None, ["uri"]),
    ("alert", []),
    ("checkbox", ["boolean"]),
]


@dataclass(frozen=True, slots=True)
class SyntheticForm:
    form_ttl: str
    meta_ttl: str
    type_count: int
    field_count: int
    conditional_group_count: int


def _validation(kind: str, path: str) -> str:
    body = {
        "required": "a form:RequiredConstraint ; form:grouping form:Bag",
        "maxlength": "a form:MaxLength ; form:grouping form:MatchEvery ; form:max 5000",
        "positive": "a form:PositiveNumber ; form:grouping form:MatchEvery",
        "date": "a form:ValidDate ; form:grouping form:MatchEvery",
        "past": "a form:DateInPast ; form:grouping form:MatchEvery ; sh:severity sh:Warning",
        "datetime": "a form:ValidDateTime ; form:grouping form:MatchEvery",
        "boolean": "a form:ValidBoolean ; form:grouping form:MatchEvery",
        "uri": "a form:UriConstraint ; form:grouping form:MatchEvery",
    }[kind]
    return f'[ {body} ; sh:path {path} ; sh:resultMessage "Controleer dit veld ({kind})." ]'


def _field(name: str, label: str, order: int, path: str, display: str | None, checks: list[str]) -> str:
    parts = [f"fields:{name} a form:Field", f'sh:name "{label}"', f"sh:order {order}", f"sh:path {path}"]
    if display:
        parts.append(f"form:displayType displayTypes:{display}")
    if checks:
        parts.append("form:validations " + ", ".join(_validation(c, path) for c in checks))
    parts.append('form:help "<p>Hulptekst bij dit veld.</p>"')
    parts.append(f'sh:description "Beschrijving van {label}."')
    parts.append(f"sh:group groups:section-{order % 10}")
    return " ;\n  ".join(parts) + " .\n"


def generate(
    *, types: int = 96, pool: int = 148, selectors: int = 6, concepts_per_selector: int = 15, seed: int = 7
) -> SyntheticForm:
    """A form with 1 + selectors + pool fields and types + selectors * concepts conditional groups."""
    rng = random.Random(seed)
    out = [PREFIXES, "<http://data.lblod.info/forms/synthetic> a form:Form ; form:hasFieldGroup groups:common .\n"]
    meta = [PREFIXES]
    out.append("groups:common a form:FieldGroup ; form:hasField fields:type, fields:title, fields:hidden-url .\n")
    out.append(_field("title", "Titel", 2, "ext:title", "defaultInput", ["maxlength"]))
    out.append(_field("hidden-url", "Link", 3, "( ext:hasPart ext:url )", None, ["uri"]))
    type_field = _field("type", "Type dossier", 1, "rdf:type", "conceptSchemeSelector", ["required"])
    type_field = type_field.replace(
        " .\n",
        ' ;\n  form:options """{"conceptScheme":"http://lblod.data.gift/concept-schemes/types"}""" ;\n'
        "  form:validations [ a form:ConceptSchemeConstraint ; form:grouping form:Bag ; sh:path rdf:type ;\n"
        "    form:conceptScheme schemes:types ] ;\n  form:hasConditionalFieldGroup "
        + ", ".join(f"groups:cg-type-{i}" for i in range(types))
        + " .\n",
    )
    out.append(type_field)
    for section in range(10):
        out.append(
            f'groups:section-{section} a form:PropertyGroup ; sh:name "Sectie {section}" ; sh:order {section} .\n'
        )
    pool_names = []
    for index in range(pool):
        display, checks = _KINDS[index % len(_KINDS)]
        name = f"pool-{index}"
        pool_names.append(name)
        path = f"ext:value{index}" if index % 7 else f"( ext:part{index} ext:value{index} )"
        out.append(_field(name, f"Veld {index}", 10 + index, path, display, checks))
    for s in range(selectors):
        groups_ = ", ".join(f"groups:cg-sel-{s}-{c}" for c in range(concepts_per_selector))
        out.append(
            _field(f"sel-{s}", f"Soort {s}", 5 + s, f"ext:kind{s}", "conceptSchemeRadioButtons", []).replace(
                " .\n",
                f" ;\n  form:hasConditionalFieldGroup {groups_} ;\n  form:options "
                f'"""{{"conceptScheme":"http://lblod.data.gift/concept-schemes/sel-{s}"}}""" .\n',
            )
        )
        for c in range(concepts_per_selector):
            meta.append(f'concepts:sel-{s}-{c} skos:inScheme schemes:sel-{s} ; skos:prefLabel "Soort {s}.{c}"@nl .\n')
            members = ", ".join(f"fields:{n}" for n in rng.sample(pool_names, 3))
            out.append(
                f"groups:cg-sel-{s}-{c} a form:ConditionalFieldGroup ;\n"
                "  form:conditions [ a form:SingleCodelistValue ;"
                f" form:grouping form:Bag ; sh:path ext:kind{s} ; form:conceptScheme schemes:sel-{s} ;"
                f" form:customValue concepts:sel-{s}-{c} ] ;\n  form:hasFieldGroup groups:sel-{s}-{c} .\n"
                f"groups:sel-{s}-{c} a form:FieldGroup ; form:hasField {members} .\n"
            )
    for i in range(types):
        meta.append(f'concepts:type-{i} skos:inScheme schemes:types ; skos:prefLabel "Dossiertype {i}"@nl .\n')
        type_members = [f"fields:{n}" for n in rng.sample(pool_names, 20)] + [f"fields:sel-{i % selectors}"]
        out.append(
            f"groups:cg-type-{i} a form:ConditionalFieldGroup ;\n  form:conditions [ a form:SingleCodelistValue ;"
            f" form:grouping form:Bag ; sh:path rdf:type ; form:conceptScheme schemes:types ;"
            f" form:customValue concepts:type-{i} ] ;\n  form:hasFieldGroup groups:type-{i} .\n"
            f"groups:type-{i} a form:FieldGroup ; form:hasField {', '.join(type_members)} .\n"
        )
    return SyntheticForm(
        form_ttl="".join(out),
        meta_ttl="".join(meta),
        type_count=types,
        field_count=3 + pool + selectors,
        conditional_group_count=types + selectors * concepts_per_selector,
    )


def sample_post_value(display: str, index: int) -> list[str]:
    """A plausible posted value for a widget of the given display type."""
    return {
        "defaultInput": [f"Tekst {index}"],
        "textArea": [f"Een langere omschrijving {index}."],
        "numericalInput": [str(index)],
        "date": ["2024-03-15"],
        "dateTime": ["2024-03-15T10:30"],
        "remoteUrls": [f"https://example.org/doc-{index}.pdf", ""],
        "checkbox": ["1"],
    }.get(display, [])


SUBMISSION = "http://data.lblod.info/submission-documents/synthetic-1"


def build_submission(definition: FormDefinition, meta: Graph, *, type_index: int = 3) -> Graph:
    """A filled-in submission for one dossier type, written through the same collect path as the UI."""
    node = URIRef(SUBMISSION)
    source = Graph()
    source.add((node, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Document")))
    context = DataContext(source=source, meta=meta)
    posted: dict[str, list[str]] = {
        field_name(URIRef("http://data.lblod.info/fields/type"), node): [
            f"http://lblod.data.gift/concepts/type-{type_index}"
        ]
    }
    uploads: dict[str, list[str]] = {}

    def store_file(upload: str) -> URIRef:
        return URIRef(f"http://data.lblod.info/files/{upload}")

    for _round in range(3):  # conditional groups open up as values arrive
        for index, target in enumerate(applicable_fields(definition, context, node)):
            name = field_name(target.node, node)
            display = str(target.display_type).rsplit("/", 1)[-1] if target.display_type else ""
            if display == "conceptSchemeRadioButtons" and target.concept_scheme is not None:
                posted.setdefault(name, [f"{str(target.concept_scheme).replace('concept-schemes', 'concepts')}-1"])
            elif display in {"files", "files/variation/1"}:
                uploads[name + "__upload"] = [f"bijlage-{index}.pdf"]
            elif name not in posted:
                posted[name] = sample_post_value(display, index)
        collect_post(definition, context, node, posted, files=uploads, store_file=store_file)
    source.add((node, URIRef("http://mu.semte.ch/vocabularies/ext/hasPart"), URIRef(SUBMISSION + "/part")))
    source.add(
        (URIRef(SUBMISSION + "/part"), URIRef("http://mu.semte.ch/vocabularies/ext/url"), Literal("https://x.be/a"))
    )
    return source
