"""The security headers of every answer, and how stored files leave the Loket.

Pages get their Content-Security-Policy from django-csp (settings.CONTENT_SECURITY_POLICY): scripts only with the
request's nonce (`nonce="{{ CSP_NONCE }}"` on each `<script src>`) plus 'strict-dynamic', so a script tag that an
attacker manages to put into a page does not run, not even one pointing at a same-origin file. Django's own admin
(the helpdesk back office, under /helpdesk/) writes its `<script src>` tags without a nonce in Django 5.2, so its
pages allow same-origin scripts instead ('self'; still no inline script). Styles come from files only: no page
has a style attribute or a `<style>` element, so style-src needs neither 'unsafe-inline' nor nonces.
form-action allows the identity provider's origin (OIDC_ISSUER's) besides 'self': "Bevestig wie u bent" posts to the
Loket, which answers with a redirect to the provider, and a browser checks every step of a form's redirects against
form-action. Without it the button did nothing at all, whenever OIDC_FORM_ACTION_HOSTS was not set to the same host.

Stored files (a body's decisions and cached pages, Berichtencentrum attachments, BBC-DR files, dumps) and other
downloads are always attachments and carry their own policy, `sandbox; default-src 'none'`: opened by accident in
the browser, an uploaded HTML or SVG file runs nothing and reaches nothing, and it is a unique origin. A stored
type that a browser would run as script or style when it is included with `<script src>` or `<link>` is served
as application/octet-stream (with nosniff the browser then refuses to run it).

The vendor API's lean route has no django-csp: `APISecurityHeadersMiddleware` gives its JSON answers the same
frame and resource policy (`default-src 'none'; frame-ancestors 'none'`).
"""

from collections.abc import Callable
from typing import IO, Any
from urllib.parse import urlsplit

from csp.constants import NONCE, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header

CSP = "Content-Security-Policy"
SANDBOX_POLICY = "sandbox; default-src 'none'"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# The Django admin's pages (see the module docstring); the helpdesk back office lives at /helpdesk/ (loket/urls.py).
ADMIN_PREFIX = "/helpdesk/"
ADMIN_SCRIPT_SRC = [SELF, NONCE]

# What a browser would run when a page includes the file (WHATWG MIME Sniffing: JavaScript MIME types; CSS).
_RUNNABLE_TYPES = frozenset(
    {
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
        "text/css",
    }
)
OCTET_STREAM = "application/octet-stream"


class LoketCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; the admin's pages allow same-origin scripts (they carry no nonce in Django 5.2), and
    every page's forms may lead to the identity provider (see the module docstring)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), "script-src": ADMIN_SCRIPT_SRC}
        provider = identity_provider_origin()
        if provider:
            parts.update = {**(parts.update or {}), "form-action": [provider]}
        return parts


def identity_provider_origin() -> str:
    """The scheme, host and port of OIDC_ISSUER (the sign-in at the Vlaamse overheid), or "" without one."""
    issuer = urlsplit(settings.OIDC_ISSUER or "")
    if issuer.scheme not in ("http", "https") or not issuer.netloc:
        return ""
    return f"{issuer.scheme}://{issuer.netloc}"


class APISecurityHeadersMiddleware:
    """For the vendor API's lean route (loket.vendors.wsgi): JSON needs no scripts, styles or frames."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault(CSP, API_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def safe_content_type(content_type: str) -> str:
    """The stored type, unless a browser would run it as script or style when a page includes it."""
    essence = (content_type or "").split(";", 1)[0].strip().lower()
    if not essence or essence in _RUNNABLE_TYPES:
        return OCTET_STREAM
    return content_type


def as_download(response: HttpResponseBase, *, filename: str) -> HttpResponseBase:
    """Make `response` a download: an attachment named `filename`, under the sandbox policy."""
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    response.headers[CSP] = SANDBOX_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def file_download(handle: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download (every view that hands out stored bytes uses this)."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=safe_content_type(content_type))
    as_download(response, filename=filename)
    return response


def stored_download(storage_name: str, *, filename: str, content_type: str) -> HttpResponse | FileResponse:
    """A stored upload as a download, or 409 with a Dutch message while it waits for the virus scan
    (`core.scanwait`): every view that hands out uploaded bytes goes through here."""
    from django.core.files.storage import default_storage

    from loket.core.scanwait import is_waiting, waiting_message

    if is_waiting(storage_name):
        return HttpResponse(waiting_message([filename]), status=409, content_type="text/plain; charset=utf-8")
    return file_download(default_storage.open(storage_name, "rb"), filename=filename, content_type=content_type)


def holds_nul(data: Any) -> bool:
    """Whether a key or text anywhere in `data` (parsed JSON, or a form's lists of values) holds a NUL character:
    no database stores it as text (PostgreSQL raises), so an answer of the Loket refuses it before it is stored."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return False
