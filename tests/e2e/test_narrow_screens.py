"""The newest self-service pages on a phone (375 px wide), where a clerk reads them as often as at a desk: no page is
wider than the screen (the header's organisation switcher wraps) and no column of a table is pushed off screen —
"Hoelang" in the privacy notice, "Beëindigd op" in "Mijn gegevens", the sign-out button in "Mijn sessies", the
access manager's "Stopzetten" on the members' page; the header's "Mijn gegevens" fits and is reached by keyboard;
and the clerk's two busiest modules, Toezicht and the Berichtencentrum, with the supervisor's and the agency's side
of them."""

import pytest
from django.test import Client
from django.utils import timezone

from loket.accounts.middleware import SESSION_KEY as ACTING_FOR
from loket.accounts.models import SignedInSession
from loket.accounts.roles import Role
from loket.messaging.services import ConversationDraft, attachments_store, conversation_start
from loket.supervision.codelists import document_types_load
from loket.supervision.models import DocumentType
from tests.conftest import grant, make_organisation, make_user
from tests.messaging.conftest import pdf
from tests.supervision.test_links import send_with_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}


def _signed_in_phone(new_page, live_server, user, organisation):  # type: ignore[no-untyped-def]
    keys = []
    for _device in range(2):
        client = Client()
        client.force_login(user)
        session = client.session
        session[ACTING_FOR] = organisation.pk
        session.save()
        keys.append(session.session_key)
    key = keys[0]
    for session_key, address in zip(keys, ("192.0.2.10", "2001:db8:85a3::8a2e:370:7334"), strict=True):
        SignedInSession.objects.create(
            user=user,
            session_key=session_key,
            started_at=timezone.now(),
            method="oidc",
            address=address,
            browser="Firefox op Android",
        )
    page = new_page()
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "sessionid", "value": key, "url": live_server.url}])
    return page


def assert_fits(page, what: str) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what} is {width} px wide on a {PHONE['width']} px screen"
    for cell in page.locator("main td").all():
        box = cell.bounding_box()
        if box is not None and box["width"] > 0:
            assert box["x"] + box["width"] <= PHONE["width"] + 0.5, f"{what}: '{cell.inner_text()[:40]}' off screen"


def test_the_self_service_pages_fit_a_phone(new_page, live_server, clerk, municipality, target_group):  # type: ignore[no-untyped-def]
    long_name = make_organisation(
        key="agsa-lang",
        name="Autonoom Gemeentebedrijf Stadsontwikkeling en Vastgoedbeheer Aalst",
        kbo="0999999999",
        kind=municipality.kind,
        target_group=target_group,
    )
    grant(clerk, long_name, [Role.TOEZICHT, Role.BERICHTEN, Role.LEIDINGGEVENDEN, Role.PERSONEEL, Role.ACCESS_MANAGER])
    grant(make_user("marc-medewerker"), long_name, [Role.TOEZICHT])  # a colleague: one's own row has no button
    page = _signed_in_phone(new_page, live_server, clerk, long_name)  # signed in just now: no confirmation asked
    members = f"/toegangsbeheer/besturen/{long_name.key}/leden/"
    for url in ("/mijn-sessies/", "/mijn-gegevens/", "/privacyverklaring/", members):
        page.goto(url)
        assert_fits(page, url)
    stop = page.get_by_role("button", name="Stopzetten", exact=True)
    assert stop.count() == 1 and stop.is_visible()  # the members' page, not a refusal
    page.goto("/mijn-sessies/")
    sign_out = page.get_by_role("button", name="Afmelden", exact=True).first
    assert sign_out.is_visible() and sign_out.bounding_box()["x"] + sign_out.bounding_box()["width"] <= PHONE["width"]


def test_toezicht_and_the_berichtencentrum_fit_a_phone(  # type: ignore[no-untyped-def]
    new_page, live_server, clerk, municipality, agency, uploader, run_worker
):
    """Found by the hand walk: their lists pushed the last columns off a 375 px screen, and a sent submission's hash,
    URI and link widened its page and its receipt."""
    document_types_load()
    link = "https://www.aalst.be/publicaties/besluitenlijsten/gemeenteraad-2026-10-14-besluitenlijst-definitief.pdf"
    sent = send_with_link(clerk, municipality, {t.uri: t for t in DocumentType.objects.all()}, link)
    grant(clerk, municipality, [Role.TOEZICHT, Role.BERICHTEN])
    agency_staff = make_user("abby-abb")
    grant(agency_staff, agency, [Role.SUPERVISOR, Role.MESSAGES_AGENCY])
    conversation = conversation_start(
        actor=agency_staff,
        organisation=municipality,
        draft=ConversationDraft(
            dossier_number="K2026.000123", subject="Klacht over de raadszitting", kind="Opvraging", handler_email=""
        ),
        blobs=attachments_store([pdf()], uploader=uploader),
    )
    run_worker()  # delivers the submission into the supervisor's inbox
    page = _signed_in_phone(new_page, live_server, clerk, municipality)
    for url in (
        "/toezicht/",
        f"/toezicht/{sent.uuid}/",
        f"/toezicht/{sent.uuid}/ontvangstbewijs.html",
        "/berichtencentrum/",
        f"/berichtencentrum/{conversation.uuid}/",
    ):
        page.goto(url)
        assert_fits(page, url)
    supervisor = _signed_in_phone(new_page, live_server, agency_staff, agency)
    for url in ("/toezichthouder/inzendingen/", "/berichtencentrum-abb/"):
        supervisor.goto(url)
        assert_fits(supervisor, url)
        assert supervisor.locator("main tbody tr").count() == 1
    # The agency's list keeps its sort links on a phone, above the rows.
    assert supervisor.get_by_role("link", name="Dossiernummer").is_visible()


