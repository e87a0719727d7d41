"""Domain errors: raised by services, shown to the user as a clear message (never a 500)."""

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain said no. `message` is translatable text a clerk understands."""

    code = "domain_error"

    def __init__(self, message: str | Promise, *, code: str | None = None, fields: dict | None = None) -> None:
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
