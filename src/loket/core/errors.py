"""Domain errors: raised by services, shown to the user as a clear message (never a 500)."""

from typing import TYPE_CHECKING, Any

from django.http import JsonResponse

if TYPE_CHECKING:  # the stubs' name for lazy text (gettext_lazy); at run time it is a Promise
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText


class DomainError(Exception):
    """A rule of the domain said no. `message` is translatable text a clerk understands."""

    code = "domain_error"

    def __init__(self, message: str | LazyText, *, code: str | None = None, fields: dict | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class NotFoundError(DomainError):
    """Absent, or not yours: the same answer for both (no leaking of what exists)."""

    code = "not_found"


class PermissionDeniedError(DomainError):
    code = "forbidden"


class ConflictError(DomainError):
    code = "conflict"


def error_response(status: int, code: str, message: str, fields: dict[str, Any] | None = None) -> JsonResponse:
    """The one JSON error shape of the Loket's JSON answers: `{"error": {"code", "message", "fields"}}`."""
    return JsonResponse({"error": {"code": code, "message": message, "fields": fields or {}}}, status=status)


def reason_required(reason: str | None, *, message: str | LazyText, max_length: int = 2000) -> str:
    """The reason an agency act needs (reopening, ...): whitespace folded; DomainError with `message` when empty, or
    when longer than `max_length` characters."""
    from django.utils.translation import gettext as _

    folded = " ".join((reason or "").split())
    if not folded:
        raise DomainError(message, code="no_reason", fields={"reason": "x"})
    if len(folded) > max_length:
        raise DomainError(
            _("De reden is te lang (ten hoogste %(n)s tekens).") % {"n": max_length},
            code="no_reason",
            fields={"reason": "x"},
        )
    return folded
