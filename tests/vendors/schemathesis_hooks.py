"""Schemathesis hooks (loaded by the CLI through SCHEMATHESIS_HOOKS).

Half of the generated bodies of the original endpoints get the seeded organisation and vendor key, so that
generation gets past authentication and reaches parsing, registration, status and delete; half of the queries of
the Berichtencentrum read API get the seeded organisation. Only values that are already valid are replaced by
valid ones: a body generated to break the schema (negative mode) stays broken where it was broken.
"""

import os

import jsonschema_rs
import schemathesis
from hypothesis import strategies as st
from hypothesis.internal import lambda_sources

ORGANISATION = os.environ["LOKET_FUZZ_ORGANISATION"]
VENDOR = os.environ["LOKET_FUZZ_VENDOR"]
KEY = os.environ["LOKET_FUZZ_KEY"]
BODY_PATHS = {"/melding", "/status", "/delete-melding", "/vendor/berichtencentrum/melding"}
_URI = jsonschema_rs.validator_for({"type": "string", "format": "uri"}, validate_formats=True)
_DATE_TIME = jsonschema_rs.validator_for({"type": "string", "format": "date-time"}, validate_formats=True)


def _valid_key(value: object) -> bool:
    return isinstance(value, str) and len(value) >= 1


def _seeded(body: object) -> object:
    if not isinstance(body, dict) or not _URI.is_valid(body.get("organization")):
        return body
    publisher = body.get("publisher")
    if not isinstance(publisher, dict) or not _URI.is_valid(publisher.get("uri")):
        return body
    if not _valid_key(publisher.get("key")):
        return body
    return {**body, "organization": ORGANISATION, "publisher": {**publisher, "uri": VENDOR, "key": KEY}}


@schemathesis.hook
def flatmap_body(ctx, body):  # type: ignore[no-untyped-def]
    operation = getattr(ctx, "operation", None)
    if operation is None or operation.path not in BODY_PATHS:
        return st.just(body)
    return st.sampled_from([body, _seeded(body)])


@schemathesis.hook
def flatmap_query(ctx, query):  # type: ignore[no-untyped-def]
    operation = getattr(ctx, "operation", None)
    if operation is None or operation.path != "/api/vendor/berichtencentrum/berichten" or not isinstance(query, dict):
        return st.just(query)
    if not _URI.is_valid(query.get("organisatie")) or not _DATE_TIME.is_valid(query.get("sinds")):
        return st.just(query)
    return st.sampled_from([query, {**query, "organisatie": ORGANISATION}])


# CPython 3.11.7's ast.parse can raise SystemError("AST constructor recursion depth mismatch") when hypothesis
# parses a large source file to describe a filter's lambda (only for a strategy's repr); a description is no reason
# to abort the run.
_describe = lambda_sources._lambda_description


def _lambda_description(f, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _lambda_description
