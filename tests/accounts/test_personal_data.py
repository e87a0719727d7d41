"""'Mijn gegevens' (ASVS 8.3.2): a signed-in user sees and downloads what the Loket holds about them — their account
(never the password hash), memberships with roles, access requests, sessions and the audit events they acted in —
and nothing about anyone else; the download is an audited JSON attachment; deleting is the helpdesk's, not
self-service."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loket.accounts import personal_data
from loket.accounts.models import SignedInSession, User
from loket.accounts.roles import MODULE_ROLES, Role
from loket.accounts.services import access_request_create
from loket.core.audit import audit_record
from loket.core.models import AuditEvent
from loket.core.security import SANDBOX_POLICY
from loket.organisations.models import Organisation
from tests.conftest import grant
from tests.test_security_headers import header_problems

pytestmark = pytest.mark.django_db

PAGE = "/mijn-gegevens/"
DOWNLOAD = "/mijn-gegevens/downloaden/"
PASSWORD = "geheim-wachtwoord-123"


def _ask(user: User, organisation: Organisation, reason: str) -> None:
    access_request_create(
        user=user,
        organisation=organisation,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        phone="",
        job_title="",
        roles=[Role.MANDATEN],
        reason=reason,
    )


def _signed_in(user: User, address: str) -> Client:
    """A browser signed in as `user`, with its row on "Mijn sessies" as a sign-in writes it."""
    browser = Client()
    browser.force_login(user)
    SignedInSession.objects.create(
        user=user,
        session_key=browser.session.session_key,
        started_at=timezone.now(),
        method="oidc",
        address=address,
        browser="Firefox/Windows",
    )
    return browser


@pytest.fixture
def clara(clerk, other_municipality):  # type: ignore[no-untyped-def]
    """A clerk of Aalst (every module role) with a password, a request to Berlare and an event of her own."""
    clerk.first_name = "Clara-Zoë"  # not ASCII: the file is UTF-8, not \\u escapes
    clerk.subject = "sub-clara-0001"
    clerk.set_password(PASSWORD)
    clerk.save()
    _ask(clerk, other_municipality, "Ik help Berlare met de mandaten")
    return clerk


@pytest.fixture
def stefan(stranger, municipality):  # type: ignore[no-untyped-def]
    """A member of Berlare (another body), with data of his own everywhere Clara has hers."""
    stranger.set_password(PASSWORD)
    stranger.save()
    _ask(stranger, municipality, "Reden van Stefan")
    audit_record(action="logout", actor=stranger, organisation=stranger.memberships.get().organisation)
    _signed_in(stranger, "198.51.100.7")
    return stranger


def _download(browser: Client):  # type: ignore[no-untyped-def]
    response = browser.post(DOWNLOAD)
    assert response.status_code == 200
    return response, json.loads(response.content.decode("utf-8"))


def test_the_download_holds_my_data_and_nobody_elses(clara, stefan, municipality):  # type: ignore[no-untyped-def]
    audit_record(action="logout", actor=clara, organisation=municipality)
    browser = _signed_in(clara, "192.0.2.10")

    response, document = _download(browser)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-')
    assert response["Content-Disposition"].endswith('.json"')
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert header_problems("Mijn gegevens downloaden", browser.post(DOWNLOAD, secure=True)) == []
    assert "Clara-Zoë".encode() in response.content
    assert document["gebruiker"] == {
        "gebruikersnaam": "clara-clerk",
        "identiteit_sub": "sub-clara-0001",
        "voornaam": "Clara-Zoë",
        "familienaam": "Clerk",
        "e_mailadres": "clara-clerk@example.org",
        "actief": True,
        "helpdeskmedewerker": False,
        "geregistreerd_op": timezone.localtime(clara.date_joined).isoformat(),
        "laatst_aangemeld_op": timezone.localtime(User.objects.get(pk=clara.pk).last_login).isoformat(),
    }
    [membership] = document["lidmaatschappen"]
    assert membership["bestuur"] == "Aalst" and membership["actief"] is True
    assert [role["code"] for role in membership["rollen"]] == sorted(str(role) for role in MODULE_ROLES)
    [access_request] = document["toegangsaanvragen"]
    assert access_request["bestuur"] == "Berlare" and access_request["reden"] == "Ik help Berlare met de mandaten"
    assert access_request["gevraagde_rollen"] == [{"code": "mandaten", "naam": str(Role.MANDATEN.label)}]
    assert [(s["adres"], s["deze_sessie"]) for s in document["sessies"]] == [("192.0.2.10", True)]
    events = document["auditgebeurtenissen"]
    assert [event["actie"] for event in events["gebeurtenissen"]] == ["logout", "access.requested"]
    assert events["volledig"] is True and events["maximum"] == personal_data.EXPORT_EVENT_LIMIT

    text = response.content.decode("utf-8")
    clara.refresh_from_db()
    for secret in (clara.password, clara.password.split("$")[-1], PASSWORD, '"password"', 'wachtwoord"'):
        assert secret not in text, secret
    for theirs in ("Stefan", "stefan-stranger", "198.51.100.7", stefan.email, "Reden van Stefan"):
        assert theirs not in text, theirs


def test_the_download_is_audited_and_the_page_is_not(clara):  # type: ignore[no-untyped-def]
    browser = _signed_in(clara, "192.0.2.10")
    assert browser.get(PAGE).status_code == 200
    # Posted only, with the CSRF token; a GET (a bookmark, or the sign-in a POST with an expired session was sent to,
    # which comes back to the download's address) goes to the page with the button, not to an empty 405.
    response = browser.get(DOWNLOAD)
    assert (response.status_code, response.headers["Location"]) == (302, PAGE)
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()

    _download(browser)
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert event.actor == clara and event.organisation is None
    assert event.details == {"address": "127.0.0.1", "events": 1, "complete": True}


def test_anonymous_is_sent_to_the_login_page_and_nothing_is_recorded(client):  # type: ignore[no-untyped-def]
    for response in (client.get(PAGE), client.post(DOWNLOAD)):
        assert response.status_code == 302
        assert response["Location"].startswith("/aanmelden/?next=/mijn-gegevens/")
    assert not AuditEvent.objects.exists()


def test_the_page_shows_my_data_says_how_to_delete_and_is_linked_from_my_sessions(clara, stefan, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_HELPDESK_EMAIL = "helpdesk-test@example.org"
    browser = _signed_in(clara, "192.0.2.10")
    assert '<a href="/mijn-gegevens/">Mijn gegevens</a>' in browser.get("/mijn-sessies/").content.decode()
    page = browser.get(PAGE).content.decode()
    assert "Clara-Zoë Clerk" in page and "sub-clara-0001" in page
    assert "Aalst" in page and "Berlare" in page  # the membership and the request's body
    assert f'action="{DOWNLOAD}"' in page and 'name="csrfmiddlewaretoken"' in page
    assert "Uw gegevens wissen kunt u niet zelf." in page
    assert page.count('href="mailto:helpdesk-test@example.org"') == 2  # the deletion paragraph and the footer
    assert "Stefan" not in page and "Reden van Stefan" not in page and "198.51.100.7" not in page


def test_the_events_are_the_newest_and_a_cut_list_says_so(clara, monkeypatch):  # type: ignore[no-untyped-def]
    browser = _signed_in(clara, "192.0.2.10")
    for number in range(4):
        audit_record(action="session.ended", actor=clara, others=number, address="192.0.2.10")
    monkeypatch.setattr(personal_data, "EXPORT_EVENT_LIMIT", 3)
    _response, document = _download(browser)
    events = document["auditgebeurtenissen"]
    assert events["maximum"] == 3 and events["volledig"] is False
    assert [event["omschrijving"] for event in events["gebeurtenissen"]] == [
        f"{number} andere sessie(s) afgemeld via Mijn sessies, vanaf 192.0.2.10." for number in (3, 2, 1)
    ]
    assert AuditEvent.objects.get(action="personal_data.exported").details["complete"] is False

    monkeypatch.setattr(personal_data, "EXPORT_EVENT_LIMIT", 10)
    _response, document = _download(browser)
    # all of hers: the four, the request, and the first download (the second records itself after it is made)
    assert len(document["auditgebeurtenissen"]["gebeurtenissen"]) == 6
    assert document["auditgebeurtenissen"]["volledig"] is True


def test_the_page_does_not_query_per_row(clara, municipality, other_municipality):  # type: ignore[no-untyped-def]
    browser = _signed_in(clara, "192.0.2.10")
    browser.get(PAGE)  # warm caches (naming, session)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(PAGE).status_code == 200
        return len(captured)

    before = queries()
    for number in range(5):
        audit_record(action="logout", actor=clara, organisation=other_municipality if number % 2 else municipality)
    grant(clara, other_municipality, [Role.TOEZICHT, Role.BERICHTEN])
    assert queries() == before


def test_a_download_posted_with_an_expired_session_ends_on_the_page_with_the_button(clara):  # type: ignore[no-untyped-def]
    anonymous = Client()
    login = anonymous.post(DOWNLOAD)
    assert (login.status_code, login.headers["Location"]) == (302, "/aanmelden/?next=" + DOWNLOAD)
    back = _signed_in(clara, "192.0.2.10").get(DOWNLOAD, follow=True)
    assert back.redirect_chain == [(PAGE, 302)] and back.status_code == 200
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()


def test_the_self_service_buttons_look_like_the_portals_buttons(client, clerk, settings):  # type: ignore[no-untyped-def]
    """Every button of the portal has the class `button` (loket.css); a bare one showed as the browser's small grey
    default on "Mijn gegevens", "Mijn sessies" and "Bevestig wie u bent"."""
    import re

    settings.LOKET_DEV_LOGIN = True
    client.force_login(clerk)
    other = Client()
    other.force_login(clerk)
    for key in (client.session.session_key, other.session.session_key):
        SignedInSession.objects.create(user=clerk, session_key=key, started_at=timezone.now(), method="development")
    for url in ("/mijn-gegevens/", "/mijn-sessies/", "/aanmelden/bevestigen/"):
        main = client.get(url).content.decode().split("<main", 1)[1].split("</main>", 1)[0]
        buttons = re.findall(r"<button[^>]*>", main)
        assert buttons, url
        assert [b for b in buttons if 'class="button' not in b] == [], url


def test_the_headers_menu_leads_to_my_data_in_both_languages(clara):  # type: ignore[no-untyped-def]
    """The signed-in user's menu of every page has "Mijn gegevens", beside "Mijn sessies"; not only linked from
    "Mijn sessies" and the privacy notice."""
    import re

    def user_menu(browser: Client, url: str) -> list[tuple[str, str]]:
        nav = browser.get(url).content.decode().split('class="user-nav">', 1)[1].split("</nav>", 1)[0]
        return re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)

    browser = _signed_in(clara, "192.0.2.10")
    for url in ("/", "/privacyverklaring/", "/mijn-sessies/"):
        assert user_menu(browser, url)[:2] == [(PAGE, "Mijn gegevens"), ("/mijn-sessies/", "Mijn sessies")], url
    assert browser.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert user_menu(browser, "/")[:2] == [(PAGE, "My data"), ("/mijn-sessies/", "My sessions")]
    assert (PAGE, "Mijn gegevens") not in user_menu(Client(), "/privacyverklaring/")  # nobody's data to show
