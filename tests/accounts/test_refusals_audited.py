"""ASVS 7.2.1/7.2.2, 8.1.1, 14.5.4, 3.4.4, 2.1.1: back-office password logins (failed or not) and refused pages are
in the audit trail; pages for a signed-in user are never cached; behind a proxy the throttle sees the client, not the
proxy; production cookies carry the `__Host-` prefix; back-office passwords have at least 12 characters."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from loket.core.audit import audit_describe
from loket.core.models import AuditEvent
from loket.core.throttle import client_ip
from tests.conftest import make_user
from tests.support.second_factor import helpdesk_sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]
ROOT = Path(__file__).resolve().parents[2]


def test_a_failed_back_office_login_is_audited_with_the_name_typed_never_the_password(client):  # type: ignore[no-untyped-def]
    admin = make_user("hilde-helpdesk", staff=True)
    admin.set_password("juist-wachtwoord-123")
    admin.save()
    client.post("/helpdesk/login/", {"username": "hilde-helpdesk", "password": "geheim-fout-987"})
    failed = AuditEvent.objects.get(action="login.failed")
    assert failed.actor is None and failed.details["username"] == "hilde-helpdesk"
    assert failed.details["address"] == "127.0.0.1"
    assert "geheim-fout-987" not in json.dumps(failed.details) + failed.actor_label
    assert not AuditEvent.objects.filter(action="login").exists()
    helpdesk_sign_in(client, "hilde-helpdesk", "juist-wachtwoord-123")
    success = AuditEvent.objects.get(action="login")
    assert success.actor == admin and success.details["method"] == "password"
    assert AuditEvent.objects.filter(action="login.failed").count() == 1


def test_a_refused_page_is_audited_with_who_where_and_why(client, clerk, municipality):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = client.get("/toezichthouder/inzendingen/")
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor == clerk and event.organisation == municipality
    assert event.details["path"] == "/toezichthouder/inzendingen/" and event.details["method"] == "GET"
    assert "Toezichthouder" in event.details["reason"]


def test_a_visitor_s_refusal_names_the_address_and_the_audit_is_bounded_per_minute(client, settings, clerk):  # type: ignore[no-untyped-def]
    settings.LOKET_DENIAL_AUDIT_LIMIT = 3
    client.force_login(clerk)
    codes = [client.get("/toezichthouder/inzendingen/").status_code for _ in range(6)]
    assert codes == [403] * 6  # the page refuses every time; only the audit trail stops counting
    assert AuditEvent.objects.filter(action="access.denied").count() == 3


def test_pages_for_a_signed_in_user_are_never_cached_public_ones_keep_their_own(client, clerk):  # type: ignore[no-untyped-def]
    anonymous = client.get("/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(clerk)
    for path in ("/", "/toezicht/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store, private", path


def test_behind_a_proxy_the_throttle_keys_on_the_address_the_proxy_saw(settings):  # type: ignore[no-untyped-def]
    factory = RequestFactory()
    # A client's own X-Forwarded-For entries come first; the trusted proxy appends what it saw.
    request = factory.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    settings.LOKET_TRUSTED_PROXY_HOPS = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy configured: the header is anyone's words
    settings.LOKET_TRUSTED_PROXY_HOPS = 1
    assert client_ip(request) == "198.51.100.7"
    settings.LOKET_TRUSTED_PROXY_HOPS = 2
    assert client_ip(request) == "6.6.6.6"
    settings.LOKET_TRUSTED_PROXY_HOPS = 3
    assert client_ip(request) == "10.0.0.2"  # fewer entries than proxies: not trusted
    settings.LOKET_TRUSTED_PROXY_HOPS = 1
    forged = factory.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.2")
    assert client_ip(forged) == "10.0.0.2"


def test_production_cookies_carry_the_host_prefix_development_keeps_django_s_names():  # type: ignore[no-untyped-def]
    def names(**environment: str) -> list[str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOKET_", "DEBUG"))}
        script = (
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'loket.settings'); django.setup();"
            "from django.conf import settings as s;"
            "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE)"
        )
        run = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env={**clean, **environment}, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr[-2000:]
        return run.stdout.split()

    production = names(DEBUG="0", LOKET_DEV="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="loket.example")
    assert production == ["__Host-sessionid", "__Host-csrftoken", "True"]
    assert names(LOKET_DEV="1")[:2] == ["sessionid", "csrftoken"]


def test_back_office_passwords_need_twelve_characters_and_not_a_common_one():  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="12"):
        validate_password("Kort-3x!")
    with pytest.raises(ValidationError):
        validate_password("password1234")
    validate_password("paars-kanaal-vijftien-7")


def test_a_refusal_that_is_not_a_missing_role_says_why_in_the_portal_s_frame(client, clerk):  # type: ignore[no-untyped-def]
    """A staff-only page for a clerk: the portal's 403 page with the reason, in Dutch or English, not Django's bare
    English one."""
    client.force_login(clerk)
    response = client.get("/simulatie/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Geen toegang</h1>" in page and "alleen voor medewerkers van het agentschap" in page
    assert "mailto:" in page and "403 Forbidden" not in page
    client.cookies["django_language"] = "en"
    english = client.get("/simulatie/").content.decode()
    assert "<h1>No access</h1>" in english and "only for staff of the agency" in english
    event = AuditEvent.objects.filter(action="access.denied").earliest("pk")  # the Dutch request's
    assert "alleen voor medewerkers van het agentschap" in event.details["reason"]


@pytest.mark.parametrize("path", ["/simulatie/", "/toezichthouder/inzendingen/"])  # staff only; a missing role
def test_a_refusal_is_a_403_even_when_the_portals_frame_cannot_be_rendered(  # type: ignore[no-untyped-def]
    settings, client, clerk, tmp_path, caplog, path
):
    # As the 404 page: a production server whose static files were never collected cannot render the frame.
    settings.LOKET_HELPDESK_EMAIL = "hulp@loket.example"
    settings.STATIC_ROOT = tmp_path  # no manifest in it
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    client.force_login(clerk)
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Geen toegang</h1>" in body and '<h2 lang="en">No access</h2>' in body
    assert 'href="mailto:hulp@loket.example"' in body
    assert "The 403 page could not be rendered; the plain one was sent: " + path in caplog.text
    assert AuditEvent.objects.filter(action="access.denied", details__path=path).count() == 1


@pytest.mark.parametrize(
    ("path", "english", "dutch", "translated"),
    [
        (
            "/simulatie/",
            "only for staff of the agency",
            "Deze pagina is alleen voor medewerkers van het agentschap.",
            "This page is only for staff of the agency.",
        ),
        (
            "/toezichthouder/inzendingen/",
            "Supervisor",
            "de rol Toezichthouder ontbreekt",
            "the role Supervisor is missing",
        ),
    ],
)
def test_an_english_readers_refusal_is_audited_in_dutch(client, clerk, path, english, dutch, translated):  # type: ignore[no-untyped-def]
    """The audit trail is in one language, the product's language of record; the page is in the reader's."""
    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    response = client.get(path)
    assert response.status_code == 403 and "<h1>No access</h1>" in response.content.decode()
    assert english in response.content.decode()
    event = AuditEvent.objects.get(action="access.denied")
    assert event.details["reason"] == dutch
    # Read back, the reason is in the reader's language again (the back office's audit list).
    with translation.override("en"):
        assert f": {translated}" in audit_describe(event)
    with translation.override("nl"):
        assert f": {dutch}" in audit_describe(event)
