"""Every built-in constraint type with the edge cases of submission-form-helpers, plus groupings,
severities, custom registration and the unknown-type rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rdflib import Graph, URIRef

from loket.forms.constraints import check, register_constraint, unregister_constraint
from loket.forms.loader import load_form_text
from loket.forms.paths import DataContext
from loket.forms.validate import validate_form

from .conftest import PREFIXES, turtle

DOC = URIRef("http://example.org/doc")
META = """
ex:a skos:inScheme ex:scheme . ex:b skos:inScheme ex:scheme . ex:c skos:inScheme ex:other .
"""


def constraint_valid(body: str, data: str, grouping: str = "form:MatchEvery", meta: str = META) -> bool:
    """Check one constraint (`[ a form:X ; <body> ]`, path ex:p) against `ex:doc <data>`."""
    form = load_form_text(
        PREFIXES
        + f"""ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ;
          form:validations [ form:grouping {grouping} ; sh:path ex:p ; {body} ] ."""
    )
    constraint = form.fields[URIRef("http://example.org/x")].constraints[0]
    source = turtle(f"ex:doc {data} ." if data else "")
    return check(constraint, DataContext(source=source, meta=turtle(meta)), DOC).valid


BAG = "form:Bag"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("", False),
        ('ex:p ""', False),
        ('ex:p "   "', True),  # as the real library: only the empty string is empty
        ('ex:p "x"', True),
        ('ex:p "", "x"', True),
        ("ex:p ex:a", True),
    ],
)
def test_required(data, expected):
    assert constraint_valid("a form:RequiredConstraint", data, BAG) is expected


@pytest.mark.parametrize(
    ("data", "expected"), [('ex:p "hallo"@en', False), ('ex:p "hallo"@nl', True), ('ex:p ""@nl', False)]
)
def test_required_with_language(data, expected):
    assert constraint_valid('a form:RequiredConstraint ; form:language "nl"', data, BAG) is expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [("", True), ("ex:p ex:a", True), ("ex:p ex:a, ex:c", True), ("ex:p ex:a, ex:b", False), ("ex:p ex:c", False)],
)
def test_concept_scheme(data, expected):
    body = "a form:ConceptSchemeConstraint ; form:conceptScheme ex:scheme"
    assert constraint_valid(body, data, BAG) is expected


def test_concept_scheme_per_value_always_passes():
    """The real validator handed one term instead of a list (MatchEvery) finds no `length` and passes."""
    body = "a form:ConceptSchemeConstraint ; form:conceptScheme ex:scheme"
    assert constraint_valid(body, "ex:p ex:c", "form:MatchEvery") is True
    assert constraint_valid(body, "ex:p ex:c", BAG) is False


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("ex:p ex:a", True),
        ("ex:p ex:a, ex:c", True),
        ("ex:p ex:b", False),
        ("ex:p ex:a, ex:b", False),
        ("", False),
    ],
)
def test_single_codelist_value(data, expected):
    body = "a form:SingleCodelistValue ; form:conceptScheme ex:scheme ; form:customValue ex:a"
    assert constraint_valid(body, data, BAG) is expected


@pytest.mark.parametrize(("data", "expected"), [("ex:p ex:a, ex:b", True), ("ex:p ex:b", False), ("", False)])
def test_contains_codelist_value(data, expected):
    body = "a form:ContainsCodelistValue ; form:conceptScheme ex:scheme ; form:customValue ex:a"
    assert constraint_valid(body, data, BAG) is expected


@pytest.mark.parametrize(("data", "expected"), [("ex:p ex:a", True), ("ex:p ex:a, ex:c", False), ("", True)])
def test_codelist(data, expected):
    assert constraint_valid("a form:Codelist ; form:conceptScheme ex:scheme", data) is expected


@pytest.mark.parametrize(("data", "expected"), [('ex:p "ja"', True), ('ex:p "Ja"', False), ("ex:p ex:ja", False)])
def test_exact_value(data, expected):
    assert constraint_valid('a form:ExactValueConstraint ; form:customValue "ja"', data) is expected


@pytest.mark.parametrize(
    ("body", "data", "expected"),
    [
        ("form:valuesIn ( ex:a ex:b )", "ex:p ex:a", True),
        ("form:valuesIn ( ex:a ex:b )", "ex:p ex:c", False),
        ("form:valuesIn ( ex:a ex:b )", "", False),
        ("form:valuesNotIn ( ex:a )", "ex:p ex:c", True),
        ("form:valuesNotIn ( ex:a )", "ex:p ex:c, ex:a", False),
        ("form:valuesNotIn ( ex:a )", "", False),
    ],
)
def test_match_values(body, data, expected):
    assert constraint_valid(f"a form:MatchValues ; {body}", data, BAG) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a.pdf", True),
        ("http://sub.example.be:8080/x?y=1#z", True),
        ("ftp://files.example.org/a", True),
        ("http://192.168.1.1/a", True),
        ("example.org/a", False),
        ("mailto:a@example.org", False),
        ("http://localhost/a", False),
        ("http://exa mple.org", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_uri(url, expected):
    assert constraint_valid("a form:UriConstraint", f'ex:p "{url}"') is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"2024-02-29"^^xsd:date', True),
        ('"2023-02-29"^^xsd:date', False),
        ('"2024-2-1"^^xsd:date', False),
        ('"2024-02-01"', False),
        ('"2024-02-01Z"^^xsd:date', False),
    ],
)
def test_valid_date(value, expected):
    assert constraint_valid("a form:ValidDate", f"ex:p {value}") is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"2022-05-09T18:00:00.000Z"^^xsd:dateTime', True),
        ('"2022-05-09T18:00:00+02:00"^^xsd:dateTime', True),
        ('"2022-05-09T18:00:00"^^xsd:dateTime', True),
        ('"2022-05-09 18:00"^^xsd:dateTime', False),
        ('"2022-13-09T18:00:00Z"^^xsd:dateTime', False),
        ('"2022-05-09T18:00:00.000Z"', False),
    ],
)
def test_valid_date_time(value, expected):
    assert constraint_valid("a form:ValidDateTime", f"ex:p {value}") is expected


def test_date_in_past():
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert constraint_valid("a form:DateInPast", 'ex:p "2020-01-01"^^xsd:date') is True
    assert constraint_valid("a form:DateInPast", f'ex:p "{tomorrow}"^^xsd:date') is False
    assert constraint_valid("a form:DateInPast", 'ex:p "2020-01-01T10:00:00Z"^^xsd:dateTime') is True
    assert constraint_valid("a form:DateInPast", 'ex:p "2020-01-01"') is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [('"12"', True), ('""', True), ('"1.0"', True), ('"1.5"', False), ('"abc"', False), ('"9007199254740993"', False)],
)
def test_valid_integer(value, expected):
    assert constraint_valid("a form:ValidInteger", f"ex:p {value}") is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [('"0"', True), ('"3.5"', True), ('""', True), ('"-1"', False), ('"abc"', False), ('" 7 "', True)],
)
def test_positive_number(value, expected):
    assert constraint_valid("a form:PositiveNumber", f"ex:p {value}") is expected


@pytest.mark.parametrize(("value", "expected"), [('"2024"', True), ('"24"', False), ('"20245"', False)])
def test_valid_year(value, expected):
    assert constraint_valid("a form:ValidYear", f"ex:p {value}") is expected


@pytest.mark.parametrize(
    ("value", "expected"), [('"1"^^xsd:boolean', True), ("true", True), ('"true"', False), ('"0"^^xsd:boolean', True)]
)
def test_valid_boolean(value, expected):
    assert constraint_valid("a form:ValidBoolean", f"ex:p {value}") is expected


@pytest.mark.parametrize(
    ("value", "expected"), [('"a.b@example.org"', True), ('"a@b"', True), ('"a@@b"', False), ('"a b@c.d"', False)]
)
def test_valid_email(value, expected):
    assert constraint_valid("a form:ValidEmail", f"ex:p {value}") is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"+32 2 123 45 67"', True),
        ('"02 123 45 67"', True),
        ('"0475 12 34 56"', True),
        ('"+1 202 555 0143"', True),
        ('"123"', False),
        ('"abc"', False),
        ('"+32 2 12"', False),
    ],
)
def test_valid_phone_number(value, expected):
    assert constraint_valid('a form:ValidPhoneNumber ; form:defaultCountry "BE"', f"ex:p {value}") is expected


def test_phone_number_without_country_never_passes():
    assert constraint_valid("a form:ValidPhoneNumber", 'ex:p "+32 2 123 45 67"') is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"BE68 5390 0754 7034"', True),
        ('"BE68539007547034"', True),
        ('"BE69539007547034"', False),
        ('"XX00"', False),
        ('"DE89 3704 0044 0532 0130 00"', True),
        ('"GB82 WEST 1234 5698 7654 32"', True),
        ('"BE68 5390 0754 703"', False),
    ],
)
def test_valid_iban(value, expected):
    assert constraint_valid("a form:ValidIBAN", f"ex:p {value}") is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"abcde"', True),
        ('"abcdef"', False),
        ('"5"^^xsd:integer', True),
        ('"6"^^xsd:integer', False),
        ('"4.5"^^xsd:decimal', True),
        ('"abc"@nl', False),
        ('"2020-01-01"^^xsd:date', False),
    ],
)
def test_max_length(value, expected):
    assert constraint_valid("a form:MaxLength ; form:max 5", f"ex:p {value}") is expected


def test_max_length_default():
    assert constraint_valid("a form:MaxLength", 'ex:p "' + "x" * 1000 + '"') is True


def test_vlabel_extra_tax_rate_or_amount():
    """Reads the document's (first) extra tax rate and tax rate itself, whatever the constraint's path."""
    body = "a form:VlabelExtraTaxRateOrAmountConstraint"
    besluit = "http://lblod.data.gift/vocabularies/besluit/"
    rate = f"ex:p ex:x . ex:doc <{besluit}taxRate> ex:rate . ex:rate <http://schema.org/amount> 5 . ex:doc "
    assert constraint_valid(body, rate + f'<{besluit}hasAdditionalTaxRate> "true"', BAG) is False
    assert constraint_valid(body, rate + f'<{besluit}hasAdditionalTaxRate> "false"', BAG) is True
    assert constraint_valid(body, rate + f'<{besluit}hasAdditionalTaxRate> "1"^^xsd:boolean', BAG) is True
    assert constraint_valid(body, rate.replace("amount", "price") + f'<{besluit}hasAdditionalTaxRate> "true"', BAG)
    assert constraint_valid(body, "ex:p ex:rate", "form:MatchEvery") is True


def test_vlabel_single_instance():
    body = "a form:VlabelSingleInstanceTaxRateOrExtraTaxRate"
    assert constraint_valid(body, "ex:p ex:a", BAG) is True
    assert constraint_valid(body, "ex:p ex:a, ex:b", BAG) is False


def test_has_one_number_greater_than_in_fields():
    form = load_form_text(
        PREFIXES
        + """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:validations [ a form:HasOneNumberGreaterThanInFields ;
          form:grouping form:Bag ; sh:path ex:p, ex:q ; form:threshold 0 ] ."""
    )
    constraint = form.fields[URIRef("http://example.org/x")].constraints[0]

    def valid(data: str) -> bool:
        return check(constraint, DataContext(source=turtle(data)), DOC).valid

    assert valid('ex:doc ex:p "0" ; ex:q "3 kinderen" .') is True
    assert valid('ex:doc ex:p "0" ; ex:q "0" .') is False
    assert valid("") is False


def test_childcare_subsidy_table():
    body = "a form:ValidChildcareSubsidyTable"
    row = 'ext:actorName "Crèche" ; ext:numberChildrenForFullDay "2" ; ext:numberChildrenForHalfDay "0" ; '
    good = f"ex:p ex:t . ex:t ext:applicationFormEntry ex:r . ex:r {row} ext:numberChildrenPerInfrastructure 1"
    assert constraint_valid(body, good) is True
    assert constraint_valid(body, good.replace('"2"', '"-2"')) is False
    assert constraint_valid(body, good.replace('"Crèche"', '""')) is False


def test_engagement_table():
    body = "a form:ValidEngagementTable"
    good = 'ex:p ex:t . ex:t ext:engagementEntry ex:r . ex:r ext:existingStaff "1" ; ext:additionalStaff "0.5" ; '
    assert constraint_valid(body, good + 'ext:volunteers "3"') is True
    assert constraint_valid(body, good + 'ext:volunteers "x"') is False


# -- groupings -----------------------------------------------------------------------------------------
def test_match_every_empty_is_valid_match_some_empty_is_invalid():
    assert constraint_valid("a form:ValidYear", "", "form:MatchEvery") is True
    assert constraint_valid("a form:ValidYear", "", "form:MatchSome") is False


def test_match_some_and_every():
    data = 'ex:p "2024", "24"'
    assert constraint_valid("a form:ValidYear", data, "form:MatchSome") is True
    assert constraint_valid("a form:ValidYear", data, "form:MatchEvery") is False


def test_per_value_type_cannot_judge_a_bag():
    assert constraint_valid("a form:ValidYear", 'ex:p "2024"', BAG) is False


def test_constraint_checks_its_own_path_not_the_fields():
    form = load_form_text(
        PREFIXES
        + """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:defaultInput ;
          form:validations [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:other ] ."""
    )
    report = validate_form(form, DataContext(source=turtle('ex:doc ex:p "filled" .')), DOC)
    assert report.valid is False
    report = validate_form(form, DataContext(source=turtle('ex:doc ex:other "x" .')), DOC)
    assert report.valid is True


def test_warning_severity_never_blocks():
    form = load_form_text(
        PREFIXES
        + """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:date ;
          form:validations [ a form:RequiredConstraint ; form:grouping form:Bag ; sh:path ex:p ;
            sh:severity sh:Warning ; sh:resultMessage "Liefst invullen." ] ."""
    )
    report = validate_form(form, DataContext(source=Graph()), DOC)
    assert report.valid is True
    assert report.fields[0].warnings == ["Liefst invullen."]
    assert report.fields[0].errors == []


def test_custom_validator_registers_by_uri_and_can_set_message():
    uri = "http://example.org/validators/Even"

    @register_constraint(uri)
    def even(value, call):
        return (int(str(value)) % 2 == 0, "Geef een even getal.")

    try:
        form = load_form_text(
            PREFIXES
            + """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
            ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:numericalInput ;
              form:validations [ a <http://example.org/validators/Even> ; form:grouping form:MatchEvery ;
                sh:path ex:p ] ."""
        )
        assert form.warnings == []
        report = validate_form(form, DataContext(source=turtle("ex:doc ex:p 3 .")), DOC)
        assert report.fields[0].errors == ["Geef een even getal."]
        assert validate_form(form, DataContext(source=turtle("ex:doc ex:p 4 .")), DOC).valid
    finally:
        unregister_constraint(uri)


def test_unknown_constraint_type_passes():
    form = load_form_text(
        PREFIXES
        + """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x .
        ex:x sh:name "X" ; sh:path ex:p ; form:displayType displayTypes:defaultInput ;
          form:validations [ a form:NoSuchValidator ; form:grouping form:Bag ; sh:path ex:p ] ."""
    )
    assert validate_form(form, DataContext(source=Graph()), DOC).valid is True
    assert form.warnings
