import pytest
from django.urls import reverse

from loket.accounts.middleware import SESSION_KEY
from loket.accounts.models import Membership, User
from loket.accounts.oidc import parse_role_claim
from loket.accounts.roles import Role
from loket.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_role_claim_only_for_the_login_organisation():  # type: ignore[no-untyped-def]
    claims = parse_role_claim(
        [
            "LoketLB-toezichtGebruiker:0207451227",
            "LoketLB-bbcdrGebruiker:0207437468",
            "LoketLB-berichtenGebruiker:0207.451.227",
            "Onbekend:0207451227",
            "LoketLB-admin:0207451227",
            "zonder",
        ],
        organisation_code="0207451227",
    )
    assert claims.roles == {Role.TOEZICHT, Role.BERICHTEN}
    assert claims.is_admin is True
    assert claims.ignored == ("LoketLB-bbcdrGebruiker:0207437468", "Onbekend:0207451227", "zonder")
    assert parse_role_claim("LoketLB-toezichtGebruiker:X", organisation_code="X").roles == {Role.TOEZICHT}
    assert parse_role_claim({"no": "list"}, organisation_code="X").roles == frozenset()


def test_dev_login_refused_when_debug_off(client, settings, municipality):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.LOKET_DEV_LOGIN = True
    response = client.post(
        reverse("accounts:dev-login"),
        {"first_name": "A", "last_name": "B", "email": "a@example.org", "organisation": "Aalst"},
    )
    assert response.status_code == 404
    assert not User.objects.exists()


def test_dev_login_with_organisation_and_roles(client, settings, municipality):  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.LOKET_DEV_LOGIN = True
    response = client.post(
        reverse("accounts:dev-login"),
        {
            "first_name": "Dirk",
            "last_name": "Demo",
            "email": "d@example.org",
            "organisation": "0207451227",
            "roles": ["toezicht"],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="dev:dirk-demo")
    assert Membership.objects.get(user=user).role_codes == ["toezicht"]
    assert AuditEvent.objects.filter(action="login", actor=user).exists()
    home = client.get("/").content.decode()
    assert 'href="/modules/toezicht/"' in home and 'href="/modules/bbcdr/"' not in home


def test_dev_login_ambiguous_organisation_offers_a_choice(client, settings, municipality, other_municipality):  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.LOKET_DEV_LOGIN = True
    response = client.post(
        reverse("accounts:dev-login"),
        {"first_name": "D", "last_name": "D", "email": "d@example.org", "organisation": "0207"},
    )
    assert response.status_code == 200 and "Kies het bestuur" in response.content.decode()
    assert not User.objects.exists()
    response = client.post(
        reverse("accounts:dev-login"),
        {
            "first_name": "D",
            "last_name": "D",
            "email": "d@example.org",
            "organisation": "0207",
            "organisation_choice": other_municipality.uri,
            "roles": ["berichten"],
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__username="dev:d-d").organisation == other_municipality


def test_landing_tiles_say_who_gives_access(client, member_without_roles):  # type: ignore[no-untyped-def]
    client.force_login(member_without_roles)
    body = client.get("/").content.decode()
    assert 'href="/modules/berichtencentrum/"' in body
    # Self-registration applies: the tile links to the request form with the module's role ticked.
    assert (
        '<a class="request-access" href="/toegang-aanvragen/aaaa0000-0000-0000-0000-000000000001/?rol=toezicht">'
        "Vraag toegang aan</a>"
    ) in body
    tiles = body.split('<ul class="tiles">')[1].split("</ul>")[0]
    assert "LoketLokaalBestuur@vlaanderen.be" not in tiles  # the helpdesk is the fallback, not the first advice
    form = client.get("/toegang-aanvragen/aaaa0000-0000-0000-0000-000000000001/?rol=toezicht").content.decode()
    assert 'value="toezicht" id="id_roles_0" checked' in form or 'value="toezicht" checked' in form
    response = client.get("/modules/toezicht/")
    assert response.status_code == 403 and "Agentschap Binnenlands Bestuur" in response.content.decode()
    assert (
        '<a class="request-access" href="/toegang-aanvragen/aaaa0000-0000-0000-0000-000000000001/?rol=toezicht">'
        "Vraag toegang aan</a>"
    ) in response.content.decode()
    assert client.get("/modules/bestaat-niet/").status_code == 404


def test_tiles_fall_back_to_the_helpdesk_and_show_a_pending_request(
    client, member_without_roles, municipality, target_group
):  # type: ignore[no-untyped-def]
    from loket.accounts.services import access_request_create

    access_request = access_request_create(
        user=member_without_roles,
        organisation=municipality,
        first_name="N",
        last_name="N",
        email="n@example.org",
        phone="",
        job_title="",
        roles=["toezicht"],
        reason="Bestuurslid",
    )
    client.force_login(member_without_roles)
    body = client.get("/").content.decode()
    assert f'<a href="/mijn-aanvragen/{access_request.pk}/">Uw aanvraag is in behandeling</a>' in body
    municipality.target_groups.remove(target_group)  # self-registration no longer applies
    body = client.get("/").content.decode()
    assert 'class="request-access"' not in body
    assert (
        'Vraag toegang aan via de helpdesk: <a href="mailto:LoketLokaalBestuur@vlaanderen.be">'
        "LoketLokaalBestuur@vlaanderen.be</a>"
    ) in body


def test_switch_between_organisations_without_logging_out(client, clerk, municipality, other_municipality):  # type: ignore[no-untyped-def]
    from tests.conftest import grant

    grant(clerk, other_municipality, [Role.BERICHTEN])
    client.force_login(clerk)
    client.get("/")
    response = client.post(reverse("accounts:switch"), {"organisation": other_municipality.pk})
    assert response.status_code == 302 and client.session[SESSION_KEY] == other_municipality.pk
    assert client.get("/modules/toezicht/").status_code == 403  # roles follow the organisation
    response = client.get("/modules/berichtencentrum/")  # the module has its own pages now
    assert response.status_code == 302 and response["Location"] == "/berichtencentrum/"
    assert client.get("/berichtencentrum/").status_code == 200


def test_switch_to_an_organisation_you_are_not_member_of_is_404(client, clerk, other_municipality):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = client.post(reverse("accounts:switch"), {"organisation": other_municipality.pk})
    assert response.status_code == 404
    assert client.session.get(SESSION_KEY) != other_municipality.pk


def test_logout_is_post_only_and_audited(client, clerk):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=clerk).count() == 1
    assert client.get("/modules/toezicht/").status_code == 302


def test_login_throttling(client, settings):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()  # attempts of earlier tests in the same minute window would count
    settings.LOKET_LOGIN_THROTTLE = 2
    settings.OIDC_ISSUER = ""
    codes = [client.get(reverse("accounts:oidc-start")).status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_security_headers(client):  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_english_is_available(client):  # type: ignore[no-untyped-def]
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/").content.decode()


def test_dutch_even_when_the_browser_prefers_english(client):  # type: ignore[no-untyped-def]
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="nl"' in body and "Aanmelden" in body
