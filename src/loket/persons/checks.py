"""Deployment check (`manage.py check --deploy`): national register numbers (and the back office's app keys, sealed
with the same secrets: `accounts/second_factor_keys.py`, and the pepper of its passwords: `accounts/passwords.py`)
under a key of their own."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def person_number_keys_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    keys = list(settings.LOKET_PERSON_NUMBER_KEYS)
    if keys[:1] != [settings.SECRET_KEY]:
        return []
    return [
        Warning(
            "National register numbers and the back office's authenticator app keys are sealed with SECRET_KEY, "
            "and the back office's passwords peppered with it (LOKET_PERSON_NUMBER_KEYS is not set).",
            hint=(
                "Set LOKET_PERSON_NUMBER_KEYS to a secret of its own, followed by the SECRET_KEY as an old key, run "
                "`manage.py person_numbers_rekey`, and drop the SECRET_KEY from the list once it ends without error "
                "(every back-office person has signed in again): a leaked or rotated SECRET_KEY must not open or "
                "lose the numbers, app keys and passwords (docs/operations.md)."
            ),
            id="loket.persons.W001",
        )
    ]
