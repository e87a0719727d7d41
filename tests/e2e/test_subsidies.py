"""Subsidiebeheer in a real browser: Aalst starts an application and saves it, misses the deadline (the send is
refused and there are no buttons any more), the agency extends the deadline for Aalst with a reason, Aalst sees it
in the history, sends, and lands on the next step. The deadline is a few seconds after the test starts: real time,
no clock tricks (the browser keeps its own clock)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from loket.subsidies.models import ApplicationForm
from loket.subsidies.terms import FormStatus, StepType
from tests.e2e.test_self_registration import assert_accessible, dev_login
from tests.subsidies.conftest import GEMEENTE, make_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WINDOW = 25  # seconds between the start of the test and the deadline


def test_apply_miss_the_deadline_get_an_extension_send_see_the_next_step(
    new_page, live_server, dev_login_on, municipality, agency
):  # type: ignore[no-untyped-def]
    deadline = (timezone.now() + timedelta(seconds=WINDOW)).replace(microsecond=0)
    call = make_call(
        kinds=[GEMEENTE],
        steps=[
            ("Aanvraag", StepType.APPLICATION, timezone.now() - timedelta(days=1), deadline),
            ("Opvolging", StepType.EXTERNAL, timezone.now() - timedelta(days=1), deadline + timedelta(days=365)),
        ],
    )

    clerk = new_page()
    dev_login(clerk, first="Clara", last="Clerk", email="clara@aalst.example", organisation="Aalst",
              roles=("Subsidiebeheer",))  # fmt: skip
    clerk.goto("/subsidiebeheer/")
    assert_accessible(clerk, "the subsidies list")
    clerk.get_by_role("button", name="Aanvraag starten").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Fietsinfrastructuur")
    expect(clerk.get_by_text("Concept - Aanvraag")).to_be_visible()
    clerk.get_by_role("link", name="Naar de actieve stap").click()
    assert_accessible(clerk, "a step's form")
    clerk.get_by_label("Naam van het project").fill("Fietspad Dorpstraat")
    clerk.get_by_label("Gevraagd bedrag (euro)").fill("125000")
    clerk.get_by_role("button", name="Bewaar als concept").click()
    expect(clerk.get_by_text("Bewaard als concept.")).to_be_visible()

    # The deadline passes; the page still open in the tab offers the send button, the server refuses.
    time.sleep(max(0.0, (deadline - timezone.now()).total_seconds()) + 1.5)
    clerk.get_by_label("E-mailadres contactpersoon").fill("info@aalst.example")
    clerk.get_by_role("button", name="Verstuur naar de Vlaamse overheid").click()
    expect(clerk.locator(".error-summary")).to_contain_text("De deadline voor deze stap is verstreken")
    clerk.reload()
    expect(clerk.get_by_role("button", name="Verstuur naar de Vlaamse overheid")).to_have_count(0)
    assert ApplicationForm.objects.get().status == FormStatus.CONCEPT

    agency_page = new_page()
    dev_login(agency_page, first="Abby", last="Agentschap", email="abby@abb.example",
              organisation="Agentschap Binnenlands Bestuur", roles=("Subsidiebeheer",))  # fmt: skip
    agency_page.goto(f"/subsidiebeheer/abb/reeksen/{call.uuid}/")
    assert_accessible(agency_page, "the agency's call page")
    agency_page.get_by_role("checkbox", name="Aalst").check()
    agency_page.get_by_label("voor de aangevinkte besturen").check()
    later = timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT23:59:59")
    agency_page.get_by_label("Nieuwe deadline (Brusselse tijd)").fill(later)
    agency_page.get_by_role("button", name="Verlengen").click()
    expect(agency_page.locator(".error-summary")).to_contain_text("Geef een reden op")
    agency_page.get_by_label("Nieuwe deadline (Brusselse tijd)").fill(later)
    agency_page.get_by_label("voor de aangevinkte besturen").check()
    agency_page.get_by_role("checkbox", name="Aalst").check()
    agency_page.get_by_label("Reden", exact=True).first.fill("Storing bij het bestuur")
    agency_page.get_by_role("button", name="Verlengen").click()
    expect(agency_page.get_by_text("Deadline verlengd (1 besturen verwittigd).")).to_be_visible()

    clerk.goto(clerk.url.rsplit("/stappen/", 1)[0] + "/")
    expect(clerk.get_by_text("Storing bij het bestuur")).to_be_visible()
    clerk.get_by_role("link", name="Naar de actieve stap").click()
    clerk.get_by_label("E-mailadres contactpersoon").fill("info@aalst.example")
    clerk.get_by_role("button", name="Verstuur naar de Vlaamse overheid").click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("Opvolging")
    expect(clerk.get_by_text("Aanvraag ingediend - Opvolging")).to_be_visible()
    expect(clerk.get_by_label("Stand van zaken")).to_be_visible()
    assert ApplicationForm.objects.get(step__order=0).status == FormStatus.SENT
