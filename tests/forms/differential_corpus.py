"""The hand-written corpus of the differential test: every constraint type under every grouping and severity
on a pool of values, and forms for every display type, v1/v2 conditional, listing and scope."""

from __future__ import annotations

from dataclasses import dataclass, field

PREFIXES = """@prefix form: <http://lblod.data.gift/vocabularies/forms/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix displayTypes: <http://lblod.data.gift/display-types/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ext: <http://mu.semte.ch/vocabularies/ext/> .
@prefix lblodBesluit: <http://lblod.data.gift/vocabularies/besluit/> .
@prefix schema: <http://schema.org/> .
@prefix ex: <http://example.org/> .
"""
DOC = "http://example.org/doc"
META = (
    PREFIXES
    + """
ex:a skos:inScheme ex:scheme ; skos:prefLabel "A"@nl . ex:b skos:inScheme ex:scheme ; skos:prefLabel "B"@nl .
ex:c skos:inScheme ex:other ; skos:prefLabel "C"@nl .
"""
)


@dataclass(frozen=True)
class Case:
    name: str
    form: str
    data: tuple[str, ...]
    meta: str = META
    notes: dict[str, str] = field(default_factory=dict)


# Values of ex:p on ex:doc (Turtle object lists); every constraint type meets all of them.
VALUES = (
    "",
    '""',
    '"   "',
    '"x"',
    '"", "x"',
    "ex:a",
    "ex:a, ex:b",
    "ex:c",
    "<http://example.org/zz>",
    '"http://example.org/a"',
    '"2020-01-01"^^xsd:date',
    '"2024-02-30"^^xsd:date',
    '"2999-01-01"^^xsd:date',
    '"2020-1-1"^^xsd:date',
    '"2020-01-01T10:00:00Z"^^xsd:dateTime',
    '"2020-01-01T10:00:00"^^xsd:dateTime',
    '"2020-01-01T10:00:00.123+02:00"^^xsd:dateTime',
    '"2020-13-01T10:00:00Z"^^xsd:dateTime',
    '"2999-01-01T00:00:00Z"^^xsd:dateTime',
    '"2020-01-01"',
    "42",
    "-3",
    "1.5",
    '"007"^^xsd:integer',
    '"abc"^^xsd:integer',
    '"0x1A"',
    '"1e3"',
    '"9007199254740993"',
    '"true"^^xsd:boolean',
    '"1"^^xsd:boolean',
    '"hallo"@nl',
    '""@nl',
    '"hallo"@en',
    '""@nl, "hallo"@nl',
    '"https://www.vlaanderen.be/x?y=1#z"',
    '"http://localhost:8080/x"',
    '"ftp://files.example.com/a"',
    '"www.example.com"',
    '"mailto:jan@example.org"',
    '"http://192.168.0.1/x"',
    '"http://-bad-.example.com"',
    '"jan.peeters@example.org"',
    '"jan@"',
    '"jan@localhost"',
    '"BE68539007547034"',
    '"BE68 5390 0754 7034"',
    '"be68539007547034"',
    '"BE00539007547034"',
    '"NL91ABNA0417164300"',
    '"+32 2 123 45 67"',
    '"02 123 45 67"',
    '"0471 12 34 56"',
    '"123"',
    '"1999"',
    '"99999"',
    '"٢٠٢٠"',
    '"abcdef"',
    '"abc"',
    '"12345678"^^xsd:decimal',
    '"3"^^xsd:decimal',
)

TABLE_VALUES = (
    'ex:t . ex:t ext:applicationFormEntry ex:e1 . ex:e1 ext:actorName "A" ; ext:numberChildrenForFullDay 1 ; '
    "ext:numberChildrenForHalfDay 2 ; ext:numberChildrenPerInfrastructure 3",
    'ex:t . ex:t ext:applicationFormEntry ex:e1 . ex:e1 ext:actorName " " ; ext:numberChildrenForFullDay 1 ; '
    "ext:numberChildrenForHalfDay 2 ; ext:numberChildrenPerInfrastructure 3",
    'ex:t . ex:t ext:applicationFormEntry ex:e1 . ex:e1 ext:actorName "A" ; ext:numberChildrenForFullDay -1 ; '
    "ext:numberChildrenForHalfDay 2 ; ext:numberChildrenPerInfrastructure 3",
    'ex:t . ex:t ext:applicationFormEntry ex:e1 . ex:e1 ext:actorName "A" ; ext:numberChildrenForFullDay 1',
    "ex:t . ex:t ext:engagementEntry ex:e1 . ex:e1 ext:existingStaff 1 ; ext:additionalStaff 0 ; ext:volunteers 2",
    "ex:t . ex:t ext:engagementEntry ex:e1 . ex:e1 ext:existingStaff 1 ; ext:additionalStaff -1 ; ext:volunteers 2",
    'ex:t . ex:t ext:engagementEntry ex:e1 . ex:e1 ext:existingStaff 1.5 ; ext:additionalStaff "x" ; ext:volunteers 2',
    "ex:t",
)

