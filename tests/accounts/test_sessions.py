"""'Mijn sessies' (ASVS 3.3.4): a user sees where they are signed in and ends any other session, or all others; the
browser holding an ended session is signed out at its next request; ending is audited; another user's session is
never found."""

import pytest
from django.test import Client

from loket.accounts.models import SignedInSession
from loket.core.models import AuditEvent
from tests.accounts.conftest import PASSWORD
from tests.conftest import make_user
from tests.support.second_factor import helpdesk_sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
)


KEYS: dict[str, bytes] = {}  # each person's authenticator app, set up at their first sign-in


def signed_in(username: str, browser: str = FIREFOX) -> Client:
    """A browser that signed in through the back office's password login and its code (a real login, not
    force_login)."""
    browser_client = Client(HTTP_USER_AGENT=browser)
    response, KEYS[username] = helpdesk_sign_in(browser_client, username, PASSWORD, key=KEYS.get(username))
    assert response.status_code == 302, response.content[:300]
    return browser_client


def is_signed_in(browser: Client) -> bool:
    response = browser.get("/mijn-sessies/")
    return response.status_code == 200


def test_the_list_shows_every_session_and_ends_another_one(hilde):  # type: ignore[no-untyped-def]
    laptop, phone = signed_in("hilde-helpdesk"), signed_in("hilde-helpdesk", ANDROID)
    page = laptop.get("/mijn-sessies/").content.decode()
    assert "Firefox op Windows" in page and "Chrome op Android" in page
    assert page.count("Deze sessie") == 1 and page.count('name="session"') == 1
    phone_row = SignedInSession.objects.get(session_key=phone.session.session_key)
    assert phone_row.method == "password" and phone_row.address == "127.0.0.1"

    response = laptop.post("/mijn-sessies/", {"session": phone_row.pk})
    assert response.status_code == 302
    assert not is_signed_in(phone)  # signed out at its next request
    assert is_signed_in(laptop)
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [laptop.session.session_key]
    event = AuditEvent.objects.get(action="session.ended")
    assert event.actor == hilde and event.details["others"] == 1 and event.details["session_address"] == "127.0.0.1"


def test_all_other_sessions_end_at_once_and_the_current_one_stays(hilde):  # type: ignore[no-untyped-def]
    browsers = [signed_in("hilde-helpdesk") for _ in range(3)]
    response = browsers[0].post("/mijn-sessies/", {"scope": "others"}, follow=True)
    assert "Alle andere sessies zijn afgemeld (2)." in response.content.decode()
    assert [is_signed_in(browser) for browser in browsers] == [True, False, False]
    assert AuditEvent.objects.get(action="session.ended").details["others"] == 2


def test_another_users_session_is_not_found_and_nothing_changes(hilde):  # type: ignore[no-untyped-def]
    other = make_user("otto-other", staff=True)
    other.set_password(PASSWORD)
    other.save()
    mine, theirs = signed_in("hilde-helpdesk"), signed_in("otto-other")
    their_row = SignedInSession.objects.get(user=other)
    response = mine.post("/mijn-sessies/", {"session": their_row.pk})
    assert response.status_code == 404 and "Deze sessie bestaat niet (meer)." in response.content.decode()
    # "²" passes str.isdigit but not int(); int() refuses more than 4,300 digits (a 500 before).
    for wrong in ("", "abc", "99999", "²", "1" * 40, "1" * 5000):
        assert mine.post("/mijn-sessies/", {"session": wrong}).status_code == 404
    assert is_signed_in(theirs) and SignedInSession.objects.filter(pk=their_row.pk).exists()
    assert not AuditEvent.objects.filter(action="session.ended").exists()
    # The current session is ended by signing out, not from the list.
    own_row = SignedInSession.objects.get(user=hilde)
    assert mine.post("/mijn-sessies/", {"session": own_row.pk}).status_code == 404
    assert is_signed_in(mine)


def test_signing_out_or_an_ended_session_leaves_no_row(hilde):  # type: ignore[no-untyped-def]
    laptop, tablet = signed_in("hilde-helpdesk"), signed_in("hilde-helpdesk")
    assert laptop.post("/afmelden/").status_code == 302
    assert SignedInSession.objects.count() == 1
    # A session that expired or was ended elsewhere is not listed, and its row goes when the list is read.
    from importlib import import_module

    from django.conf import settings

    stale = signed_in("hilde-helpdesk")
    stale_key = stale.session.session_key
    assert is_signed_in(stale)
    import_module(settings.SESSION_ENGINE).SessionStore().delete(stale_key)
    page = tablet.get("/mijn-sessies/").content.decode()
    assert page.count("Deze sessie") == 1 and 'name="session"' not in page
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [tablet.session.session_key]
    assert stale.get("/mijn-sessies/").status_code == 302


def test_the_browser_is_named_in_the_language_of_the_page_not_of_the_sign_in(hilde):  # type: ignore[no-untyped-def]
    laptop = signed_in("hilde-helpdesk")  # signed in with the Dutch default
    signed_in("hilde-helpdesk", "curl/8.5.0")
    assert "Firefox op Windows" in laptop.get("/mijn-sessies/").content.decode()
    laptop.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = laptop.get("/mijn-sessies/").content.decode()
    assert "Firefox on Windows" in page and "unknown browser" in page
    assert "Firefox op Windows" not in page and "onbekende browser" not in page
