"""Reading the JSON-LD bodies of `/melding`, `/status` and `/delete-melding`.

The bodies are JSON-LD. Without `@context` the published default context applies
(`https://lblod.data.gift/contexts/automatische-melding/v1/context.json`, a copy is `context.json`); a body that
uses exactly that context is read directly by its keys (the fast path: the meaning is identical and no JSON-LD
processing is needed). A body with another context is expanded by a JSON-LD processor and read by predicate.
Remote contexts are never fetched: only the published default context is known (from the local copy); any other
remote context is refused (it would make us fetch an address a client gave us, on the request path).
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit, urlunsplit

from loket.core.security import holds_nul
from loket.vendors.credentials import BASIC, OAUTH2, Credentials

DEFAULT_CONTEXT_URL = "https://lblod.data.gift/contexts/automatische-melding/v1/context.json"
CONCEPT = "http://lblod.data.gift/concepts/79a52da4-f491-4e2f-9374-89a13cde8ecd"
SUBMITTABLE = "http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff"
SENT = "http://lblod.data.gift/concepts/9bd8d86d-bb10-4456-a84e-91e9507c374c"

PAV = "http://purl.org/pav/"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ADMS = "http://www.w3.org/ns/adms#"
MU_ACCOUNT = "http://mu.semte.ch/vocabularies/account/"
DGFT_SEC = "http://lblod.data.gift/vocabularies/security/"
DGFT_OAUTH = "http://kanselarij.vo.data.gift/vocabularies/oauth-2.0-session/"
WOT_SEC = "https://www.w3.org/2019/wot/security#"
MEB = "http://rdf.myexperiment.org/ontologies/base/"

# short key (default context) → predicate IRI
TERMS = {
    "href": PROV + "atLocation",
    "submittedResource": DCT + "subject",
    "submission": DCT + "subject",
    "organization": PAV + "createdBy",
    "publisher": PAV + "providedBy",
    "key": MU_ACCOUNT + "key",
    "status": ADMS + "status",
    "authentication": DGFT_SEC + "targetAuthenticationConfiguration",
    "configuration": DGFT_SEC + "securityConfiguration",
    "credentials": DGFT_SEC + "secrets",
    "flow": WOT_SEC + "flow",
    "token": WOT_SEC + "token",
    "resource": DGFT_OAUTH + "resource",
    "scope": DGFT_OAUTH + "scope",
    "clientId": DGFT_OAUTH + "clientId",
    "clientSecret": DGFT_OAUTH + "clientSecret",
    "username": MEB + "username",
    "password": MU_ACCOUNT + "password",
}
SCHEMES = {
    "basic": BASIC,
    "oauth2": OAUTH2,
    WOT_SEC + "BasicSecurityScheme": BASIC,
    WOT_SEC + "OAuth2SecurityScheme": OAUTH2,
}


class PayloadError(Exception):
    """The body is unusable; `body` is the error answer in the original's shape."""

    def __init__(self, body: dict, status: int = 400) -> None:
        super().__init__(json.dumps(body))
        self.body = body
        self.status = status


def _title(text: str) -> PayloadError:
    return PayloadError({"errors": [{"title": text}]})


AUTH_MISSING = (
    "The authentication (or part of it) for this request is missing. Make sure to supply publisher (with vendor URI "
    "and key) and organization information to the request."
)


@dataclass(frozen=True)
class Publisher:
    organisation_uri: str
    vendor_uri: str
    key: str

    def __repr__(self) -> str:
        return f"Publisher(organisation_uri={self.organisation_uri!r}, vendor_uri={self.vendor_uri!r})"


@dataclass(frozen=True)
class Melding:
    href: str
    submitted_resource: str
    status: str  # CONCEPT or SUBMITTABLE
    publisher: Publisher
    credentials: Credentials | None


class _Node(Protocol):
    def iri(self, term: str) -> str | None: ...
    def text(self, term: str) -> str | None: ...
    def node(self, term: str) -> "_Node | None": ...
    def types(self) -> list[str]: ...
    def has(self, term: str) -> bool: ...


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


class _CompactNode:
    """A node written with the default context's keys."""

    def __init__(self, data: dict) -> None:
        self.data = data

    def has(self, term: str) -> bool:
        return self.data.get(term) is not None

    def iri(self, term: str) -> str | None:
        value = _first(self.data.get(term))
        if isinstance(value, dict):
            value = value.get("@id", value.get("uri"))
        return value if isinstance(value, str) and _is_absolute_iri(value) else None

    def text(self, term: str) -> str | None:
        """A text (a JSON string, or a JSON-LD value object holding one); a number, boolean or object is none."""
        value = _first(self.data.get(term))
        if isinstance(value, dict):
            value = value.get("@value")
        return value if isinstance(value, str) else None

    def node(self, term: str) -> "_Node | None":
        value = _first(self.data.get(term))
        return _CompactNode(value) if isinstance(value, dict) else None

    def types(self) -> list[str]:
        scheme = self.data.get("scheme")
        values = scheme if isinstance(scheme, list) else [scheme]
        return [value for value in values if isinstance(value, str)]

    def id(self) -> str | None:
        value = self.data.get("uri", self.data.get("@id"))
        return value if isinstance(value, str) and _is_absolute_iri(value) else None


