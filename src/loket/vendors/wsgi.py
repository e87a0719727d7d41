"""A lean request path for the vendor API, beside the full one for the pages.

The vendor endpoints authenticate every request themselves (publisher and key in the body, or a bearer key) and
answer JSON: they use no session, user, CSRF token, message, language cookie or HTML security header. Running the
site's whole middleware stack for them costs time on the busiest path of the Loket, so `with_lean_vendor_api`
sends exactly those paths to a handler with only the middleware that still matters for an API (SecurityMiddleware:
https redirect, HSTS, nosniff, referrer policy; core.security: a CSP that allows nothing) and in the default
language; every other path goes to the site's handler unchanged, with all its protections.

    gunicorn loket.vendors.wsgi:application
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.utils import translation
from django.utils.module_loading import import_string

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# The vendor API's paths (see urls.py), and the middleware it keeps.
VENDOR_API_PATHS = frozenset({"/melding", "/status", "/delete-melding"})
VENDOR_API_PREFIX = "/api/vendor/"
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "loket.core.security.APISecurityHeadersMiddleware",  # CSP default-src 'none', frame-ancestors 'none'
    "loket.core.middleware.NulRefusalMiddleware",  # %00 in the path or query: 400 before any view or database
]


def is_vendor_api_path(path: str) -> bool:
    return path in VENDOR_API_PATHS or path.startswith(VENDOR_API_PREFIX)


class LeanAPIHandler(WSGIHandler):
    """Django's WSGI handler with API_MIDDLEWARE instead of settings.MIDDLEWARE."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler._get_response exists (load_middleware's own start); the stubs leave this private method out.
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(API_MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self._view_middleware: list[Callable[..., Any]] = []
        self._template_response_middleware: list[Callable[..., Any]] = []
        self._exception_middleware: list[Callable[..., Any]] = []
        self._middleware_chain = handler

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        # A page served earlier on this thread may have switched the language; the API answers in the default one.
        with translation.override(settings.LANGUAGE_CODE):
            return super().__call__(environ, start_response)


def with_lean_vendor_api(site: WSGIApp) -> WSGIApp:
    """`site` for every path but the vendor API's, which goes through a LeanAPIHandler."""
    lean = LeanAPIHandler()

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if is_vendor_api_path(environ.get("PATH_INFO", "")):
            return lean(environ, start_response)
        return site(environ, start_response)

    return application