TAX_VALUES = (
    "ex:t . ex:doc lblodBesluit:hasAdditionalTaxRate true ; lblodBesluit:taxRate ex:t . ex:t schema:amount 5",
    'ex:t . ex:doc lblodBesluit:hasAdditionalTaxRate "true" ; lblodBesluit:taxRate ex:t . ex:t schema:amount 5',
    "ex:t . ex:doc lblodBesluit:hasAdditionalTaxRate false ; lblodBesluit:taxRate ex:t . ex:t schema:amount 5",
    "ex:t . ex:doc lblodBesluit:hasAdditionalTaxRate true ; lblodBesluit:taxRate ex:t",
    "ex:t, ex:u . ex:doc lblodBesluit:taxRate ex:t",
)

# Constraint type → the parameters every instance gets (the real validators throw without them).
CONSTRAINT_TYPES = {
    "RequiredConstraint": "",
    "ConceptSchemeConstraint": "form:conceptScheme ex:scheme",
    "SingleCodelistValue": "form:conceptScheme ex:scheme ; form:customValue ex:a",
    "ContainsCodelistValue": "form:conceptScheme ex:scheme ; form:customValue ex:a",
    "Codelist": "form:conceptScheme ex:scheme",
    "ExactValueConstraint": "form:customValue ex:a",
    "MatchValues": 'form:valuesIn ( ex:a "x" 42 )',
    "UriConstraint": "",
    "ValidDate": "",
    "ValidDateTime": "",
    "DateInPast": "",
    "ValidInteger": "",
    "PositiveNumber": "",
    "ValidYear": "",
    "ValidBoolean": "",
    "ValidEmail": "",
    "ValidPhoneNumber": 'form:defaultCountry "BE"',
    "ValidIBAN": "",
    "MaxLength": "form:max 5",
    "VlabelExtraTaxRateOrAmountConstraint": "",
    "VlabelSingleInstanceTaxRateOrExtraTaxRate": "",
    "HasOneNumberGreaterThanInFields": "form:threshold 10 ; sh:path ex:q",
    "ValidChildcareSubsidyTable": "",
    "ValidEngagementTable": "",
    "NoSuchConstraint": "",  # unknown to both: never checked
}
VARIANTS = {  # further parameter variants worth comparing
    "RequiredConstraint": ['form:language "nl"'],
    "MatchValues": ["form:valuesNotIn ( ex:a ex:b )"],
    "MaxLength": ["form:max 0", 'form:max "abc"', "form:max 2"],
    "Codelist": [""],
    "SingleCodelistValue": ["form:customValue ex:a"],
}
SEVERITIES = ("", "sh:severity sh:Violation ;", "sh:severity sh:Warning ;", "sh:severity sh:Info ;")


def constraint_form(ctype: str, params: str, grouping: str) -> str:
    fields = []
    for index, severity in enumerate(SEVERITIES):
        fields.append(
            f"""ex:f{index} a form:Field ; sh:name "F{index}" ; sh:order {index} ; sh:path ex:p ;
  form:displayType displayTypes:defaultInput ;
  form:validations [ a form:{ctype} ; form:grouping form:{grouping} ; sh:path ex:p ; {severity}
    sh:resultMessage "fout {index}" {"; " + params if params else ""} ] ."""
        )
    members = ", ".join(f"ex:f{i}" for i in range(len(SEVERITIES)))
    return (
        PREFIXES
        + f"ex:form a form:Form ; form:hasFieldGroup ex:g .\nex:g form:hasField {members} .\n"
        + "\n".join(fields)
    )


def data_for(values: str) -> str:
    return PREFIXES + (f"ex:doc ex:p {values} ; ex:q 12 ." if values else "ex:doc ex:q 3 .")


