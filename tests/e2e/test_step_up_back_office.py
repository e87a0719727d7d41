"""A helpdesk person in the back office whose sign-in has grown older than LOKET_STEP_UP_MINUTES while she typed in
a person's change form, on a phone: saving asks for the code of her app, and after it what she typed is sent with
one press, not lost. Every page passes axe, fits the screen, and raises no CSP violation."""

import time
from base64 import b32decode

import pytest
from playwright.sync_api import expect

from loket.accounts.models import SecondFactorDevice
from tests.conftest import make_user
from tests.e2e.test_narrow_screens import PHONE, assert_fits
from tests.e2e.test_second_factor import PASSWORD, password_step
from tests.e2e.test_self_registration import assert_accessible
from tests.e2e.test_step_up_oidc import signed_in_minutes_ago
from tests.support.second_factor import rfc6238_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_what_she_typed_in_the_change_form_survives_the_confirmation(new_page):  # type: ignore[no-untyped-def]
    hilde = make_user("hilde-helpdesk", staff=True)
    hilde.is_superuser = True
    hilde.set_password(PASSWORD)
    hilde.save()
    dirk = make_user("dirk-demo")
    page = new_page()
    page.set_viewport_size(PHONE)
    password_step(page)
    secret = page.locator("code").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code uit uw app").fill(rfc6238_code(key))
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("link", name="Gebruikers", exact=True)).to_be_visible()

    page.goto(f"/helpdesk/accounts/user/{dirk.pk}/change/")
    page.get_by_label("Voornaam").fill("Dirkje")
    page.get_by_label("Stafstatus").check()
    signed_in_minutes_ago(page, 16)  # she took her time
    page.get_by_role("button", name="Opslaan", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig wie u bent")
    assert_accessible(page, "the confirmation page")
    assert_fits(page, "the confirmation page")
    SecondFactorDevice.objects.filter(user=hilde).update(last_t=int(time.time() // 30) - 1)  # a new code counts
    page.keyboard.type(rfc6238_code(key))  # the code field has the focus
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestigd")
    assert_accessible(page, "the page that sends the form again")
    assert_fits(page, "the page that sends the form again")
    dirk.refresh_from_db()
    assert (dirk.first_name, dirk.is_staff) == ("Dirk", False)  # not sent behind her back
    page.keyboard.press("Enter")  # the send button has the focus

    expect(page.locator(".messagelist")).to_contain_text("Dirkje")
    dirk.refresh_from_db()
    assert (dirk.first_name, dirk.is_staff) == ("Dirkje", True)
