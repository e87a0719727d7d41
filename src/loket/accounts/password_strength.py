"""How strong a back-office password being typed is (ASVS 2.1.8): the meter under the new-password field of the
admin's three password forms (one's own change, setting another person's, adding a person).

Two answers, for the person typing: zxcvbn's score, 0 (guessed at once) to 4 (very unlikely to be guessed), which
counts words, names, dates, keyboard patterns and repeats rather than kinds of characters; and what the Loket's own
policy (`AUTH_PASSWORD_VALIDATORS`, through `accounts.password_policy`) has against the password: the validators that
decide when the form is sent and at every sign-in. The meter only helps: nothing is stored, logged or audited, and
the form's own check on saving still decides.

zxcvbn's suggestions are English sentences and are not passed on: the policy's messages, in the person's language,
say what must change; the score says how guessable the rest is."""

import threading
from dataclasses import dataclass

from zxcvbn import zxcvbn

from loket.accounts.models import User
from loket.accounts.password_policy import password_policy_failures

# zxcvbn refuses longer input (its matching grows with the square of the length); a password this long is scored
# by its first 72 characters, while the policy's validators see all of it.
SCORED_LENGTH = 72
# zxcvbn keeps the user's words in a module-level dictionary for the length of one call: one call at a time.
_scoring = threading.Lock()


@dataclass(frozen=True)
class PasswordStrength:
    score: int  # zxcvbn: 0 weak … 4 very strong
    failures: list[str]  # the policy's messages, in the active language; empty when the password passes


def password_strength_assess(*, password: str, person: User) -> PasswordStrength:
    """The score and the policy's verdict for `password` as `person`'s password (an unsaved User on the add page:
    the validators and zxcvbn only read its name and e-mail address)."""
    words = [value for value in (person.username, person.first_name, person.last_name, person.email) if value]
    if not password:  # zxcvbn raises IndexError on an empty password; nothing typed is guessed at once
        return PasswordStrength(score=0, failures=password_policy_failures(password, person))
    with _scoring:
        score = int(zxcvbn(password[:SCORED_LENGTH], user_inputs=words)["score"])
    return PasswordStrength(score=score, failures=password_policy_failures(password, person))
