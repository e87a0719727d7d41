"""Dutch by default: the Loket answers in Dutch unless the user chose another language with the language switch.
The browser's Accept-Language is deliberately not followed — a Flemish civil servant with an English browser
still gets the Dutch portal, as the product requires; the switch (a cookie) is the one way to change it."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
