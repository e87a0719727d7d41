"""Login through a real OpenID Connect provider (oidc-provider-mock on loopback): the authorisation request
(state, nonce, PKCE S256), the code exchange, the ID token, and what the Loket makes of the claims."""

import base64
import hashlib
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from loket.accounts.middleware import SESSION_KEY
from loket.accounts.models import Membership, SignedInSession, User
from loket.accounts.roles import Role
from loket.core.models import AuditEvent
from loket.organisations.models import Channel
from tests.conftest import grant
from tests.support.oidc import CLIENT_ID, query_of

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/authorization/callback"


def start_login(client, provider) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    response = client.get("/aanmelden/oidc/")
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.startswith(provider.authorize_endpoint + "?"), location
    return location, query_of(location)


def callback_path(redirect: str) -> str:
    parts = urlsplit(redirect)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK, redirect
    return f"{parts.path}?{parts.query}"


def login_via_provider(client, provider, sub: str, claims: dict) -> tuple:  # type: ignore[no-untyped-def]
    provider.register_user(sub, claims)
    authorize_url, _params = start_login(client, provider)
    redirect = provider.authorize(authorize_url, sub)
    return client.get(callback_path(redirect)), redirect


def logged_in_user_id(client) -> str | None:  # type: ignore[no-untyped-def]
    return client.session.get("_auth_user_id")


def test_authorisation_request_carries_state_nonce_and_s256_challenge(client, oidc_settings, oidc_provider):
    _url, params = start_login(client, oidc_provider)

    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == CALLBACK
    assert params["scope"] == "openid profile vo abb_loketLB"
    assert params["code_challenge_method"] == "S256"
    assert len(params["state"]) >= 20
    assert len(params["nonce"]) >= 20
    # The challenge is the S256 of a verifier Authlib keeps in our session: find it and recompute.
    session_states = {k: v for k, v in client.session.items() if k.startswith("_state_idp_")}
    assert list(session_states) == [f"_state_idp_{params['state']}"]
    state_data = session_states[f"_state_idp_{params['state']}"]["data"]
    assert state_data["nonce"] == params["nonce"]
    digest = hashlib.sha256(state_data["code_verifier"].encode("ascii")).digest()
    assert params["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def test_login_with_token_roles_for_the_login_organisation_only(
    client, oidc_settings, oidc_provider, municipality, other_municipality
):
    oidc_settings.LOKET_ROLES_SOURCE = "token"
    claims = {
        "given_name": "Olga",
        "family_name": "Oidc",
        "vo_email": "olga.oidc@aalst.example",
        "vo_orgcode": "0207451227",
        "abb_loketLB_rol_3d": [
            "LoketLB-toezichtGebruiker:0207451227",
            "LoketLB-berichtenGebruiker:0207451227",
            "LoketLB-bbcdrGebruiker:0207437468",  # Berlare's KBO: not the organisation she logs in for
        ],
    }
    response, redirect = login_via_provider(client, oidc_provider, "olga-sub-1", claims)

    assert "code" in query_of(redirect)
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(subject="olga-sub-1")
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "oidc:olga-sub-1",
        "Olga",
        "Oidc",
        "olga.oidc@aalst.example",
    )
    assert user.is_staff is False
    assert logged_in_user_id(client) == str(user.pk)
    assert client.session[SESSION_KEY] == municipality.pk
    # The session is listed on "Mijn sessies" (accounts/sessions.py) as signed in through ACM/IDM.
    assert list(SignedInSession.objects.values_list("user", "method", "session_key")) == [
        (user.pk, "oidc", client.session.session_key)
    ]

    memberships = list(Membership.objects.filter(user=user))
    assert [(m.organisation_id, m.source, m.is_active, m.role_codes) for m in memberships] == [
        (municipality.pk, Membership.Source.TOKEN, True, [Role.BERICHTEN.value, Role.TOEZICHT.value])
    ]
    event = AuditEvent.objects.get(action="login", actor=user)
    assert event.organisation_id == municipality.pk
    assert event.details == {
        "method": "oidc",
        "new_user": True,
        "roles_from_token": ["berichten", "toezicht"],
        "ignored_roles": ["LoketLB-bbcdrGebruiker:0207437468"],
    }

    home = client.get("/")
    assert home.status_code == 200
    assert home.context["current_organisation"] == municipality
    assert home.context["current_roles"] == frozenset({"toezicht", "berichten"})
    assert client.get("/toezicht/").status_code == 200
    assert client.get("/modules/bbcdr/").status_code == 403


