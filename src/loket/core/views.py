"""Public pages of the core: checking a receipt (ontvangstbewijs controleren) and the privacy notice."""

import json
import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from loket.core.access import public
from loket.core.error_pages import error_page_render, framed_or_plain, server_error_logger
from loket.core.privacy import retention_periods
from loket.core.receipts import NoEmbeddedReceipt, ReceiptCheck, receipt_from_pdf, receipt_verify

MAX_RECEIPT_BYTES = 256 * 1024
MAX_PDF_BYTES = 2 * 1024 * 1024


class ReceiptCheckForm(forms.Form):
    receipt = forms.CharField(
        label=_("Ontvangstbewijs (JSON)"),
        required=False,
        max_length=MAX_RECEIPT_BYTES,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_("Plak de volledige inhoud van het JSON-bestand dat u bij het verzenden kreeg."),
    )
    receipt_file = forms.FileField(
        label=_("Of kies het bestand (PDF of JSON)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf,application/json,.json"}),
        help_text=_("De PDF van het ontvangstbewijs bevat het ondertekende JSON-bestand; beide kunnen."),
    )

    def clean_receipt_file(self) -> Any:
        upload = self.cleaned_data.get("receipt_file")
        if upload and upload.size > MAX_PDF_BYTES:
            raise ValidationError(_("Dit bestand is te groot voor een ontvangstbewijs."))
        return upload

    def _uploaded_text(self, upload: Any) -> str | None:
        """The JSON of an uploaded receipt: the file itself, or the JSON embedded in a receipt PDF."""
        data = upload.read()
        if data.lstrip()[:5] == b"%PDF-":
            try:
                return receipt_from_pdf(data)
            except NoEmbeddedReceipt:
                self.add_error(
                    "receipt_file",
                    _("Deze PDF bevat geen ontvangstbewijs van het Loket (er zit geen ondertekend JSON-bestand in)."),
                )
                return None
        if len(data) > MAX_RECEIPT_BYTES:
            self.add_error("receipt_file", _("Dit bestand is te groot voor een ontvangstbewijs."))
            return None
        return data.decode("utf-8", errors="replace")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, text = cleaned.get("receipt_file"), cleaned.get("receipt", "")
        if self.errors:
            return cleaned
        if upload:
            field, raw = "receipt_file", self._uploaded_text(upload)
            if raw is None:
                return cleaned
        else:
            field, raw = "receipt", text
        if not raw.strip():
            self.add_error("receipt", _("Plak een ontvangstbewijs of kies een JSON-bestand."))
            return cleaned
        try:
            cleaned["parsed"] = json.loads(raw)
        except json.JSONDecodeError as error:
            self.add_error(
                field,
                _("Dit is geen geldige JSON (fout op regel %(line)s, kolom %(column)s).")
                % {"line": error.lineno, "column": error.colno},
            )
        except RecursionError:
            self.add_error(field, _("Dit is geen geldige JSON (te diep genest)."))
        return cleaned


@public
def receipt_check(request: HttpRequest) -> HttpResponse:
    """Anyone may check whether a receipt is authentic and matches the register."""
    check: ReceiptCheck | None = None
    status = 200
    if request.method == "POST":
        form = ReceiptCheckForm(request.POST, request.FILES)
        if form.is_valid():
            check = receipt_verify(form.cleaned_data["parsed"])
        else:
            status = 400
    else:
        form = ReceiptCheckForm()
    return render(request, "core/receipt_check.html", {"form": form, "check": check}, status=status)


@public
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice (privacyverklaring, ASVS 8.3.3), for everyone: the periods come from the settings that
    enforce them (`core.privacy`)."""
    return render(request, "core/privacy.html", {"periods": retention_periods()})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (`handler500`) with an incident number the clerk can quote to the helpdesk; the same number is
    logged with the traceback, so the helpdesk finds the cause without the clerk seeing it. The page is rendered
    without a request context (no database, no session): it must work when nothing else does."""
    incident = secrets.token_hex(4).upper()
    server_error_logger.error("Incident %s: %s %s", incident, request.method, request.path, exc_info=True)
    return HttpResponseServerError(error_page_render("500.html", incident=incident))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page (`handler404`): the portal's page (404.html, in the site's frame), or, when that page cannot be
    rendered (its frame needs the database, the session, the static files' manifest), the plain bilingual one as the
    400 page is made: a wrong address never becomes a 500."""
    return framed_or_plain(request, lambda: defaults.page_not_found(request, exception), status=404)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page (`handler400`: a request Django refuses, a session that could not be saved), as `server_error`
    renders the 500 page."""
    return HttpResponseBadRequest(error_page_render("400.html"))


# Bilingual, as the 400 page is.
FORM_EXPIRED = (
    "Het formulier was verlopen, bijvoorbeeld omdat u intussen in een ander venster af- of opnieuw aanmeldde. Er is "
    "niets bewaard: laad de pagina opnieuw en probeer het nog eens. / The form had expired, for instance because you "
    "signed out or in again in another window. Nothing was saved: reload the page and try again."
)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """`CSRF_FAILURE_VIEW`: a refused form (its token no longer matches, most often after signing in again in another
    tab) gets the 400 page's words, with its footer, instead of Django's technical English page. Still a 403."""
    return HttpResponseForbidden(error_page_render("400.html", reason=FORM_EXPIRED))