def test_my_data_is_in_the_headers_menu_on_a_phone_and_by_keyboard(new_page, live_server, clerk, municipality):  # type: ignore[no-untyped-def]
    page = _signed_in_phone(new_page, live_server, clerk, municipality)
    page.goto("/")
    link = page.locator(".user-nav").get_by_role("link", name="Mijn gegevens", exact=True)
    box = link.bounding_box()
    assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_fits(page, "/")
    for _press in range(20):  # the skip link, the brand, the switcher … then the menu's links, in order
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Mijn gegevens":
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/mijn-gegevens/"
    page.keyboard.press("Enter")
    page.wait_for_url("**/mijn-gegevens/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn gegevens"


def test_bbcdr_and_subsidiebeheer_fit_a_phone(new_page, live_server, clerk, municipality, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Found by hand walk 3: BBC-DR's list and a report's files table pushed "Aflevering" and the replace and delete
    buttons off a 375 px screen, a file named with 200 letters widened them to 2,000 px even at a desk, and
    Subsidiebeheer's calls hid "Aanvraag starten" off screen."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loket.core.quota import Uploader
    from loket.reports import samples
    from loket.reports.services import receive_files, report_check, report_create
    from loket.subsidies.services import dossier_start
    from loket.subsidies.terms import StepType
    from tests.subsidies.conftest import GEMEENTE, brussels, make_call

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_BBCDR_TAXONOMY_DIR = str(samples.SAMPLE_TAXONOMY_DIR)
    settings.LOKET_BBCDR_XSD = {samples.XML_NAMESPACE: str(samples.SAMPLE_XSD)}
    grant(clerk, municipality, [Role.BBCDR, Role.SUBSIDIES])
    long_name = "jaarrekening-" + "j" * 200 + ".xml"
    report = report_create(
        actor=clerk,
        organisation=municipality,
        received=receive_files(
            [SimpleUploadedFile(long_name, samples.sample_xml(kbo=municipality.kbo))],
            uploader=Uploader(municipality, clerk),
        ),
    )
    report_check(report_id=report.pk)  # checked: the page does not refresh itself under the test
    steps = [("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), brussels(2099, 3, 31, 23, 59, 59))]
    make_call(kinds=[GEMEENTE], steps=steps, title="Oproep voor open aanvragen")
    started = make_call(kinds=[GEMEENTE], steps=steps, title="Oproep 2026")
    dossier = dossier_start(call=started, organisation=municipality, actor=clerk)
    page = _signed_in_phone(new_page, live_server, clerk, municipality)
    for url in ("/bbcdr/", f"/bbcdr/{report.uuid}/", "/subsidiebeheer/", f"/subsidiebeheer/dossiers/{dossier.uuid}/"):
        page.goto(url)
        assert_fits(page, url)
    page.goto("/bbcdr/")
    assert page.get_by_text("Concept", exact=True).is_visible()
    page.goto("/subsidiebeheer/")
    start = page.get_by_role("button", name="Aanvraag starten")
    assert start.is_visible() and start.bounding_box()["x"] + start.bounding_box()["width"] <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 800})  # at a desk: the long name wraps, the table fits
    page.goto(f"/bbcdr/{report.uuid}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_the_agencys_call_page_fits_a_phone(new_page, live_server, agency, municipality):  # type: ignore[no-untyped-def]
    """Found by hand walk 3: the agency's "Deadline verlengen" and "Stap toevoegen" were 550 px wide on a phone (a
    fieldset grows to its 60-column textarea)."""
    from loket.subsidies.services import dossier_start
    from loket.subsidies.terms import StepType
    from tests.subsidies.conftest import GEMEENTE, brussels, make_call

    steps = [("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), brussels(2099, 3, 31, 23, 59, 59))]
    call = make_call(kinds=[GEMEENTE], steps=steps, title="Oproep 2026")
    dossier_start(call=call, organisation=municipality, actor=make_user("sofie-subsidies"))
    staff = make_user("anton-agentschap")
    grant(staff, agency, [Role.SUBSIDIES])
    page = _signed_in_phone(new_page, live_server, staff, agency)
    for url in ("/subsidiebeheer/abb/", f"/subsidiebeheer/abb/reeksen/{call.uuid}/"):
        page.goto(url)
        assert_fits(page, url)
