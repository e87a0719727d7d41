"""A session signed in at the identity provider confirms there (ASVS 3.7.1, 4.3.3): the confirmation page sends the
person back to the real OpenID Connect provider with `prompt=login` and `max_age=0`, and the new sign-in stamps the
session and returns to the page that asked."""

import time

import pytest

from loket.core.access import SIGNED_IN_AT
from loket.core.models import AuditEvent
from tests.integration.test_oidc_login import callback_path
from tests.support.oidc import query_of

pytestmark = pytest.mark.django_db


def test_an_identity_provider_session_confirms_by_signing_in_there_again(  # type: ignore[no-untyped-def]
    client, oidc_settings, oidc_provider, municipality
):
    from tests.integration.test_oidc_login import login_via_provider

    claims = {"given_name": "Olga", "family_name": "Oidc", "vo_email": "olga@aalst.example", "vo_orgcode": "0207451227"}
    response, _redirect = login_via_provider(client, oidc_provider, "olga-sub-2", claims)
    assert response.status_code == 302
    session = client.session
    session[SIGNED_IN_AT] = stale = time.time() - 16 * 60
    session.save()

    page = client.get("/aanmelden/bevestigen/?next=/mijn-sessies/").content.decode()
    assert "Opnieuw aanmelden" in page and 'name="code"' not in page
    sent = client.post("/aanmelden/bevestigen/", {"next": "/mijn-sessies/"})
    assert sent.status_code == 302 and sent["Location"].startswith(oidc_provider.authorize_endpoint + "?")
    asked = query_of(sent["Location"])
    assert asked["prompt"] == "login" and asked["max_age"] == "0"

    back = client.get(callback_path(oidc_provider.authorize(sent["Location"], "olga-sub-2")))
    assert back.status_code == 302 and back["Location"] == "/mijn-sessies/"
    assert client.session[SIGNED_IN_AT] > stale + 15 * 60
    confirmed = AuditEvent.objects.get(action="login.confirmed")
    assert confirmed.actor.subject == "olga-sub-2" and confirmed.details["method"] == "oidc"


def test_a_confirmation_that_comes_back_as_another_person_confirms_nobody(  # type: ignore[no-untyped-def]
    client, oidc_settings, oidc_provider, municipality
):
    from tests.integration.test_oidc_login import logged_in_user_id, login_via_provider

    olga = {"given_name": "Olga", "family_name": "Oidc", "vo_email": "olga@aalst.example", "vo_orgcode": "0207451227"}
    login_via_provider(client, oidc_provider, "olga-sub-3", olga)
    olga_id = logged_in_user_id(client)
    session = client.session
    session[SIGNED_IN_AT] = stale = time.time() - 16 * 60
    session.save()
    oidc_provider.register_user(
        "karel-sub-3",
        {
            "given_name": "Karel",
            "family_name": "Collega",
            "vo_email": "karel@aalst.example",
            "vo_orgcode": "0207451227",
        },
    )
    sent = client.post("/aanmelden/bevestigen/", {"next": "/mijn-sessies/"})
    back = client.get(callback_path(oidc_provider.authorize(sent["Location"], "karel-sub-3")))  # a colleague signs in
    page = back.content.decode()
    assert back.status_code == 403 and "<h1>Niet bevestigd</h1>" in page
    assert "U werkt in het Loket als Olga Oidc, maar bij de Vlaamse overheid meldde Karel Collega zich aan." in page
    assert 'href="/aanmelden/bevestigen/?next=/mijn-sessies/"' in page  # confirm again, back to the page that asked
    assert logged_in_user_id(client) == olga_id and client.session[SIGNED_IN_AT] == stale  # nothing confirmed
    refused = AuditEvent.objects.get(action="login.confirm_refused")
    assert (refused.actor.subject, refused.details["other"]) == ("olga-sub-3", "Karel Collega")
    assert not AuditEvent.objects.filter(action="login.confirmed").exists()
