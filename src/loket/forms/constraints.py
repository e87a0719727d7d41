"""The constraint registry and the 24 built-in constraint types of submission-form-helpers.

A constraint's validator receives either the whole value list (`arity="bag"`) or one value at a time
(`arity="value"`); the constraint's `form:grouping` decides how it is called, as in checkTriples:

* `form:Bag` — the validator gets the list (a per-value validator cannot judge a list: invalid);
* `form:MatchEvery` — every value must pass (no values: valid);
* `form:MatchSome` — at least one value must pass (no values: invalid);
* any other grouping: invalid; none at all (the real library throws): Bag for list validators, else MatchEvery.

A list validator called on single values (Bag validators under MatchEvery/MatchSome) gives what the real
validator gives when handed one term instead of a list (`single=`): for most that is "valid" (JavaScript's
`term.length` is undefined), for those that would throw it is "invalid".

Custom validators register with `@register_constraint(URI)` and replace a built-in of the same URI.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from typing import Literal as TypingLiteral
from urllib.parse import urlsplit

import phonenumbers
from django.utils.translation import gettext_lazy as _
from rdflib import Literal, URIRef
from rdflib.term import Node
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from .jsnumbers import JS_WHITESPACE, is_safe_integer, js_date_milliseconds, js_number, js_parse_int
from .model import Constraint
from .paths import DataContext
from .vocabulary import EXT, FORM, LBLOD_BESLUIT, RDF, SCHEMA, SKOS, XSD

Arity = TypingLiteral["bag", "value", "custom"]
Verdict = bool | tuple[bool, str | None]


@dataclass(frozen=True, slots=True)
class ConstraintCall:
    """What a validator may look at besides the values: the constraint, the data and the node."""

    constraint: Constraint
    context: DataContext
    node: Node
    language: str | None = None


Validator = Callable[[Any, ConstraintCall], Verdict]


@dataclass(frozen=True, slots=True)
class ConstraintSpec:
    uri: URIRef
    validate: Validator
    arity: Arity
    message: Any
    single: bool | None = None  # a list validator's verdict on one value; None: the list verdict on [value]


@dataclass(frozen=True, slots=True)
class CheckResult:
    valid: bool
    has_validation: bool
    message: str


_REGISTRY: dict[Node, ConstraintSpec] = {}  # keyed by URIRef; looked up with any node of the form graph


def register_constraint(
    uri: URIRef | str, *, arity: Arity = "value", message: Any = None, single: bool | None = None
) -> Callable[[Validator], Validator]:
    """Register a validator for a constraint type URI (replacing any earlier one).

    `single`: for a list validator, its verdict when the grouping hands it one value at a time (None: judge
    `[value]`; a "custom" validator that ignores its values is simply called)."""

    def decorate(function: Validator) -> Validator:
        if arity == "bag" and single is None:
            chosen: bool | None = False  # a list validator handed one term throws in JavaScript: invalid
        else:
            chosen = single
        _REGISTRY[URIRef(str(uri))] = ConstraintSpec(
            URIRef(str(uri)), function, arity, message if message is not None else _("Ongeldige waarde."), chosen
        )
        return function

    return decorate


def unregister_constraint(uri: URIRef | str) -> None:
    _REGISTRY.pop(URIRef(str(uri)), None)


def is_registered(uri: Node) -> bool:
    return uri in _REGISTRY


_VALID = CheckResult(valid=True, has_validation=True, message="")
_UNCHECKED = CheckResult(valid=True, has_validation=False, message="")


def check(constraint: Constraint, context: DataContext, node: Node, language: str | None = None) -> CheckResult:
    """Evaluate one constraint on its own path from `node` (check() of submission-form-helpers)."""
    spec = _REGISTRY.get(constraint.type)
    if spec is None:
        return _UNCHECKED
    call = ConstraintCall(constraint, context, node, language)
    verdict = _grouped(spec, context.values(node, constraint.path), call)
    valid, message = verdict if isinstance(verdict, tuple) else (verdict, None)
    if valid:
        return _VALID
    return CheckResult(False, True, message or constraint.message or str(spec.message))


def is_built_in(uri: Node, validator: Validator) -> bool:
    """Whether `uri` is still checked by this built-in validator (not replaced by a registered one)."""
    spec = _REGISTRY.get(uri)
    return spec is not None and spec.validate is validator


def _grouped(spec: ConstraintSpec, values: list[Node], call: ConstraintCall) -> Verdict:
    grouping = call.constraint.grouping
    if grouping is None:
        grouping = FORM.MatchEvery if spec.arity == "value" else FORM.Bag
    if grouping == FORM.Bag:
        return spec.validate(values, call) if spec.arity != "value" else False
    if grouping not in {FORM.MatchEvery, FORM.MatchSome}:
        return False
    if grouping == FORM.MatchEvery and not values:
        return True
    if grouping == FORM.MatchSome and not values:
        return False
    verdicts = [_single(spec, value, call) for value in values]
    failed = next((message for valid, message in verdicts if not valid), None)
    if grouping == FORM.MatchEvery:
        return all(valid for valid, _message in verdicts), failed
    return any(valid for valid, _message in verdicts), failed


def _single(spec: ConstraintSpec, value: Node, call: ConstraintCall) -> tuple[bool, str | None]:
    if spec.arity != "value":
        if spec.single is not None:
            return spec.single, None
        verdict = spec.validate([value] if spec.arity == "bag" else None, call)
    else:
        verdict = spec.validate(value, call)
    return (bool(verdict[0]), verdict[1]) if isinstance(verdict, tuple) else (bool(verdict), None)


def _datatype(value: Node) -> URIRef | None:
    if not isinstance(value, Literal):
        return None
    if value.datatype is None:
        return RDF.langString if value.language else XSD.string
    return value.datatype


def _scheme(call: ConstraintCall) -> Node | None:
    return call.constraint.param(FORM.conceptScheme)


def _in_scheme(value: Node, call: ConstraintCall) -> bool:
    """In the constraint's concept scheme; without form:conceptScheme, in any scheme (as the real library)."""
    scheme = _scheme(call)
    if scheme is None:
        return (value, SKOS.inScheme, None) in call.context.meta
    return call.context.in_scheme(value, scheme)


