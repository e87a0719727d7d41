"""The password strength meter in a real browser (ASVS 2.1.8): a helpdesk person types a new password on the back
office's password change page; the meter appears under the field, and its word and the policy's messages change as
the password does. No CSP violation (the new_page fixture fails the test on one) and the page's content passes axe
(Django's own header and breadcrumbs, the same on every back-office page, are left out: axe finds the breadcrumbs'
white links on light blue not told apart from their text, which is the admin's style sheet's to mend)."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.test_self_registration import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def test_the_meter_follows_what_is_typed_on_the_password_change_page(new_page, live_server):  # type: ignore[no-untyped-def]
    hilde = make_user("hilde-helpdesk", staff=True)
    page = new_page()
    _signed_in(page, live_server, hilde)
    page.goto("/helpdesk/password_change/")
    meter = page.locator("#password-meter")
    expect(meter).to_be_hidden()  # nothing typed yet
    field = page.locator("#id_new_password1")
    status = meter.locator("[aria-live=polite]")

    field.press_sequentially("password1234")
    expect(status.locator(".password-meter-failures")).to_have_text("Dit wachtwoord is te algemeen.")
    expect(meter).to_be_visible()
    expect(status.locator(".password-meter-label")).to_have_text("Matig")
    assert meter.locator("meter").evaluate("m => m.value") == 1
    assert field.evaluate("f => f.closest('.form-row').contains(document.getElementById('password-meter'))")
    assert_accessible(page, "the password change page with a weak password", within="#content")

    field.fill("")
    field.press_sequentially("vlinder kapstok oester zeilboot 92")
    expect(status.locator(".password-meter-label")).to_have_text("Zeer sterk. Voldoet aan de regels van het Loket.")
    expect(status.locator(".password-meter-failures")).to_be_hidden()
    assert meter.locator("meter").evaluate("m => m.value") == 4
    assert_accessible(page, "the password change page with a strong password", within="#content")

    field.fill("")
    expect(meter).to_be_hidden()
