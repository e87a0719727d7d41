"""A back-office password is checked against the policy at every sign-in, not only when it is set (ASVS 2.1.7): one on
Django's list of common passwords, or too short, still signs in, but the session reaches nothing but the password
change until the password is another one. Real sign-ins through both steps of the back office's login."""

import pytest
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.contrib.sessions.backends.db import SessionStore

from loket.accounts.password_policy import password_change_require, password_change_required
from loket.core.models import AuditEvent
from tests.conftest import make_user
from tests.support.second_factor import helpdesk_sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

NEW_PASSWORD = "een-nieuw-lang-wachtwoord-7"
CHANGE_PAGE = "/helpdesk/password_change/"


def common_password() -> str:
    """A password on Django's list that no other rule refuses: long enough, not only digits."""
    return next(p for p in sorted(CommonPasswordValidator().passwords) if len(p) >= 12 and not p.isdigit())


@pytest.fixture
def weak_hilde():  # type: ignore[no-untyped-def]
    """A helpdesk person whose password was set before the policy (set_password does not check it)."""
    user = make_user("hilde-helpdesk", staff=True)
    user.set_password(common_password())
    user.save()
    return user


def test_a_common_password_signs_in_only_to_change_it(client, weak_hilde):  # type: ignore[no-untyped-def]
    other = make_user("karel-helpdesk", staff=True)
    other.set_password(NEW_PASSWORD)
    other.save()

    answer, _ = helpdesk_sign_in(client, "hilde-helpdesk", common_password(), next_url="/helpdesk/")
    assert answer.status_code == 302 and answer["Location"] == CHANGE_PAGE
    page = client.get(CHANGE_PAGE)
    assert page.status_code == 200 and "Kies eerst een nieuw wachtwoord" in page.content.decode()

    for address in ("/helpdesk/", "/helpdesk/accounts/user/", "/mijn-sessies/"):
        elsewhere = client.get(address)
        assert elsewhere.status_code == 302 and elsewhere["Location"] == CHANGE_PAGE, address

    before = other.password
    refused = client.post(
        f"/helpdesk/accounts/user/{other.pk}/password/", {"password1": "x-" * 10, "password2": "x-" * 10}
    )
    assert refused.status_code == 403 and "Kies eerst een nieuw wachtwoord" in refused.content.decode()
    other.refresh_from_db()
    assert other.password == before
    assert AuditEvent.objects.filter(action="access.denied", actor=weak_hilde).exists()

    again = client.post(
        CHANGE_PAGE,
        {"old_password": common_password(), "new_password1": common_password(), "new_password2": common_password()},
    )
    assert again.status_code == 200  # the same password is refused by the policy here too
    weak_hilde.refresh_from_db()
    assert weak_hilde.check_password(common_password())

    changed = client.post(
        CHANGE_PAGE, {"old_password": common_password(), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert changed.status_code == 302
    assert client.get("/helpdesk/").status_code == 200
    assert client.get("/helpdesk/accounts/user/").status_code == 200


def test_a_password_that_passes_the_policy_goes_where_it_was_going(client):  # type: ignore[no-untyped-def]
    user = make_user("hilde-helpdesk", staff=True)
    user.set_password(NEW_PASSWORD)
    user.save()
    answer, _ = helpdesk_sign_in(client, "hilde-helpdesk", NEW_PASSWORD, next_url="/helpdesk/accounts/user/")
    assert answer.status_code == 302 and answer["Location"] == "/helpdesk/accounts/user/"
    assert client.get("/helpdesk/").status_code == 200


def test_a_short_password_set_before_the_rule_must_be_changed_too(client):  # type: ignore[no-untyped-def]
    user = make_user("hilde-helpdesk", staff=True)
    user.set_password("kort-7")
    user.save()
    answer, _ = helpdesk_sign_in(client, "hilde-helpdesk", "kort-7", next_url="/helpdesk/")
    assert answer["Location"] == CHANGE_PAGE


def test_a_password_changed_elsewhere_ends_the_requirement(weak_hilde):  # type: ignore[no-untyped-def]
    session = SessionStore()
    password_change_require(session, weak_hilde)
    assert password_change_required(session, weak_hilde)
    weak_stored = weak_hilde.password
    weak_hilde.set_password(NEW_PASSWORD)  # e.g. by another administrator
    weak_hilde.save()
    assert not password_change_required(session, weak_hilde)
    # It does not come back, not even with the very hash it was required for (a new set_password would have another
    # salt, so only the stored hash itself shows that the requirement ended for good).
    weak_hilde.password = weak_stored
    assert not password_change_required(session, weak_hilde)
