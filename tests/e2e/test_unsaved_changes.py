"""Typed input is not lost without a question: a clerk who switches the language (or follows a link) with unsent
input in a form is asked first by the browser (loket/unsaved-changes.js); saving is not asked about, and neither is
a page with nothing typed."""

import pytest
from playwright.sync_api import Dialog, Page, expect

from loket.supervision.codelists import document_types_load
from tests.e2e.test_self_registration import dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _concept_page(page: Page) -> None:
    dev_login(page, first="Clara", last="Clerk", email="clara@aalst.example", organisation="Aalst",
              roles=("Toezicht",))  # fmt: skip
    page.goto("/toezicht/nieuw/")
    page.get_by_label("Reglementen en verordeningen", exact=True).check()
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reglementen en verordeningen")


def test_switching_the_language_with_typed_input_asks_first(
    new_page, live_server, dev_login_on, settings, agency, municipality
):  # type: ignore[no-untyped-def]
    document_types_load()
    settings.LOKET_TOEZICHT_FORM = ""  # the current form: v2
    page = new_page()
    _concept_page(page)
    asked: list[str] = []

    def stay(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", stay)

    # 1. Nothing typed: the switch goes at once.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert asked == []

    # 2. A typed link, then the switch: the browser asks; staying keeps the page and what was typed.
    link = page.get_by_role("textbox", name="Link 1")
    link.click()
    link.press_sequentially("https://example.org/besluit")
    page.get_by_role("button", name="Nederlands").click()
    for _ in range(50):  # the dialog comes from the browser, after the click has returned
        if asked:
            break
        page.wait_for_timeout(100)
    assert asked == ["beforeunload"]
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(link).to_have_value("https://example.org/besluit")

    # 3. Saving the form that holds the input is not leaving it: no question, and the page after it asks nothing.
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".messages")).to_be_visible()
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert asked == ["beforeunload"]
