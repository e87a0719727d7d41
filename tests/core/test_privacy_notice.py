"""The privacy notice (ASVS 8.3.3): public, in Dutch and English, linked from every page's footer and from the login
page, and its retention periods are the settings that the purges read."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

URL = "/privacyverklaring/"


@pytest.fixture(autouse=True)
def back_to_dutch():  # type: ignore[no-untyped-def]
    yield
    translation.deactivate()


def _row(html: str, row_id: str) -> str:
    """The text of one row of the retention table, tags removed."""
    found = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S)
    assert found, row_id
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_the_notice_is_public_and_in_dutch(client, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_HELPDESK_EMAIL = "privacyvragen@example.org"
    assert reverse("core:privacy") == URL
    response = client.get(URL)
    assert response.status_code == 200  # anonymous: no redirect to the login page
    html = response.content.decode()
    assert "<h1>Privacyverklaring</h1>" in html
    assert "Agentschap Binnenlands Bestuur" in html
    assert 'href="mailto:privacyvragen@example.org"' in html
    assert "rijksregisternummer" in html
    assert _row(html, "retention-sessions").endswith(
        "De aanmelding wordt 90 dagen na het aanmelden gewist (een sessie die dan nog loopt, later)."
    )


def test_the_notice_in_english(client):  # type: ignore[no-untyped-def]
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    html = client.get(URL).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Privacy notice</h1>" in html
    assert "Privacyverklaring" not in html and "Welke gegevens" not in html
    assert "national register number" in html
    assert "deleted 90 days after signing in" in _row(html, "retention-sessions")


def test_every_page_links_to_the_notice_in_its_footer_and_the_login_page_in_its_text(client, clerk):  # type: ignore[no-untyped-def]
    link = f'<a href="{URL}">'
    footer = re.compile(r'<footer class="site-footer wrap"[^>]*>(.*?)</footer>', re.S)
    for anonymous_page in ("/", "/ontvangstbewijs/controleren/", URL):
        assert link + "Privacyverklaring</a>" in footer.search(client.get(anonymous_page).content.decode()).group(1)
    login = client.get("/aanmelden/").content.decode()
    main = login.split("<main", 1)[1].split("</main>", 1)[0]
    assert link + "privacyverklaring</a>" in main  # in the page itself, not only in the footer
    client.force_login(clerk)
    for signed_in_page in ("/", "/mijn-sessies/", "/mijn-gegevens/"):
        assert link in footer.search(client.get(signed_in_page).content.decode()).group(1), signed_in_page


def test_the_periods_follow_the_settings(client, settings):  # type: ignore[no-untyped-def]
    before = client.get(URL).content.decode()
    assert "365 dagen" in _row(before, "retention-requests")
    assert _row(before, "retention-persons").endswith(
        "Verwijst er niets meer naar de persoon, dan wordt die 365 dagen later verwijderd. Contactgegevens van de "
        "eredienst worden gewist 365 dagen nadat het mandaat of de functie eindigde."
    )
    backups = _row(before, "retention-backups")
    assert backups.endswith("Gewist na 35 dagen. De nieuwste 7 back-ups blijven altijd bewaard.")

    settings.LOKET_ACCESS_REQUEST_RETENTION_DAYS = 180
    settings.LOKET_FORMER_USER_RETENTION_DAYS = 730
    settings.LOKET_SIGNED_IN_SESSION_RETENTION_DAYS = 30
    settings.LOKET_AUDIT_ADDRESS_RETENTION_DAYS = 60
    settings.LOKET_TASK_RETENTION_DAYS = 14
    settings.LOKET_FAILED_TASK_RETENTION_DAYS = 0  # 0: that purge is off, the data is kept
    settings.LOKET_BACKUP_RETENTION_DAYS = 1
    settings.LOKET_PERSON_UNREFERENCED_DAYS = 0
    settings.LOKET_WORSHIP_CONTACT_RETENTION_DAYS = 30
    settings.LOKET_BACKUP_KEEP_AT_LEAST = 3
    settings.SESSION_COOKIE_AGE = 4 * 3600
    after = client.get(URL).content.decode()

    requests = _row(after, "retention-requests")
    assert "daarna 180 dagen" in requests and "180 dagen nadat het lidmaatschap eindigde" in requests
    assert "365" not in requests
    assert "Uw e-mailadres wordt gewist 730 dagen nadat" in _row(after, "retention-account")
    sessions = _row(after, "retention-sessions")
    assert "ten hoogste 4 uur" in sessions and "30 dagen na het aanmelden" in sessions and "90" not in sessions
    assert "Na 60 dagen wordt een IP-adres ingekort" in _row(after, "retention-audit")
    assert _row(after, "retention-mail").endswith(
        "Verstuurd: 14 dagen na het versturen. Mislukt: niet automatisch gewist."
    )
    assert _row(after, "retention-backups").endswith("Gewist na 1 dag. De nieuwste 3 back-ups blijven altijd bewaard.")
    assert _row(after, "retention-persons").endswith(
        "Een persoon naar wie niets meer verwijst, wordt niet automatisch verwijderd. Contactgegevens van de eredienst "
        "worden gewist 30 dagen nadat het mandaat of de functie eindigde."
    )
