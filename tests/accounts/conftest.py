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
