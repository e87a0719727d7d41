"""Dutch by default: the Loket answers in Dutch unless the user chose another language with the language switch.
The browser's Accept-Language is deliberately not followed — a Flemish civil servant with an English browser
still gets the Dutch portal, as the product requires; the switch (a cookie) is the one way to change it."""

from typing import Any
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from loket.core.error_pages import error_page_render
from loket.core.security import as_download, holds_nul


class DutchByDefaultLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class UploaderMiddleware:
    """Names the request's user as the uploader for the virus scanner's audit event (`core.virusscan`)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        from loket.core.virusscan import uploading_as

        with uploading_as(getattr(request, "user", None)):
            return self.get_response(request)


class PrivateNoStoreMiddleware:
    """A response made for a signed-in user (their inbox, a person's national register number, a concept) or for a
    vendor's key is never kept by a browser, proxy or shared cache: `Cache-Control: no-store, private` unless the
    view chose its own caching. Public pages (open data, the landing page for visitors) keep theirs (ASVS 8.1.1)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "no-store, private"
        return response


JSON_TYPES = ("application/json", "application/problem+json")


class JsonAttachmentMiddleware:
    """Every JSON answer (the vendor and case-system APIs, their errors) is a download (`core.security.as_download`:
    `Content-Disposition: attachment` under the sandbox policy), so a browser tricked into opening one never renders
    it as a page (ASVS 14.4.2). Programs reading the API ignore both."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type in JSON_TYPES and not response.has_header("Content-Disposition"):
            from loket.core.security import as_download

            as_download(response, filename="api.json")  # like every download: under the sandbox policy
        return response


class NulRefusalMiddleware:
    """An address whose path or query holds a NUL character (`%00`) is answered 400 before any view runs: no
    database stores NUL in text (PostgreSQL raises on it), and no address of the Loket ever needs one. One place
    instead of a check in each of the views that read `request.GET` (a vendor's `organisatie=e%00` was a 500 on
    PostgreSQL, found by Schemathesis). The APIs (`/api/`) get their JSON error body, pages the 400 page. A cookie
    holding NUL is dropped (the session cookie's key reached the session table)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if "\x00" in request.path_info or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            return nul_refusal(request, ADDRESS_WITH_NUL)
        if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
            # A quoted cookie may spell NUL as `\000` (RFC 2109 quoting, which Django unquotes): such a cookie is no
            # cookie the Loket set, so it is taken as absent (a session cookie: a new session), not as a 500.
            request.COOKIES = {k: v for k, v in request.COOKIES.items() if "\x00" not in k and "\x00" not in v}
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        """A form's text fields with NUL: the same 400 (an uploaded file's name reaches no query: Django's parser
        and `core.files.safe_filename` clean it). Here and not in `__call__`, so that a multipart body is read as
        CSRF's check reads it: inside the middleware that names the uploader (the upload checks audit with it). Not
        for a view exempt from CSRF: an API that reads its body itself (the worship platforms' push), which a parsed
        multipart form would have used up."""
        if request.method == "POST" and request.content_type in FORM_TYPES and not getattr(view, "csrf_exempt", False):
            if holds_nul(list(request.POST.lists())):
                return nul_refusal(request, FORM_WITH_NUL)
        return None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


# Bilingual: the 400 page is, and it is answered before the language is chosen.
ADDRESS_WITH_NUL = (
    "Het adres bevat een ongeldig, onzichtbaar teken (NUL, %00). Open de link opnieuw vanuit het Loket of typ het "
    "adres over. / The address holds an invalid, invisible character (NUL, %00): open the link again from the Loket "
    "or type the address anew."
)
FORM_WITH_NUL = (
    "Het formulier bevat een ongeldig, onzichtbaar teken (NUL), bijvoorbeeld uit geplakte tekst. Er is niets "
    "bewaard: haal het teken weg en probeer opnieuw. / The form holds an invalid, invisible character (NUL), for "
    "instance from pasted text. Nothing was saved: remove it and try again."
)


def nul_refusal(request: HttpRequest, message: str) -> HttpResponse:
    """The 400 for an address or form with NUL: JSON `{"error": ...}` under `/api/`, the 400 page with `message`
    elsewhere."""
    if request.path_info.startswith("/api/"):
        answer = JsonResponse({"error": {"code": "bad_request", "message": message, "fields": {}}}, status=400)
        as_download(answer, filename="api.json")  # as JsonAttachmentMiddleware does, which this one answers before
        return answer
    return HttpResponseBadRequest(error_page_render("400.html", reason=message))
