"""Dutch by default: the Loket answers in Dutch unless the user chose another language with the language switch.
The browser's Accept-Language is deliberately not followed — a Flemish civil servant with an English browser
still gets the Dutch portal, as the product requires; the switch (a cookie) is the one way to change it."""

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
