"""Fixtures of the accounts tests."""

import pytest

from tests.conftest import make_user

PASSWORD = "juist-wachtwoord-123"


@pytest.fixture
def hilde():  # type: ignore[no-untyped-def]
    """A helpdesk person with a back-office password (PASSWORD)."""
    user = make_user("hilde-helpdesk", staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


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
