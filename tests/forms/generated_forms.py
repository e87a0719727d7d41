"""Hypothesis strategies: random forms in the lblod form vocabulary (v1 and v2) with random data and code lists.

Forms are drawn from the vocabulary the real forms use — every built-in constraint type under the groupings
its real validator can run with (a real validator that throws makes the whole case incomparable), all four
severities, simple / list / inverse paths and paths to nowhere, conditional field groups, `form:rendersWhen`,
listings with filtered scopes and scoped fields — and data from a pool of tricky values.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .differential_corpus import DOC, META, PREFIXES, VALUES

LITERAL_PREDICATES = ("ex:p0", "ex:p1", "ex:p2")
URI_PREDICATES = ("ex:u0", "ex:u1")
LITERALS = tuple(v for v in VALUES if v and not v.startswith(("ex:", "<")))
URIS = ("ex:a", "ex:b", "ex:c", "<http://example.org/zz>")
NODES = ("ex:n1", "ex:n2", "ex:n3")
DISPLAY_TYPES = ("defaultInput", "textArea", "numericalInput", "date", "conceptSchemeSelector", "checkbox",
                 "files", "heading", "personSelector")  # fmt: skip

# type → (parameters, groupings its real validator can run with, value kind it may meet: "literal"/"any")
CONSTRAINTS = {
    "RequiredConstraint": ("", ("Bag", "MatchEvery", "MatchSome"), "any"),
    "ConceptSchemeConstraint": ("form:conceptScheme ex:scheme", ("Bag", "MatchEvery", "MatchSome"), "any"),
    "SingleCodelistValue": ("form:conceptScheme ex:scheme ; form:customValue ex:a", ("Bag",), "any"),
    "ContainsCodelistValue": ("form:conceptScheme ex:scheme ; form:customValue ex:b", ("Bag",), "any"),
    "Codelist": ("form:conceptScheme ex:scheme", ("MatchEvery", "MatchSome"), "any"),
    "ExactValueConstraint": ("form:customValue ex:a", ("MatchEvery", "MatchSome"), "any"),
    "MatchValues": ('form:valuesIn ( ex:a "x" )', ("Bag",), "any"),
    "UriConstraint": ("", ("MatchEvery", "MatchSome"), "any"),
    "ValidDate": ("", ("MatchEvery", "MatchSome"), "literal"),
    "ValidDateTime": ("", ("MatchEvery", "MatchSome"), "literal"),
    "DateInPast": ("", ("MatchEvery", "MatchSome"), "literal"),
    "ValidInteger": ("", ("MatchEvery", "MatchSome", "Bag"), "any"),
    "PositiveNumber": ("", ("MatchEvery", "MatchSome"), "any"),
    "ValidYear": ("", ("MatchEvery", "MatchSome"), "any"),
    "ValidBoolean": ("", ("MatchEvery", "MatchSome"), "literal"),
    "ValidEmail": ("", ("MatchEvery", "MatchSome"), "any"),
    "ValidIBAN": ("", ("MatchEvery", "MatchSome"), "any"),
    "ValidPhoneNumber": ('form:defaultCountry "BE"', ("MatchEvery", "MatchSome"), "any"),
    "MaxLength": ("form:max 4", ("MatchEvery", "MatchSome"), "any"),
    "VlabelSingleInstanceTaxRateOrExtraTaxRate": ("", ("Bag", "MatchEvery"), "any"),
    "HasOneNumberGreaterThanInFields": ("form:threshold 10", ("Bag",), "any"),
    "UnknownConstraint": ("", ("Bag", "MatchEvery"), "any"),
}
SEVERITIES = ("", "sh:severity sh:Violation ;", "sh:severity sh:Warning ;", "sh:severity sh:Info ;")


@st.composite
def paths(draw: st.DrawFn, kind: str) -> str:
    """A field or constraint path; literal-valued paths for validators that throw on an IRI."""
    predicate = draw(st.sampled_from(LITERAL_PREDICATES if kind == "literal" else LITERAL_PREDICATES + URI_PREDICATES))
    shape = draw(st.sampled_from(("simple", "simple", "simple", "list", "inverse")))
    if shape == "list":
        return f"( ex:link {predicate} )"
    if shape == "inverse":
        return f"( [ sh:inversePath ex:back ] {predicate} )"
    return predicate


@st.composite
def constraints(draw: st.DrawFn, path: str | None = None) -> str:
    name = draw(st.sampled_from(sorted(CONSTRAINTS)))
    params, groupings, kind = CONSTRAINTS[name]
    if path is None or (kind == "literal" and any(u in path for u in URI_PREDICATES)):
        path = draw(paths(kind))
    grouping = draw(st.sampled_from(groupings))
    severity = draw(st.sampled_from(SEVERITIES))
    prefix = "ex:" if name == "UnknownConstraint" else "form:"
    extra = f" ; {params}" if params else ""
    if name == "HasOneNumberGreaterThanInFields":
        extra += " ; sh:path ex:p1"
    return f"[ a {prefix}{name} ; form:grouping form:{grouping} ; {severity} sh:path {path}{extra} ]"


class FormBuilder:
    """Collects the Turtle of one generated form."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.count = 0

    def name(self, kind: str) -> str:
        self.count += 1
        return f"ex:{kind}{self.count}"


