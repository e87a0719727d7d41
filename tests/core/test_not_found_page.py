"""The 404 page: what a clerk sees for an address that does not exist or for another body's (or person's) object,
which answers the same (STYLE.md, rule 2). Django's own was a bare English "Not Found" without the portal around it:
no way back, no footer, no hint that the body chosen at the top decides what one may open."""

import pytest
from django.test import Client

from loket.accounts.roles import Role
from loket.accounts.services import access_request_create
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_another_persons_access_request_is_not_found_on_the_portals_page(settings, clerk, municipality):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    stranger = make_user("stefan-stranger")
    theirs = access_request_create(
        user=stranger,
        organisation=municipality,
        first_name="Stefan",
        last_name="Stranger",
        email="stefan@example.org",
        phone="",
        job_title="",
        roles=[Role.TOEZICHT],
        reason="Reden van Stefan",
    )
    client = Client()
    client.force_login(clerk)
    response = client.get(f"/mijn-aanvragen/{theirs.pk}/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Pagina niet gevonden</h1>" in body and "Reden van Stefan" not in body
    assert "Kies bovenaan het bestuur waar de pagina bij hoort" in body
    assert '<a href="/">Naar de startpagina</a>' in body
    assert '<a href="/privacyverklaring/">Privacyverklaring</a>' in body.split("<footer", 1)[1]

    client.cookies["django_language"] = "en"
    english = client.get("/bestaat-niet/").content.decode()
    assert "<h1>Page not found</h1>" in english and '<html lang="en">' in english


def test_an_anonymous_visitor_is_not_told_about_bodies(settings, client):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    body = client.get("/bestaat-niet/").content.decode()
    assert "<h1>Pagina niet gevonden</h1>" in body and "Werkt u voor meer besturen" not in body


def test_a_wrong_address_is_a_404_even_when_the_portals_frame_cannot_be_rendered(settings, client, tmp_path, caplog):  # type: ignore[no-untyped-def]
    # Seen in the schemathesis run against the production server: its static files were never collected, so the
    # frame's {% static %} raised and a wrong address gave a 500.
    settings.DEBUG = False
    settings.LOKET_HELPDESK_EMAIL = "hulp@loket.example"
    settings.STATIC_ROOT = tmp_path  # no manifest in it
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = client.get("/schemathesis-probe\\\x1b/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Pagina niet gevonden</h1>" in body and '<h2 lang="en">Page not found</h2>' in body
    assert 'href="mailto:hulp@loket.example"' in body
    assert "The 404 page could not be rendered; the plain one was sent" in caplog.text
