"""The back office's two-step sign-in in a real browser, as a helpdesk person with a new phone does it: the password,
then the page that sets up the app (its QR code shown under the Content-Security-Policy, and the key as text), a
mistyped code, the right one; the next day the code alone. Every page passes axe and no CSP violation."""

import re
import time
from base64 import b32decode

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.test_self_registration import assert_accessible
from tests.support.second_factor import rfc6238_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "juist-wachtwoord-123"


def password_step(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/helpdesk/")
    page.get_by_label("Gebruikersnaam").fill("hilde-helpdesk")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()


def test_a_helpdesk_person_sets_up_the_app_and_signs_in_with_its_code(new_page):  # type: ignore[no-untyped-def]
    hilde = make_user("hilde-helpdesk", staff=True)
    hilde.set_password(PASSWORD)
    hilde.save()
    page = new_page()
    password_step(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stel de tweede aanmeldstap in")
    qr = page.get_by_role("img", name="QR-code voor uw app")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")  # the SVG rendered, not blocked
    assert_accessible(page, "the set-up of the second step")
    secret = page.locator("code").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    wrong = "000000" if rfc6238_code(key) != "000000" else "111111"
    page.get_by_label("Code uit uw app").fill(wrong)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    assert page.locator("code").inner_text().replace(" ", "") == secret  # the same key after a wrong code
    time.sleep(1.1)  # the back-off after one wrong code
    page.get_by_label("Code uit uw app").fill(rfc6238_code(key))
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/helpdesk/$"))
    expect(page.locator("#site-name")).to_contain_text("back office")
    expect(page.get_by_role("link", name="Gebruikers", exact=True)).to_be_visible()

    # Another browser, later: the code alone, no key shown.
    other = new_page()
    password_step(other)
    expect(other.get_by_role("heading", level=1)).to_have_text("Tweede aanmeldstap")
    assert other.locator("code").count() == 0
    assert_accessible(other, "the second step")
    other.get_by_label("Code uit uw app").fill(rfc6238_code(key, time.time() + 30))
    other.get_by_role("button", name="Aanmelden").click()
    expect(other.get_by_role("link", name="Gebruikers", exact=True)).to_be_visible()
