"""Payload shapes of the vendor API, for the OpenAPI description (the bodies are read by payload.py)."""

from ninja import Schema

from loket.vendors.payload import DEFAULT_CONTEXT_URL, MAX_HREF_LENGTH, MAX_RESOURCE_LENGTH


class MeldingAccepted(Schema):
    uri: str
    submission: str
    job: str


class OriginalError(Schema):
    title: str | None = None
    message: str | None = None


class OriginalErrors(Schema):
    errors: list[OriginalError]


class DeleteResult(Schema):
    message: str


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorBody(Schema):
    error: ErrorDetail


class MessageAttachmentOut(Schema):
    name: str
    size: int
    sha256: str
    media_type: str
    download: str


class MessageOut(Schema):
    uri: str
    conversation: str
    dossier_number: str
    subject: str
    type: str
    sender: str
    recipient: str
    sent_at: str
    text: str
    attachments: list[MessageAttachmentOut]


class MessagePage(Schema):
    messages: list[MessageOut]
    next: str | None


class JobOut(Schema):
    uri: str
    status: str
    error: str | None
    created: str
    modified: str


class TaskOut(Schema):
    operation: str
    index: int
    status: str
    message: str | None
    error: str | None


class SubmissionOut(Schema):
    uri: str
    id: str
    submitted_resource: str
    status: str


class SubmissionStatus(Schema):
    job: JobOut
    tasks: list[TaskOut]
    submission: SubmissionOut


def _object(properties: dict, required: list[str]) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "propertyNames": {"pattern": _NO_NUL},
        "additionalProperties": JSON_VALUE_REF,
    }


# No text anywhere in a body may hold a NUL character (payload.py refuses it: no database stores it as text).
_NO_NUL = "^[^\\u0000]*$"
_STRING = {"type": "string", "pattern": _NO_NUL}
_URI = {"type": "string", "format": "uri"}
_TEXT = {**_STRING, "minLength": 1}
_SECRET = {**_TEXT, "writeOnly": True}
# Any other JSON value a body may carry besides the keys read (components.schemas.JsonValue, see api.py).
JSON_VALUE_REF = {"$ref": "#/components/schemas/JsonValue"}
JSON_VALUE = {
    "description": "Any JSON value without a NUL character in its texts or keys.",
    "anyOf": [
        {"type": ["null", "boolean", "number"]},
        _STRING,
        {"type": "array", "items": JSON_VALUE_REF},
        {"type": "object", "propertyNames": {"pattern": _NO_NUL}, "additionalProperties": JSON_VALUE_REF},
    ],
}
# An http(s) address with a host (payload.py refuses anything else, as the real Loket does).
_WEB_ADDRESS = {**_URI, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]+"}
# What payload.py reads with the key names below: no context (absent or null, as the real Loket: it puts in the
# default context when `@context` is falsy) or the published default context. A body with its own JSON-LD context
# is read by predicate instead; one that does not define these keys (`{}` among them) leaves the body without them
# and is refused (400), as by the real Loket, whose JSON-LD processor drops undefined keys.
_CONTEXT = {
    "description": "Optional: absent, null or the published default context; a body with its own JSON-LD context "
    "(inline) is read by predicate and must define the keys it uses.",
    "anyOf": [
        {"type": "null"},
        {"type": "string", "enum": [DEFAULT_CONTEXT_URL]},
        {"type": "array", "items": {"type": "string", "enum": [DEFAULT_CONTEXT_URL]}, "minItems": 1},
    ],
}
_IGNORED = {**JSON_VALUE_REF, "description": "Not read."}
_OPTIONAL_TEXT = {**JSON_VALUE_REF, "description": "A text; any other value counts as absent."}
_PUBLISHER = _object({"uri": _URI, "key": _SECRET}, ["uri", "key"])


def _authentication(scheme: str, configuration: dict, credentials: dict) -> dict:
    return _object(
        {
            "configuration": _object(
                {"scheme": {"type": "string", "enum": [scheme]}, **configuration},
                ["scheme", *(name for name in configuration if name == "token")],
            ),
            "credentials": _object(credentials, list(credentials)),
        },
        ["configuration", "credentials"],
    )


# Basic (username and password) or OAuth2 client credentials (token address, client id and secret); null counts as
# absent (payload.py reads the body as JSON-LD, where a null value is no value), as for `@context`.
_AUTHENTICATION = {
    "description": "Optional: the credentials to fetch `href` with; absent or null: none.",
    "oneOf": [
        {"type": "null"},
        _authentication("basic", {}, {"username": _TEXT, "password": {**_STRING, "writeOnly": True}}),
        _authentication(
            "oauth2",
            {"flow": _IGNORED, "resource": _OPTIONAL_TEXT, "scope": _OPTIONAL_TEXT, "token": _WEB_ADDRESS},
            {"clientId": _TEXT, "clientSecret": _SECRET},
        ),
    ],
}
MELDING_BODY = _object(
    {
        "@context": _CONTEXT,
        "href": {
            **_WEB_ADDRESS,
            "maxLength": MAX_HREF_LENGTH,
            "description": "The published HTML page with the RDFa annotations (http or https).",
        },
        "submittedResource": {
            **_URI,
            "maxLength": MAX_RESOURCE_LENGTH,
            "description": "The decision's URI in the page's RDFa; unique.",
        },
        "organization": {**_URI, "description": "The bestuurseenheid the decision is submitted for."},
        "publisher": _PUBLISHER,
        "status": {
            "type": ["string", "null"],
            "enum": [
                "http://lblod.data.gift/concepts/79a52da4-f491-4e2f-9374-89a13cde8ecd",
                "http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff",
                None,
            ],
            "description": "Concept (default; absent or null) or Inzendbaar (send when the data is complete).",
        },
        "authentication": _AUTHENTICATION,
    },
    ["href", "submittedResource", "organization", "publisher"],
)
SUBMISSION_REQUEST_BODY = _object(
    {
        "@context": _CONTEXT,
        "submission": {**_URI, "description": "The submission's URI (as answered by /melding) or the decision's URI."},
        "organization": _URI,
        "publisher": _PUBLISHER,
    },
    ["submission", "organization", "publisher"],
)


def _same_vendor(operation_id: str) -> dict:
    """A link to an endpoint that takes the submission answered by /melding, with the same vendor and body."""
    return {
        "operationId": operation_id,
        "requestBody": {
            "submission": "$response.body#/submission",
            "organization": "$request.body#/organization",
            "publisher": "$request.body#/publisher",
        },
    }


# What a vendor does next with the answer of /melding (OpenAPI links; Schemathesis follows them statefully).
MELDING_LINKS = {
    "responses": {
        201: {
            "links": {
                "StatusOfTheSubmission": _same_vendor("loket_vendors_api_status"),
                "DeleteTheSubmission": _same_vendor("loket_vendors_api_delete_melding"),
            }
        }
    }
}


def json_ld_request(schema: dict) -> dict:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}, "application/ld+json": {"schema": schema}},
        }
    }