def _custom(call: ConstraintCall) -> str | None:
    value = call.constraint.param(FORM.customValue)
    return str(value) if value is not None else None


# -- presence and code lists --------------------------------------------------------------------------
@register_constraint(FORM.RequiredConstraint, arity="bag", message=_("Dit veld is verplicht."), single=True)
def required(values: list[Node], call: ConstraintCall) -> bool:
    """A value that is not the empty string (whitespace counts); with `form:language`, the first value in that
    language must not be empty."""
    if not values:
        return False
    language = call.constraint.param(FORM.language)
    if language is not None and str(language):
        first = next((v for v in values if isinstance(v, Literal) and (v.language or "") == str(language)), None)
        return first is not None and str(first) != ""
    return any(str(v) != "" for v in values)


@register_constraint(FORM.ConceptSchemeConstraint, arity="bag", message=_("Kies een waarde uit de lijst."), single=True)
def concept_scheme(values: list[Node], call: ConstraintCall) -> bool:
    if not values:
        return True
    return sum(1 for v in values if _in_scheme(v, call)) == 1


@register_constraint(FORM.SingleCodelistValue, arity="bag", message=_("Kies precies één waarde uit de lijst."))
def single_codelist_value(values: list[Node], call: ConstraintCall) -> bool:
    matches = [v for v in values if _in_scheme(v, call)]
    return len(matches) == 1 and str(matches[0]) == _custom(call)


@register_constraint(FORM.ContainsCodelistValue, arity="bag", message=_("De verwachte waarde ontbreekt."))
def contains_codelist_value(values: list[Node], call: ConstraintCall) -> bool:
    custom = _custom(call)
    return any(str(v) == custom for v in values if _in_scheme(v, call))


@register_constraint(FORM.Codelist, message=_("Deze waarde staat niet in de lijst."))
def codelist(value: Node, call: ConstraintCall) -> bool:
    return _in_scheme(value, call)


@register_constraint(FORM.ExactValueConstraint, message=_("Deze waarde is niet toegestaan."))
def exact_value(value: Node, call: ConstraintCall) -> bool:
    custom = _custom(call)
    return custom is not None and str(value) == custom


@register_constraint(FORM.MatchValues, arity="bag", message=_("Deze waarde is niet toegestaan."))
def match_values(values: list[Node], call: ConstraintCall) -> bool:
    if not values:
        return False
    texts = {str(v) for v in values}
    allowed = call.constraint.params.get(FORM.valuesIn)
    if allowed is not None:
        return bool(texts & {str(a) for a in allowed})
    forbidden = call.constraint.params.get(FORM.valuesNotIn)
    if forbidden is not None:
        return not texts & {str(f) for f in forbidden}
    return False