def constraint_cases() -> list[Case]:
    cases = []
    for ctype, params in CONSTRAINT_TYPES.items():
        values = VALUES
        if "Table" in ctype:
            values = VALUES[:10] + TABLE_VALUES
        elif ctype.startswith("Vlabel"):
            values = VALUES[:10] + TAX_VALUES
        for variant in [params, *VARIANTS.get(ctype, [])]:
            for grouping in ("Bag", "MatchEvery", "MatchSome"):
                form = constraint_form(ctype, variant, grouping)
                cases.append(Case(f"{ctype}[{variant}]/{grouping}", form, tuple(data_for(v) for v in values)))
    return cases


# -- forms: display types, conditionals, listings, scopes ------------------------------------------------------
DISPLAY_TYPES = (
    "defaultInput textArea numericalInput currencyInput date dateTime dateRange checkbox switch "
    "conceptSchemeSelector conceptSchemeMultiSelector conceptSchemeRadioButtons conceptSchemeMultiSelectCheckboxes "
    "files files/variation/1 remoteUrls remoteUrls/variation/1 vLabelOpcentiem caseNumber bestuursorgaanSelector "
    "alert heading search customSearch decisionArticles decisionDocuments instanceSelector personSelector"
).split()

V1_CONDITIONALS = (
    PREFIXES
    + """
ex:form a form:Form ; form:hasFieldGroup ex:main .
ex:main form:hasField ex:type, ex:title, ex:heading, ex:undefined .
ex:heading a form:Field ; sh:name "Kop" ; sh:order 0 ; form:displayType displayTypes:heading .
ex:type a form:Field ; sh:name "Type" ; sh:order 1 ; sh:path rdf:type ;
  form:displayType displayTypes:conceptSchemeSelector ;
  form:validations [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path rdf:type ] ;
  form:hasConditionalFieldGroup ex:ifA, ex:ifB .
ex:title a form:Field ; sh:name "Titel" ; sh:order 2 ; sh:path ex:title ; form:displayType displayTypes:defaultInput ;
  form:validations [ a form:MaxLength ; form:max 10 ; form:grouping form:MatchEvery ; sh:path ex:title ;
    sh:severity sh:Warning ] .
ex:ifA a form:ConditionalFieldGroup ;
  form:conditions [ a form:SingleCodelistValue ; form:grouping form:Bag ; sh:path rdf:type ;
    form:conceptScheme ex:scheme ; form:customValue ex:a ] ;
  form:hasFieldGroup ex:groupA .
ex:ifB a form:ConditionalFieldGroup ;
  form:conditions [ a form:ContainsCodelistValue ; form:grouping form:Bag ; sh:path rdf:type ;
    form:conceptScheme ex:scheme ; form:customValue ex:b ],
    [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:title ] ;
  form:hasFieldGroup ex:groupB, ex:groupMissing .
ex:groupA form:hasField ex:date, ex:organ .
ex:date a form:Field ; sh:name "Datum" ; sh:path ex:date ; form:displayType displayTypes:date ;
  form:validations [ a form:ValidDate ; form:grouping form:MatchEvery ; sh:path ex:date ],
    [ a form:DateInPast ; form:grouping form:MatchEvery ; sh:path ex:date ; sh:severity sh:Warning ],
    [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:date ; sh:severity sh:Info ] ;
  form:hasConditionalFieldGroup ex:ifDate .
ex:ifDate a form:ConditionalFieldGroup ;
  form:conditions [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:date ] ;
  form:hasFieldGroup ex:groupDate .
ex:groupDate form:hasField ex:nested .
ex:nested a form:Field ; sh:name "Genest" ; sh:path ( ex:part [ sh:inversePath ex:of ] ex:name ) ;
  form:displayType displayTypes:defaultInput ;
  form:validations [ a form:RequiredConstraint ; form:grouping form:Bag ;
    sh:path ( ex:part [ sh:inversePath ex:of ] ex:name ) ] .
ex:organ a form:Field ; sh:name "Orgaan" ; sh:path ( [ sh:inversePath ex:decided ] ex:id ) ;
  form:displayType displayTypes:bestuursorgaanSelector .
ex:groupB form:hasField ex:count, ex:nopath, ex:lonelyInverse .
ex:count a form:Field ; sh:name "Aantal" ; sh:path ex:count ; form:displayType displayTypes:numericalInput ;
  form:validations [ a form:ValidInteger ; form:grouping form:MatchEvery ; sh:path ex:count ],
    [ a form:PositiveNumber ; form:grouping form:MatchSome ; sh:path ex:count ; sh:severity sh:Warning ] .
ex:nopath a form:Field ; sh:name "Zonder pad" ; form:displayType displayTypes:defaultInput ;
  form:validations [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:title ] .
ex:lonelyInverse a form:Field ; sh:name "Los omgekeerd" ; sh:path [ sh:inversePath ex:decided ] ;
  form:displayType displayTypes:defaultInput ;
  form:validations [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path [ sh:inversePath ex:decided ] ] .
"""
)
V1_DATA = (
    "",
    "ex:doc a ex:a .",
    'ex:doc a ex:a ; ex:date "2020-01-01"^^xsd:date .',
    'ex:doc a ex:a ; ex:date "2999-01-01"^^xsd:date ; ex:part ex:x . ex:y ex:of ex:x ; ex:name "n" . '
    'ex:body ex:decided ex:doc ; ex:id "1" .',
    'ex:doc a ex:a ; ex:date "bad"^^xsd:date ; ex:part ex:x . ex:y ex:of ex:x . ex:z ex:of ex:x ; ex:name "" .',
    "ex:doc a ex:b .",
    'ex:doc a ex:b ; ex:title "een lange titel" ; ex:count "-2" .',
    'ex:doc a ex:b, ex:a ; ex:title "kort" ; ex:count 3, "x" .',
    'ex:doc a ex:c ; ex:title "kort" .',
)