@st.composite
def fields(draw: st.DrawFn, builder: FormBuilder, depth: int, v2: bool) -> str:
    node = builder.name("field")
    path_kind = draw(st.sampled_from(("path", "path", "path", "path", "none", "nowhere")))
    path = draw(paths("any"))
    parts = [f"{node} a form:Field", f'sh:name "{node}"', f"sh:order {builder.count}"]
    if path_kind == "path":
        parts.append(f"sh:path {path}")
    elif path_kind == "nowhere":
        parts.append("sh:path [ sh:inversePath ex:back ]")
    parts.append(f"form:displayType <http://lblod.data.gift/display-types/{draw(st.sampled_from(DISPLAY_TYPES))}>")
    checks = draw(st.lists(constraints(path if path_kind == "path" and draw(st.booleans()) else None), max_size=3))
    if checks:
        parts.append(f"form:{'validatedBy' if v2 else 'validations'} " + ", ".join(checks))
    if draw(st.integers(0, 5)) == 0:
        parts.append(
            f"form:scope [ a form:Scope ; sh:path {draw(st.sampled_from(('ex:link', '( ex:item ex:link )')))} ]"
        )
    if v2 and draw(st.integers(0, 3)) == 0:
        parts.append("form:rendersWhen " + draw(constraints()))
    if depth < 2 and draw(st.integers(0, 2)) == 0:
        conditional, group = builder.name("conditional"), builder.name("group")
        members = draw(st.lists(fields(builder, depth + 1, v2), min_size=1, max_size=3))
        conditions = draw(st.lists(constraints(), min_size=1, max_size=2))
        builder.statements.append(
            f"{conditional} a form:ConditionalFieldGroup ; form:conditions {', '.join(conditions)} ;"
            f" form:hasFieldGroup {group} .\n{group} form:hasField {', '.join(members)} ."
        )
        parts.append(f"form:hasConditionalFieldGroup {conditional}")
    builder.statements.append(" ;\n  ".join(parts) + " .")
    return node


@st.composite
def listings(draw: st.DrawFn, builder: FormBuilder) -> str:
    node, sub_form = builder.name("listing"), builder.name("subform")
    scope_path = draw(
        st.sampled_from(("ex:item", "( ex:item )", "( ex:link ex:item )", "( [ sh:inversePath ex:back ] )"))
    )
    shape = draw(
        st.sampled_from(
            (
                "",
                "; form:constraint [ a sh:NodeShape ; sh:property [ sh:path rdf:type ; sh:hasValue ex:T1 ] ]",
                "; form:constraint [ a sh:NodeShape ; sh:not [ sh:path rdf:type ; sh:targetNode ex:T1 ] ]",
            )
        )
    )
    members = draw(st.lists(fields(builder, 2, True), min_size=1, max_size=3))
    builder.statements.append(
        f'{node} a form:Listing ; sh:name "{node}" ; form:each {sub_form} ;'
        f" form:scope [ a form:Scope ; sh:path {scope_path} {shape} ] .\n"
        f"{sub_form} a form:SubForm ; form:includes {', '.join(members)} ."
    )
    return node


@st.composite
def forms(draw: st.DrawFn) -> str:
    builder = FormBuilder()
    if draw(st.booleans()):
        items = draw(st.lists(fields(builder, 0, True), min_size=1, max_size=4))
        items += draw(st.lists(listings(builder), max_size=2))
        root = f"ex:form a form:Form, form:TopLevelForm ; form:includes {', '.join(items)} ."
    else:
        groups = []
        for _ in range(draw(st.integers(1, 2))):
            group = builder.name("group")
            members = draw(st.lists(fields(builder, 0, False), min_size=1, max_size=4))
            builder.statements.append(f"{group} form:hasField {', '.join(members)} .")
            groups.append(group)
        root = f"ex:form a form:Form ; form:hasFieldGroup {', '.join(groups)} ."
    return PREFIXES + root + "\n" + "\n".join(builder.statements) + "\n"


@st.composite
def data(draw: st.DrawFn) -> str:
    statements = []
    subjects = ("ex:doc", *NODES)
    for subject in subjects:
        for predicate in LITERAL_PREDICATES:
            values = draw(st.lists(st.sampled_from(LITERALS), max_size=2, unique=True))
            if values:
                statements.append(f"{subject} {predicate} {', '.join(values)} .")
        for predicate in URI_PREDICATES:
            values = draw(st.lists(st.sampled_from(URIS), max_size=2, unique=True))
            if values:
                statements.append(f"{subject} {predicate} {', '.join(values)} .")
    for predicate in ("ex:item", "ex:link"):
        for subject in subjects:
            targets = draw(st.lists(st.sampled_from(NODES), max_size=2, unique=True))
            if targets:
                statements.append(f"{subject} {predicate} {', '.join(targets)} .")
    for node in NODES:
        types = draw(st.lists(st.sampled_from(("ex:T1", "ex:T2")), max_size=2, unique=True))
        if types:
            statements.append(f"{node} a {', '.join(types)} .")
        if draw(st.booleans()):
            statements.append(f"{node} ex:back ex:doc .")
    return PREFIXES + "\n".join(statements) + "\n"


cases = st.tuples(forms(), data(), st.just(META), st.just(DOC))
