"""Payload shapes of the vendor API, for the OpenAPI description (the bodies are read by payload.py)."""

from ninja import Schema


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
    return {"type": "object", "properties": properties, "required": required}


_URI = {"type": "string", "format": "uri"}
_PUBLISHER = _object({"uri": _URI, "key": {"type": "string", "writeOnly": True}}, ["uri", "key"])
_AUTHENTICATION = _object(
    {
        "configuration": _object(
            {
                "scheme": {"type": "string", "enum": ["basic", "oauth2"]},
                "flow": {"type": "string"},
                "resource": {"type": "string"},
                "scope": {"type": "string"},
                "token": _URI,
            },
            ["scheme"],
        ),
        "credentials": _object(
            {
                "username": {"type": "string"},
                "password": {"type": "string", "writeOnly": True},
                "clientId": {"type": "string"},
                "clientSecret": {"type": "string", "writeOnly": True},
            },
            [],
        ),
    },
    ["configuration", "credentials"],
)
MELDING_BODY = _object(
    {
        "@context": {"description": "Optional; without it the published default context applies."},
        "href": {**_URI, "description": "The published HTML page with the RDFa annotations."},
        "submittedResource": {**_URI, "description": "The decision's URI in the page's RDFa; unique."},
        "organization": {**_URI, "description": "The bestuurseenheid the decision is submitted for."},
        "publisher": _PUBLISHER,
        "status": {
            "type": "string",
            "enum": [
                "http://lblod.data.gift/concepts/79a52da4-f491-4e2f-9374-89a13cde8ecd",
                "http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff",
            ],
            "description": "Concept (default) or Inzendbaar (send when the data is complete).",
        },
        "authentication": _AUTHENTICATION,
    },
    ["href", "submittedResource", "organization", "publisher"],
)
SUBMISSION_REQUEST_BODY = _object(
    {
        "@context": {"description": "Optional; without it the published default context applies."},
        "submission": {**_URI, "description": "The submission's URI (as answered by /melding) or the decision's URI."},
        "organization": _URI,
        "publisher": _PUBLISHER,
    },
    ["submission", "organization", "publisher"],
)


def json_ld_request(schema: dict) -> dict:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}, "application/ld+json": {"schema": schema}},
        }
    }
