"""The back office's password strength meter (accounts/password_strength.py): the script of the admin's password forms
(accounts/static/accounts/password-meter.js) posts what is typed here and shows the answer under the field.

The password travels in the body of a same-origin POST with the form's CSRF token, never in an address; it is not
logged, audited or kept, and the answer (a JSON download, like every JSON answer: core.middleware) is `no-store` like
every answer to a signed-in person (core.middleware.PrivateNoStoreMiddleware)."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.accounts.models import User
from loket.accounts.password_strength import password_strength_assess
from loket.core.access import staff_required
from loket.core.errors import error_response
from loket.core.throttle import throttle_hit, throttle_retry_after

# Typing pauses of 300 ms ask at most a few times a second; a minute of steady typing stays well under this.
CHECKS_PER_MINUTE = 60
# Longer than any password a person types: refused rather than run through the validators.
MAX_PASSWORD_LENGTH = 4096
PERSON_FIELDS = ("username", "first_name", "last_name", "email")


def _person(request: HttpRequest) -> User:
    """Whose password it is: the person named on the form (adding a person, setting another's password: their name
    and address as the page has them), else the one signed in (changing one's own)."""
    if "username" not in request.POST:
        return request.user  # type: ignore[return-value]
    return User(**{name: request.POST.get(name, "")[:254] for name in PERSON_FIELDS})


@staff_required
@require_POST
def password_strength_check(request: HttpRequest) -> JsonResponse:
    """`{"score": 0–4, "failures": [the policy's messages]}` for the posted `password`."""
    if not throttle_hit(key=f"password-meter:{request.user.pk}", limit=CHECKS_PER_MINUTE, window_seconds=60):
        seconds = throttle_retry_after(window_seconds=60)
        response = error_response(
            429,
            "too_many_checks",
            _(
                "De sterkte werd deze minuut al %(limit)s keer nagekeken; de meter rust %(seconds)s seconden. Uw "
                "wachtwoord wordt bij het bewaren hoe dan ook aan de regels getoetst."
            )
            % {"limit": CHECKS_PER_MINUTE, "seconds": seconds},
        )
        response["Retry-After"] = str(seconds)
        return response
    password = request.POST.get("password", "")
    if len(password) > MAX_PASSWORD_LENGTH:
        return error_response(
            400,
            "too_long",
            _("Een wachtwoord van meer dan %(count)s tekens kijkt de meter niet na.") % {"count": MAX_PASSWORD_LENGTH},
        )
    strength = password_strength_assess(password=password, person=_person(request))
    return JsonResponse({"score": strength.score, "failures": strength.failures})
