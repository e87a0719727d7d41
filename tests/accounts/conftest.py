"""Fixtures of the accounts tests."""

from typing import Any

import pytest

from loket.accounts.models import User
from tests.conftest import make_user

PASSWORD = "juist-wachtwoord-123"


@pytest.fixture
def hilde():  # type: ignore[no-untyped-def]
    """A helpdesk person with a back-office password (PASSWORD)."""
    user = make_user("hilde-helpdesk", staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def keys_in_use(settings: Any, keys: list[str], *, password_of: User) -> None:
    """LOKET_PERSON_NUMBER_KEYS from here on, and the person's password (PASSWORD) set again under them: its pepper
    comes from the same secrets (accounts/passwords.py), so a password set under other secrets would not verify."""
    settings.LOKET_PERSON_NUMBER_KEYS = keys
    password_of.set_password(PASSWORD)
    password_of.save(update_fields=["password"])


# The back office's change form of Dirk Demo (tests.conftest.make_user("dirk-demo")), made helpdesk staff.
DIRK_MADE_STAFF = {
    "username": "dirk-demo",
    "first_name": "Dirk",
    "last_name": "Demo",
    "email": "dirk@example.org",
    "is_active": "on",
    "is_staff": "on",
    "date_joined_0": "2026-01-01",
    "date_joined_1": "10:00:00",
}