def test_token_roles_replace_the_previous_ones_at_the_next_login(client, oidc_settings, oidc_provider, municipality):
    oidc_settings.LOKET_ROLES_SOURCE = "token"
    base = {"given_name": "Olga", "family_name": "Oidc", "vo_orgcode": "0207.451.227"}
    login_via_provider(
        client,
        oidc_provider,
        "olga-sub-2",
        {**base, "abb_loketLB_rol_3d": ["LoketLB-toezichtGebruiker:0207451227", "LoketLB-admin:0207451227"]},
    )
    user = User.objects.get(subject="olga-sub-2")
    assert user.is_staff is True
    assert Membership.objects.get(user=user, is_active=True).role_codes == ["toezicht"]

    client.post("/afmelden/")
    response, _redirect = login_via_provider(
        client, oidc_provider, "olga-sub-2", {**base, "abb_loketLB_rol_3d": ["LoketLB-mandaatGebruiker:0207451227"]}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff is False
    assert Membership.objects.get(user=user, is_active=True).role_codes == ["mandaten"]
    assert AuditEvent.objects.filter(action="access.revoked", details__user="oidc:olga-sub-2").count() == 1


def test_roles_source_loket_ignores_the_token_roles(client, oidc_settings, oidc_provider, municipality):
    oidc_settings.LOKET_ROLES_SOURCE = "loket"
    user = User.objects.create(username="lotte", subject="lotte-sub", first_name="Lotte")
    grant(user, municipality, [Role.TOEZICHT])
    claims = {
        "given_name": "Lotte",
        "family_name": "Loket",
        "vo_orgcode": "0207451227",
        "abb_loketLB_rol_3d": ["LoketLB-berichtenGebruiker:0207451227", "LoketLB-admin:0207451227"],
    }

    response, _redirect = login_via_provider(client, oidc_provider, "lotte-sub", claims)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)
    user.refresh_from_db()
    assert (user.last_name, user.is_staff) == ("Loket", False)
    assert [(m.organisation_id, m.role_codes) for m in Membership.objects.filter(user=user, is_active=True)] == [
        (municipality.pk, ["toezicht"])
    ]
    event = AuditEvent.objects.get(action="login", actor=user)
    assert event.details["roles_from_token"] is None
    assert client.get("/").context["current_roles"] == frozenset({"toezicht"})


def test_tampered_state_is_refused(client, oidc_settings, oidc_provider, municipality):
    oidc_provider.register_user("tampered-sub", {"vo_orgcode": "0207451227"})
    authorize_url, params = start_login(client, oidc_provider)
    redirect = oidc_provider.authorize(authorize_url, "tampered-sub")
    returned = query_of(redirect)
    assert returned["state"] == params["state"]

    response = client.get("/authorization/callback", {"code": returned["code"], "state": "x" + returned["state"]})

    assert response.status_code == 400
    assert "Fout bij het aanmelden. Probeer het opnieuw." in response.content.decode()
    assert logged_in_user_id(client) is None
    assert not User.objects.filter(subject="tampered-sub").exists()
    assert not AuditEvent.objects.filter(action="login").exists()


def test_provider_error_is_refused(client, oidc_settings, oidc_provider):
    authorize_url, _params = start_login(client, oidc_provider)
    import requests

    denied = requests.post(authorize_url, data={"action": "deny"}, allow_redirects=False, timeout=5)
    assert denied.status_code == 302
    response = client.get(callback_path(denied.headers["Location"]))

    assert response.status_code == 400
    assert "Het aanmelden werd afgebroken." in response.content.decode()
    assert logged_in_user_id(client) is None


