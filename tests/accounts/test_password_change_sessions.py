"""A changed back-office password ends every other session of that user (ASVS 3.3.3): Django signs a session made with
the old password out at its next request, the browser that changed it stays signed in, and 'Mijn sessies' lists the
old sessions no more, also before they are used again. The same when an administrator sets another user's password.
Real sign-ins through the back office's password login, the admin's own password pages."""

import pytest

from loket.accounts.models import SignedInSession
from tests.accounts.test_sessions import ANDROID, PASSWORD, is_signed_in, signed_in
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

NEW_PASSWORD = "een-nieuw-lang-wachtwoord-7"


@pytest.fixture
def hilde():  # type: ignore[no-untyped-def]
    user = make_user("hilde-helpdesk", staff=True)  # staff are superusers here
    user.set_password(PASSWORD)
    user.save()
    return user


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(hilde):  # type: ignore[no-untyped-def]
    laptop, phone = signed_in("hilde-helpdesk"), signed_in("hilde-helpdesk", ANDROID)
    assert "Chrome op Android" in laptop.get("/mijn-sessies/").content.decode()
    response = laptop.post(
        "/helpdesk/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content[:500]
    page = laptop.get("/mijn-sessies/").content.decode()  # the phone has made no request since
    assert "Firefox op Windows" in page and "Chrome op Android" not in page
    assert SignedInSession.objects.filter(user=hilde).count() == 1
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_an_administrator_setting_a_password_ends_all_of_that_users_sessions(hilde):  # type: ignore[no-untyped-def]
    other = make_user("karel-helpdesk", staff=True)
    other.set_password(PASSWORD)
    other.save()
    his_laptop, his_phone = signed_in("karel-helpdesk"), signed_in("karel-helpdesk", ANDROID)
    admin = signed_in("hilde-helpdesk")
    response = admin.post(
        f"/helpdesk/accounts/user/{other.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    assert not is_signed_in(his_laptop) and not is_signed_in(his_phone)
    assert is_signed_in(admin)


def test_a_session_made_before_the_secret_key_was_rotated_is_still_listed(hilde, settings):  # type: ignore[no-untyped-def]
    laptop, phone = signed_in("hilde-helpdesk"), signed_in("hilde-helpdesk", ANDROID)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" * 4
    page = laptop.get("/mijn-sessies/").content.decode()  # Django accepts the old hash through the fallback
    assert "Firefox op Windows" in page and "Chrome op Android" in page
    settings.SECRET_KEY_FALLBACKS = []
    assert not is_signed_in(phone)  # without the fallback the old hash is refused, as Django's get_user does