V2_FORM = (
    PREFIXES
    + """
ex:form a form:Form, form:TopLevelForm ; form:includes ex:name, ex:contacts, ex:nick, ex:section, ex:scoped,
  ex:filtered, ex:negated .
ex:section a form:Section ; sh:name "Sectie" ; sh:order 0 .
ex:name a form:Field ; sh:name "Naam" ; sh:order 1 ; sh:path ex:name ; form:displayType displayTypes:defaultInput ;
  sh:group ex:section ;
  form:validatedBy [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:name ] .
ex:nick a form:Field ; sh:name "Roepnaam" ; sh:order 3 ; sh:path ex:nick ; form:displayType displayTypes:defaultInput ;
  form:rendersWhen [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:name ] ;
  form:validatedBy [ a form:MaxLength ; form:max 3 ; form:grouping form:MatchEvery ; sh:path ex:nick ] .
ex:contacts a form:Listing ; sh:name "Contacten" ; sh:order 2 ; form:each ex:contactForm ;
  form:scope [ a form:Scope ; sh:path ex:contact ] ; form:canAdd true ; form:canRemove true .
ex:contactForm a form:SubForm ; form:includes ex:email, ex:phone, ex:extra ; form:hasFieldGroup ex:contactGroup .
ex:email a form:Field ; sh:name "E-mail" ; sh:order 1 ; sh:path ex:email ; form:displayType displayTypes:defaultInput ;
  form:validatedBy [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:email ],
    [ a form:ValidEmail ; form:grouping form:MatchEvery ; sh:path ex:email ] .
ex:phone a form:Field ; sh:name "Telefoon" ; sh:order 2 ; sh:path ex:phone ;
  form:displayType displayTypes:defaultInput ;
  form:rendersWhen [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:wantsPhone ] ;
  form:validatedBy [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:phone ] .
ex:extra a form:Field ; sh:name "Extra" ; sh:order 3 ; sh:path ex:extra ; form:displayType displayTypes:defaultInput ;
  form:validatedBy [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:extra ; sh:severity sh:Warning ] .
ex:contactGroup form:hasField ex:kind .
ex:kind a form:Field ; sh:name "Soort" ; sh:path ex:kind ; form:displayType displayTypes:conceptSchemeSelector ;
  form:validations [ a form:ConceptSchemeConstraint ; form:grouping form:Bag ; sh:path ex:kind ;
    form:conceptScheme ex:scheme ] .
ex:scoped a form:Field ; sh:name "Gescoped" ; sh:order 4 ; sh:path ex:label ;
  form:displayType displayTypes:defaultInput ;
  form:scope [ a form:Scope ; sh:path ( ex:about ex:part ) ] ;
  form:validatedBy [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:label ] .
ex:filtered a form:Listing ; sh:name "Gefilterd" ; sh:order 5 ; form:each ex:filteredForm ;
  form:scope [ a form:Scope ; sh:path ( ex:member ) ;
    form:constraint [ a sh:NodeShape ; sh:property [ sh:path rdf:type ; sh:hasValue ex:Person ] ] ] .
ex:negated a form:Listing ; sh:name "Uitgesloten" ; sh:order 6 ; form:each ex:filteredForm ;
  form:scope [ a form:Scope ; sh:path ex:member ;
    form:constraint [ a sh:NodeShape ; sh:not [ sh:path rdf:type ; sh:targetNode ex:Person ] ] ] .
ex:filteredForm a form:SubForm ; form:includes ex:memberName, ex:inner .
ex:memberName a form:Field ; sh:name "Lid" ; sh:order 1 ; sh:path ex:name ; form:displayType displayTypes:defaultInput ;
  form:validatedBy [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:name ] .
ex:inner a form:Listing ; sh:name "Binnen" ; sh:order 2 ; form:each ex:innerForm ;
  form:scope [ a form:Scope ; sh:path [ sh:inversePath ex:owner ] ] .
ex:innerForm a form:SubForm ; form:includes ex:innerValue .
ex:innerValue a form:Field ; sh:name "Waarde" ; sh:path ex:value ; form:displayType displayTypes:numericalInput ;
  form:validatedBy [ a form:ValidInteger ; form:grouping form:MatchEvery ; sh:path ex:value ] .
"""
)
V2_DATA = (
    "",
    'ex:doc ex:name "Jan" ; ex:nick "Jantje" .',
    'ex:doc ex:contact ex:c1, ex:c2 . ex:c1 ex:email "jan@example.org" ; ex:kind ex:a . ex:c2 ex:email "nope" .',
    'ex:doc ex:name "J" ; ex:wantsPhone "ja" ; ex:contact ex:c1 . '
    'ex:c1 ex:email "a@b.be" ; ex:phone "" ; ex:extra "e" .',
    'ex:doc ex:contact ex:c1 . ex:c1 ex:wantsPhone "ja" ; ex:email "a@b.be" ; ex:kind ex:c .',
    'ex:doc ex:about ex:x, ex:y . ex:x ex:part ex:p1, ex:p2 . ex:p1 ex:label "L" . ex:y ex:part ex:p3 .',
    'ex:doc ex:label "op het document" ; ex:about ex:x . ex:x ex:part ex:p1 .',
    'ex:doc ex:member ex:m1, ex:m2, ex:m3 . ex:m1 a ex:Person ; ex:name "M1" . ex:m2 a ex:Robot . '
    'ex:m3 a ex:Person, ex:Robot . ex:v1 ex:owner ex:m1 ; ex:value "1.5" . ex:v2 ex:owner ex:m2 ; ex:value 2 .',
    'ex:doc ex:name "N" ; ex:member ex:m1 . ex:m1 a ex:Person ; ex:name "" . ex:v1 ex:owner ex:m1 ; ex:value 7 .',
)


def display_type_form() -> str:
    fields = "\n".join(
        f"""ex:d{i} a form:Field ; sh:name "{name}" ; sh:order {i} ; sh:path ex:v{i} ;
  form:displayType <http://lblod.data.gift/display-types/{name}> ;
  form:validations [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:v{i} ] ."""
        for i, name in enumerate(DISPLAY_TYPES)
    )
    members = ", ".join(f"ex:d{i}" for i in range(len(DISPLAY_TYPES)))
    return PREFIXES + f"ex:form a form:Form ; form:hasFieldGroup ex:g .\nex:g form:hasField {members} .\n{fields}"


def structure_cases() -> list[Case]:
    display_data = tuple(
        PREFIXES + "ex:doc " + " ; ".join(f'ex:v{i} "{i}"' for i in range(len(DISPLAY_TYPES)) if i % k) + " ."
        for k in (2, 3, 5)
    )
    return [
        Case("display types", display_type_form(), ("", *display_data)),
        Case("v1 conditionals", V1_CONDITIONALS, tuple(PREFIXES + d for d in V1_DATA)),
        Case("v2 listings and scopes", V2_FORM, tuple(PREFIXES + d for d in V2_DATA)),
    ]
