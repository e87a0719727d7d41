""" "Bevestig wie u bent" for a clerk signed in at the identity provider, in a real browser against the real OpenID
Connect mock provider: an access manager whose sign-in is older than LOKET_STEP_UP_MINUTES ends a member's access,
is asked to sign in again at the Vlaamse overheid, does so and is back on the members' page. No CSP violation (a
browser checks a form's redirect to the provider against form-action), and axe finds nothing on the way."""

import time
from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import expect

from loket.accounts.models import Membership, User
from loket.accounts.roles import Role
from loket.core.access import SIGNED_IN_AT
from tests.conftest import grant, make_user
from tests.e2e.test_self_registration import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DIOCESE_KBO = "0408140861"  # tests.conftest.diocese


def register(provider, sub: str, first: str, last: str) -> None:  # type: ignore[no-untyped-def]
    claims = {"given_name": first, "family_name": last, "vo_email": f"{sub}@bisdom.example", "vo_orgcode": DIOCESE_KBO}
    provider.register_user(sub, claims)


def at_the_provider_as(page, sub: str) -> None:  # type: ignore[no-untyped-def]
    """The provider's own page: the person signs in (the mock asks only who)."""
    page.locator("input[name=sub]").first.fill(sub)
    page.get_by_role("button", name="Authorize").click()


def signed_in_minutes_ago(page, minutes: float) -> None:  # type: ignore[no-untyped-def]
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[SIGNED_IN_AT] = time.time() - minutes * 60
    session.save()


@pytest.fixture
def stale_access_manager(new_page, oidc_settings, oidc_provider, diocese, worship_board):  # type: ignore[no-untyped-def]
    """Olga, access manager of the diocese, signed in at the provider 16 minutes ago, on the members' page of a
    worship board the diocese manages; Bert is its member."""
    register(oidc_provider, "olga-sub", "Olga", "Oidc")
    grant(make_user("bert-bestuur"), worship_board, [Role.WORSHIP_MANDATES])
    page = new_page()
    page.goto("/aanmelden/")
    page.get_by_role("link", name="Aanmelden met eID, itsme of een andere methode").click()
    at_the_provider_as(page, "olga-sub")
    expect(page.get_by_text("Olga Oidc")).to_be_visible()
    grant(User.objects.get(subject="olga-sub"), diocese, [Role.ACCESS_MANAGER])
    page.goto(f"/toegangsbeheer/besturen/{worship_board.key}/leden/")
    signed_in_minutes_ago(page, 16)
    return page


def test_a_clerk_confirms_at_the_identity_provider_and_is_back_where_they_were(  # type: ignore[no-untyped-def]
    stale_access_manager, worship_board
):
    page = stale_access_manager
    page.get_by_label("Reden").first.fill("Vertrokken")
    page.get_by_role("button", name="Stopzetten", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig wie u bent")
    assert_accessible(page, "the confirmation page")
    page.get_by_role("button", name="Opnieuw aanmelden").click()
    at_the_provider_as(page, "olga-sub")
    # Confirmed; the reason she typed is kept, and one press sends it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestigd")
    assert_accessible(page, "the page that sends the form again")
    assert Membership.objects.get(user__username="bert-bestuur").is_active  # not sent behind her back
    page.get_by_role("button", name="Versturen zoals ingevuld").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leden van St.-Margarita (Tielen)")
    ended = Membership.objects.get(user__username="bert-bestuur")
    assert not ended.is_active and ended.end_reason == "Vertrokken"


def test_a_colleague_who_confirms_instead_is_told_so_and_the_clerk_can_confirm_again(  # type: ignore[no-untyped-def]
    stale_access_manager, oidc_provider, worship_board
):
    page = stale_access_manager
    register(oidc_provider, "karel-sub", "Karel", "Collega")
    page.get_by_label("Reden").first.fill("Vertrokken")
    page.get_by_role("button", name="Stopzetten", exact=True).click()
    page.get_by_role("button", name="Opnieuw aanmelden").click()
    at_the_provider_as(page, "karel-sub")  # the colleague at the same desk signs in

    # It says what happened, in the clerk's words, that nothing changed, and what to do next; she is still herself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet bevestigd")
    expect(page.get_by_role("alert")).to_have_text(
        "U werkt in het Loket als Olga Oidc, maar bij de Vlaamse overheid meldde Karel Collega zich aan. Daarmee is "
        "niets bevestigd en is er niets veranderd: u bent nog altijd aangemeld als Olga Oidc."
    )
    expect(page.locator("header")).to_contain_text("Olga Oidc")
    expect(page.get_by_role("button", name="Afmelden")).to_have_count(2)  # the header's and the page's
    assert_accessible(page, "the refused confirmation")

    # Confirming again, as herself, from the keyboard: back on the members' page, where she was.
    again = page.get_by_role("link", name="Bevestig opnieuw als Olga Oidc")
    again.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig wie u bent")
    page.get_by_role("button", name="Opnieuw aanmelden").click()
    at_the_provider_as(page, "olga-sub")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestigd")
    page.get_by_role("button", name="Versturen zoals ingevuld").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leden van St.-Margarita (Tielen)")
    assert not Membership.objects.get(user__username="bert-bestuur").is_active