# -- formats ------------------------------------------------------------------------------------------
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9\u00a1-\uffff-]{1,63}(?<!-)", re.IGNORECASE)
_TLD = re.compile(r"(?:[a-z\u00a1-\uffff]{2,}|xn--[a-z0-9-]{2,})", re.IGNORECASE)
_IPV4 = re.compile(r"(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}")


@register_constraint(FORM.UriConstraint, message=_("Geef een geldige URL op (http, https of ftp)."))
def uri(value: Node, call: ConstraintCall) -> bool:
    text = str(value)
    if not text or len(text) > 2083 or re.search(r"[\s<>]", text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return False
    if parts.scheme.lower() not in {"http", "https", "ftp"} or not parts.netloc or port == 0:
        return False
    if _IPV4.fullmatch(host) or (parts.netloc.startswith("[") and ":" in host):
        return True
    labels = host.rstrip(".").split(".")
    return (
        len(labels) >= 2 and all(_HOST_LABEL.fullmatch(label) for label in labels) and bool(_TLD.fullmatch(labels[-1]))
    )


@register_constraint(FORM.ValidDate, message=_("Geef een geldige datum op (JJJJ-MM-DD)."))
def valid_date(value: Node, call: ConstraintCall) -> bool:
    return _datatype(value) == XSD.date and _parse_date(str(value)) is not None


def _parse_date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


_XSD_DATETIME = re.compile(
    r"-?\d{4,}-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
)


def _parse_datetime(text: str) -> datetime | None:
    if not _XSD_DATETIME.fullmatch(text):
        return None
    normalised = text.replace("Z", "+00:00")
    match = re.match(r"(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(.*)", normalised)
    if match is None:
        return None
    fraction = (match.group(2) or ".0")[:7].ljust(7, "0")
    try:
        parsed = datetime.fromisoformat(match.group(1) + fraction + match.group(3))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@register_constraint(FORM.ValidDateTime, message=_("Geef een geldig tijdstip op."))
def valid_date_time(value: Node, call: ConstraintCall) -> bool:
    return _datatype(value) == XSD.dateTime and _parse_datetime(str(value)) is not None


@register_constraint(FORM.DateInPast, message=_("Deze datum ligt in de toekomst."))
def date_in_past(value: Node, call: ConstraintCall) -> bool:
    """`new Date(value) <= Date.now()` for an xsd:date or xsd:dateTime, with JavaScript's date parsing."""
    if _datatype(value) not in {XSD.date, XSD.dateTime}:
        return False
    moment = js_date_milliseconds(str(value))
    return not math.isnan(moment) and moment <= datetime.now(UTC).timestamp() * 1000


@register_constraint(FORM.ValidInteger, message=_("Geef een geheel getal op."))
def valid_integer(value: Node, call: ConstraintCall) -> bool:
    return is_safe_integer(js_number(str(value)))


@register_constraint(FORM.PositiveNumber, message=_("Geef een positief getal op."))
def positive_number(value: Node, call: ConstraintCall) -> bool:
    number = js_number(str(value))
    return not math.isnan(number) and number >= 0


@register_constraint(FORM.ValidYear, message=_("Geef een geldig jaartal op (4 cijfers)."))
def valid_year(value: Node, call: ConstraintCall) -> bool:
    return re.fullmatch(r"[0-9]{4}", str(value)) is not None


@register_constraint(FORM.ValidBoolean, message=_("Geef ja of nee op."))
def valid_boolean(value: Node, call: ConstraintCall) -> bool:
    return _datatype(value) == XSD.boolean


_EMAIL = re.compile(r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*")


@register_constraint(FORM.ValidEmail, message=_("Geef een geldig e-mailadres op."))
def valid_email(value: Node, call: ConstraintCall) -> bool:
    return _EMAIL.fullmatch(str(value)) is not None


@register_constraint(FORM.ValidPhoneNumber, message=_("Geef een geldig telefoonnummer op."))
def valid_phone_number(value: Node, call: ConstraintCall) -> bool:
    """libphonenumber's isPossible() (the Python port of the same library) for the form's default country."""
    country = call.constraint.param(FORM.defaultCountry)
    if country is None:
        return False  # the JS validator throws here; a missing country can never pass
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(str(value), str(country).upper()))
    except phonenumbers.NumberParseException:
        return False


@register_constraint(FORM.ValidIBAN, message=_("Geef een geldig IBAN op."))
def valid_iban(value: Node, call: ConstraintCall) -> bool:
    """As the `iban` package the JS library uses: country format, length and check digits."""
    try:
        IBAN(str(value))
    except SchwiftyException:
        return False
    return True


@register_constraint(FORM.MaxLength, message=_("Deze waarde is te lang."))
def max_length(value: Node, call: ConstraintCall) -> bool:
    limit_node = call.constraint.param(FORM.max)
    limit = js_number(str(limit_node)) if limit_node is not None else math.nan
    if math.isnan(limit) or limit == 0:
        limit = 100000  # JavaScript's `Number(max) || 100000`
    datatype = _datatype(value)
    if str(value) == "":
        return False  # the real validator checks `value.value` for truth first
    if datatype in {XSD.integer, XSD.decimal}:
        return js_number(str(value)) <= limit
    if datatype == XSD.string:
        return len(str(value).encode("utf-16-le")) // 2 <= limit
    return False


# -- domain-specific -----------------------------------------------------------------------------------
@register_constraint(FORM.VlabelExtraTaxRateOrAmountConstraint, arity="custom")
def extra_tax_rate_or_amount(values: None, call: ConstraintCall) -> bool:
    """An extra tax rate ("true") and an amount on the (first) tax rate exclude each other."""
    source = call.context.source
    extra = next(iter(source.objects(call.node, LBLOD_BESLUIT.hasAdditionalTaxRate)), None)
    if extra is None:
        return True
    tax_rate = next(iter(source.objects(call.node, LBLOD_BESLUIT.taxRate)), None)
    if tax_rate is None or (tax_rate, SCHEMA.amount, None) not in source:
        return True
    return str(extra) != "true"


@register_constraint(FORM.VlabelSingleInstanceTaxRateOrExtraTaxRate, arity="bag", single=True)
def single_instance_tax_rate(values: list[Node], call: ConstraintCall) -> bool:
    return len(values) <= 1


@register_constraint(FORM.HasOneNumberGreaterThanInFields, arity="custom")
def has_one_number_greater_than(values: None, call: ConstraintCall) -> bool:
    """parseInt of the first value of any sh:path (used as a predicate) above parseInt of form:threshold."""
    threshold_node = call.constraint.param(FORM.threshold)
    threshold = js_parse_int(str(threshold_node)) if threshold_node is not None else math.nan
    source = call.context.source
    for path in call.constraint.paths:
        if len(path) != 1 or path[0].inverse:
            continue  # the real validator uses each sh:path as a single predicate
        value = next(iter(source.objects(call.node, path[0].predicate)), None)
        if value is not None and js_parse_int(str(value)) > threshold:
            return True
    return False


def _positive_integer(text: str) -> bool:
    number = js_number(text)
    return is_safe_integer(number) and number >= 0


def _entries_valid(table: Node, call: ConstraintCall, entry: URIRef, checks: dict[URIRef, Callable]) -> bool:
    """At least one entry; each with a value for every predicate, the first of which passes its check."""
    source = call.context.source
    rows = list(source.objects(table, entry))
    if not rows:
        return False
    for row in rows:
        for predicate, accepts in checks.items():
            cell = next(iter(source.objects(row, predicate)), None)
            if cell is None or not accepts(str(cell)):
                return False
    return True


@register_constraint(FORM.ValidChildcareSubsidyTable)
def valid_childcare_subsidy_table(value: Node, call: ConstraintCall) -> bool:
    checks = {
        EXT.actorName: lambda text: bool(text.strip(JS_WHITESPACE)),
        EXT.numberChildrenForFullDay: _positive_integer,
        EXT.numberChildrenForHalfDay: _positive_integer,
        EXT.numberChildrenPerInfrastructure: _positive_integer,
    }
    return _entries_valid(value, call, EXT.applicationFormEntry, checks)


@register_constraint(FORM.ValidEngagementTable)
def valid_engagement_table(value: Node, call: ConstraintCall) -> bool:
    def positive(text: str) -> bool:
        number = js_number(text)
        return not math.isnan(number) and number >= 0

    checks = {EXT.existingStaff: positive, EXT.additionalStaff: positive, EXT.volunteers: positive}
    return _entries_valid(value, call, EXT.engagementEntry, checks)


BUILT_IN_TYPES = frozenset(_REGISTRY)
