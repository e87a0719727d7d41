"""The Toezicht form as a clerk of Aalst meets it in Chromium: choosing the type of dossier from a grouped list
that filters while typing (and only offers what a municipality decides), then the v2 form of a tax regulation with
the organ in its legislature and the surcharge widget, saved and shown back."""

import pytest
from playwright.sync_api import expect

from loket.supervision.codelists import document_types_load
from loket.supervision.models import Submission
from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_finds_the_type_and_fills_the_v2_form(
    new_page, live_server, dev_login_on, settings, agency, municipality
):  # type: ignore[no-untyped-def]
    document_types_load()
    settings.LOKET_TOEZICHT_FORM = ""  # the current form: v2
    page = new_page()
    dev_login(page, first="Clara", last="Clerk", email="clara@aalst.example", organisation="Aalst",
              roles=("Toezicht",))  # fmt: skip
    page.goto("/toezicht/nieuw/")
    assert_accessible(page, "the choice of the type of dossier")
    expect(page.get_by_role("group", name="Zittingsdocumenten")).to_be_visible()
    expect(page.get_by_label("Eindrekening", exact=True)).to_have_count(0)  # a worship board's type

    # 1. Typing filters the list at once (no request): one type left, its group alone.
    page.get_by_label("Zoek een type dossier").fill("fiets")
    expect(page.locator(".type-choice:visible")).to_have_count(1)
    expect(page.get_by_label("LEKP-rapport - Fietspaden")).to_be_visible()
    expect(page.get_by_role("group", name="Zittingsdocumenten")).to_be_hidden()
    expect(page.locator("#type-count")).to_have_text("1 type dossier")

    # 2. Another word; choose the regulation and go on.
    page.get_by_label("Zoek een type dossier").fill("reglement")
    page.get_by_label("Reglementen en verordeningen", exact=True).check()
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reglementen en verordeningen")
    submission = Submission.objects.get()
    assert submission.form_version.startswith("toezicht-v2.ttl@")

    # 3. The organ in its legislature, the kind of regulation; saving brings the tax fields.
    organ = page.get_by_label("Welk beslissingsorgaan nam het besluit?")
    organ.select_option(label="Gemeenteraad (2024 - heden)")
    page.get_by_label("Type reglement/verordening").select_option(label="Belastingreglement")
    page.get_by_role("button", name="Bewaren als concept").click()
    expect(page.locator(".messages")).to_have_text("Bewaard als concept.")
    expect(page.get_by_text("Vink aan indien er sprake is van differentiatie")).to_be_visible()

    # 4. The surcharge widget: an amount is kept as typed and shown back; differentiation is then not offered.
    page.get_by_role("textbox", name="Bedrag").first.fill("12,5")
    page.get_by_role("button", name="Bewaren als concept").click()
    expect(page.locator(".messages")).to_have_text("Bewaard als concept.")
    expect(page.get_by_role("textbox", name="Bedrag").first).to_have_value("12,5")
    expect(page.get_by_text("Vink aan indien er sprake is van differentiatie")).to_have_count(0)
    submission.refresh_from_db()
    assert '<http://schema.org/price> "12,5"' in submission.source_ttl
    assert_accessible(page, "the v2 form with the surcharge widget")

    # 5. In English: the form's own English labels and the widgets' texts.
    chosen_organ = organ.input_value()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Which governing body took the decision?")).to_have_value(chosen_organ)
    expect(page.get_by_label("Type of regulation or ordinance")).to_be_visible()
    expect(page.get_by_text("Tick if the rate is differentiated")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Amount").first).to_have_value("12,5")
    expect(page.get_by_text("Welk beslissingsorgaan nam het besluit?")).to_have_count(0)
    assert_accessible(page, "the v2 form in English")