def test_unknown_organisation_code_is_refused_with_a_clear_message(client, oidc_settings, oidc_provider, municipality):
    oidc_settings.LOKET_HELPDESK_EMAIL = "helpdesk@loket.test"
    response, _redirect = login_via_provider(
        client,
        oidc_provider,
        "unknown-org-sub",
        {
            "given_name": "Udo",
            "family_name": "Unknown",
            "vo_orgcode": "0999999999",
            "abb_loketLB_rol_3d": ["LoketLB-toezichtGebruiker:0999999999"],
        },
    )

    assert response.status_code == 403
    assert (
        "Uw bestuur (code 0999999999) is niet gekend in het Loket. Neem contact op met de helpdesk "
        "(helpdesk@loket.test)."
    ) in response.content.decode()
    assert logged_in_user_id(client) is None
    assert SESSION_KEY not in client.session
    # The refusal is audited, but it rolls back with the refused login (the view raises inside the atomic
    # service). What must hold either way: no user and no login event.
    assert not User.objects.filter(subject="unknown-org-sub").exists()
    assert not AuditEvent.objects.filter(action="login").exists()


def test_organisation_on_a_platform_is_refused(client, oidc_settings, oidc_provider, municipality, religiopoint):
    oidc_settings.LOKET_ROLES_SOURCE = "token"
    municipality.channel = Channel.PLATFORM
    municipality.platform = religiopoint
    municipality.channel_since = timezone.now()
    municipality.save()

    response, _redirect = login_via_provider(
        client,
        oidc_provider,
        "platform-sub",
        {
            "given_name": "Paul",
            "family_name": "Platform",
            "vo_orgcode": "0207451227",
            "abb_loketLB_rol_3d": ["LoketLB-toezichtGebruiker:0207451227"],
        },
    )

    assert response.status_code == 403
    content = response.content.decode()
    assert "Aalst werkt sinds" in content
    assert "via Religiopoint en niet via het Loket" in content
    assert logged_in_user_id(client) is None
    assert not User.objects.filter(subject="platform-sub").exists()
    assert not Membership.objects.filter(organisation=municipality).exists()


def test_refused_login_for_an_unknown_organisation_is_audited(client, oidc_settings, oidc_provider):
    response, _redirect = login_via_provider(
        client,
        oidc_provider,
        "audit-refused-sub",
        {"given_name": "Udo", "family_name": "Unknown", "vo_orgcode": "0999999999"},
    )

    assert response.status_code == 403
    event = AuditEvent.objects.get(action="login.refused")
    assert (event.actor_label, event.details) == (
        "Udo Unknown",
        {"code": "0999999999", "reason": "unknown_organisation"},
    )


@pytest.mark.parametrize(
    ("asked", "landed"),
    [
        ("/mijn-aanvragen/", "/mijn-aanvragen/"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/steal", "/"),
    ],
)
def test_login_returns_to_a_safe_next_only(client, oidc_settings, oidc_provider, municipality, asked, landed):
    oidc_provider.register_user("next-sub", {"vo_orgcode": "0207451227"})
    response = client.get("/aanmelden/oidc/", {"next": asked})
    assert response.status_code == 302
    redirect = oidc_provider.authorize(response["Location"], "next-sub")

    callback = client.get(callback_path(redirect))

    assert callback.status_code == 302
    assert callback["Location"] == landed
    assert logged_in_user_id(client) == str(User.objects.get(subject="next-sub").pk)


def test_a_callback_cannot_be_replayed(client, oidc_settings, oidc_provider, municipality):
    response, redirect = login_via_provider(client, oidc_provider, "replay-sub", {"vo_orgcode": "0207451227"})
    assert response.status_code == 302
    client.post("/afmelden/")
    assert logged_in_user_id(client) is None

    replayed = client.get(callback_path(redirect))

    assert replayed.status_code == 400
    assert logged_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="login").count() == 1


def test_unreachable_provider_gives_a_clear_503(client, oidc_settings):
    oidc_settings.OIDC_ISSUER = "http://127.0.0.1:9"  # discard port: nothing listens

    response = client.get("/aanmelden/oidc/")

    assert response.status_code == 503
    assert "De aanmeldpagina van de Vlaamse overheid is niet bereikbaar." in response.content.decode()