class _ExpandedNode:
    """A node of expanded JSON-LD, read by predicate IRI."""

    def __init__(self, data: dict) -> None:
        self.data = data

    def _values(self, term: str) -> list:
        values = self.data.get(TERMS[term], [])
        return values if isinstance(values, list) else [values]

    def has(self, term: str) -> bool:
        return bool(self._values(term))

    def iri(self, term: str) -> str | None:
        value = _first(self._values(term))
        if isinstance(value, dict):
            value = value.get("@id")
        return value if isinstance(value, str) and _is_absolute_iri(value) else None

    def text(self, term: str) -> str | None:
        value = _first(self._values(term))
        if isinstance(value, dict):
            value = value.get("@value", value.get("@id"))
        return None if value is None or isinstance(value, dict | list | bool) else str(value)

    def node(self, term: str) -> "_Node | None":
        value = _first(self._values(term))
        return _ExpandedNode(value) if isinstance(value, dict) and ("@id" not in value or len(value) > 1) else None

    def types(self) -> list[str]:
        return [value for value in self.data.get("@type", []) if isinstance(value, str)]

    def id(self) -> str | None:
        value = self.data.get("@id")
        return value if isinstance(value, str) and _is_absolute_iri(value) else None


def _is_absolute_iri(value: str) -> bool:
    """An IRI has a scheme and no spaces or control characters (RFC 3987; a NUL byte would also be refused by
    PostgreSQL when stored)."""
    scheme, colon, rest = value.partition(":")
    return bool(
        colon
        and scheme
        and rest
        and scheme.isascii()
        and scheme[0].isalpha()
        and not any(ord(char) <= 0x20 or 0x7F <= ord(char) <= 0x9F for char in value)
    )


@lru_cache(maxsize=1)
def default_context() -> dict:
    return json.loads((Path(__file__).resolve().parent / "context.json").read_text(encoding="utf-8"))


MAX_DEPTH = 32  # a melding nests four levels deep; JSON-LD with its own context a few more
MAX_HREF_LENGTH = 2000
MAX_RESOURCE_LENGTH = 500


def parse_json_object(raw: bytes) -> dict:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _title("Invalid JSON payload, the body could not be parsed as JSON.") from None
    if _depth_exceeds(data, MAX_DEPTH):
        raise _title(f"Invalid JSON payload, the body is nested more than {MAX_DEPTH} levels deep.")
    if isinstance(data, list):
        raise _title("Invalid JSON payload, expected an object but found array.")
    if holds_nul(data):
        raise _title("Invalid JSON payload, a text contains a NUL character (\\u0000), which is never valid here.")
    if not isinstance(data, dict):
        raise _title(f"Invalid JSON payload, expected an object but found {type(data).__name__}.")
    return data


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether `data` nests deeper than `limit` (without recursion: the JSON-LD processor would recurse)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)
    return False


def _is_default_context(context: Any) -> bool:
    """No context (absent or null: the real Loket puts in the default one when `@context` is falsy), the published
    default context by its address (alone or repeated in an array, as the real Loket writes it) or inline."""
    if context is None or context == DEFAULT_CONTEXT_URL or context == default_context()["@context"]:
        return True
    return isinstance(context, list) and bool(context) and all(item == DEFAULT_CONTEXT_URL for item in context)


def _root(data: dict) -> _CompactNode | _ExpandedNode:
    context = data.get("@context")
    if _is_default_context(context):
        return _CompactNode(data)
    return _ExpandedNode(_expand(data))


def _expand(data: dict) -> dict:
    from pyld import jsonld  # only for bodies with their own context

    refused: list[str] = []

    def loader(url: str, options: dict | None = None) -> dict:
        if url.rstrip("/") == DEFAULT_CONTEXT_URL:
            return {"contextUrl": None, "documentUrl": url, "document": default_context()}
        refused.append(url)
        raise ValueError("remote context refused")

    try:
        expanded = jsonld.expand(data, {"documentLoader": loader})
    except Exception:  # pyld raises its own JsonLdError and, on odd input, TypeError or KeyError
        if refused:
            raise _title(
                f"Invalid JSON-LD payload: the remote context {refused[0][:200]} is not supported; give the "
                "context inline or use the default context."
            ) from None
        raise _title("Invalid JSON-LD payload: the body could not be read as JSON-LD.") from None
    nodes = [node for node in expanded if isinstance(node, dict)]
    if len(nodes) != 1:
        raise _title("Invalid JSON-LD payload: expected exactly one submission.")
    return nodes[0]


