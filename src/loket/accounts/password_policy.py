"""The back office's passwords against the policy at every sign-in, not only when they are set (ASVS 2.1.7).

Django checks `AUTH_PASSWORD_VALIDATORS` (at least 12 characters, not one of Django's list of 20,000 common
passwords, not like the person's name, not only digits) when a password is set or changed. A password set before a
rule existed, or since found on that list, would otherwise be used for ever. At sign-in the typed password is
checked against the same validators; one that fails may finish signing in (locking the helpdesk out of its own back
office helps nobody), but the session can do nothing else until the password is changed.

"Changed" is read from the person's stored hash: the session keeps a fingerprint of the hash it was signed in with
(never the hash itself), and the requirement ends as soon as the stored hash is another one, whoever changed it."""

import hashlib

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from loket.accounts.models import User

CHANGE_KEY = "loket_password_change_required"


def password_policy_failures(password: str, user: User) -> list[str]:
    """What the password policy has against `password` for `user`, in the person's language; empty when it passes."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [str(message) for message in error.messages]
    return []


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password.encode()).hexdigest()[:32]


def password_change_require(session: SessionBase, user: User) -> None:
    """This session may do nothing but change `user`'s password, until the stored password is another one."""
    session[CHANGE_KEY] = _fingerprint(user)


def password_change_required(session: SessionBase, user: User) -> bool:
    """Whether this session still has to change the password (a changed one ends the requirement for good)."""
    wanted = session.get(CHANGE_KEY)
    if wanted is None:
        return False
    if wanted != _fingerprint(user):
        session.pop(CHANGE_KEY, None)
        return False
    return True


PASSWORD_CHANGE_MESSAGE = gettext_lazy(
    "Uw wachtwoord voldoet niet aan de regels van het Loket: het is bijvoorbeeld te kort of staat op een lijst van "
    "veelgebruikte wachtwoorden. Kies eerst een nieuw wachtwoord; daarna kunt u verder werken."
)

# What a session that must change its password may still reach: the change itself (with its strength meter), signing
# out, the language and the privacy notice (URL names, with their namespace).
WHILE_CHANGE_REQUIRED = frozenset(
    {
        "admin:password_change",
        "admin:password_change_done",
        "helpdesk-password-strength",
        "admin:logout",
        "admin:jsi18n",
        "accounts:logout",
        "set_language",
        "core:privacy",
    }
)