def _publisher(root: Any) -> Publisher:
    publisher = root.node("publisher")
    organisation = root.iri("organization")
    vendor = publisher.id() if publisher is not None else None
    key = publisher.text("key") if publisher is not None else None
    if not organisation or not vendor or not key:
        raise _title(AUTH_MISSING)
    return Publisher(organisation_uri=organisation, vendor_uri=vendor, key=key)


def _credentials(root: Any) -> Credentials | None:
    if not root.has("authentication"):
        return None
    incomplete = _title(
        "Invalid authentication: give configuration.scheme (basic or oauth2) and the credentials it needs "
        "(basic: username and password; oauth2: token, clientId and clientSecret)."
    )
    authentication = root.node("authentication")
    configuration = authentication.node("configuration") if authentication else None
    secrets = authentication.node("credentials") if authentication else None
    if configuration is None or secrets is None:
        raise incomplete
    schemes = {SCHEMES[t] for t in configuration.types() if t in SCHEMES}
    if schemes == {BASIC}:
        username, password = secrets.text("username"), secrets.text("password")
        if not username or password is None:
            raise incomplete
        return Credentials(scheme=BASIC, username=username, password=password)
    if schemes == {OAUTH2}:
        token, client_id, secret = configuration.text("token"), secrets.text("clientId"), secrets.text("clientSecret")
        if not token or not token.lower().startswith(("http://", "https://")) or not client_id or not secret:
            raise incomplete
        return Credentials(
            scheme=OAUTH2,
            client_id=client_id,
            client_secret=secret,
            token_url=token,
            scope=configuration.text("scope") or "",
            resource=configuration.text("resource") or "",
        )
    raise incomplete


def parse_melding(raw: bytes) -> Melding:
    """The order of checks and the messages are those of the real Loket (automatic-submission-service)."""
    root = _root(parse_json_object(raw))
    href = root.iri("href")
    if href is not None and len(href) > MAX_HREF_LENGTH:
        raise _title(
            f'Invalid JSON-LD payload: property "href" is longer than {MAX_HREF_LENGTH} characters '
            f"({len(href)}); give the address of the published page."
        )
    if not href or not _is_web_address(href):
        raise _title('Invalid JSON-LD payload: property "href" is missing or invalid.')
    href, in_address = _without_userinfo(href)
    resource = root.iri("submittedResource")
    if not resource or len(resource) > MAX_RESOURCE_LENGTH:
        raise _title('Invalid JSON-LD payload: property "submittedResource" is missing or invalid.')
    status = root.iri("status") if root.has("status") else CONCEPT
    if status not in (CONCEPT, SUBMITTABLE):
        raise PayloadError({"errors": [{"message": "Property status is not valid."}]})
    publisher = _publisher(root)
    return Melding(
        href=href,
        submitted_resource=resource,
        status=status,
        publisher=publisher,
        credentials=_credentials(root) or in_address,
    )


def _is_web_address(href: str) -> bool:
    """An absolute http(s) address with a host, parseable (`http://[::1:80/x` is not: urlsplit raises)."""
    if not href.lower().startswith(("http://", "https://")) or not _is_absolute_iri(href):
        return False
    try:
        parts = urlsplit(href)
        _port = parts.port  # ValueError for a port that is no number in 0-65535
    except ValueError:
        return False
    return bool(parts.hostname)


def _without_userinfo(href: str) -> tuple[str, Credentials | None]:
    """Credentials written in the address (http://user:pass@host/) are taken out of it: they are kept encrypted
    like any other credentials, never stored in clear with the address."""
    parts = urlsplit(href)
    if "@" not in parts.netloc:
        return href, None
    host = parts.netloc.rsplit("@", 1)[1]
    credentials = Credentials(
        scheme=BASIC, username=unquote(parts.username or ""), password=unquote(parts.password or "")
    )
    return urlunsplit(parts._replace(netloc=host)), credentials


def parse_submission_request(raw: bytes) -> tuple[str, Publisher]:
    """`/status` and `/delete-melding`: the submission (its URI or the submitted document's) and the publisher."""
    root = _root(parse_json_object(raw))
    subject = root.iri("submission") or root.iri("submittedResource")
    if not subject:
        raise _title('Invalid JSON-LD payload: property "submission" is missing or invalid.')
    return subject, _publisher(root)
