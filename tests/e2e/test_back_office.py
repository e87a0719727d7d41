"""The back office at 1280 px wide (a common office screen): no list of the helpdesk needs horizontal scrolling,
not the page and not the results table, also with long names, long URIs and long audit sentences."""

import pytest
from django.conf import settings
from django.test import Client

from loket.accounts.services import access_request_create
from loket.core.audit import audit_record
from loket.organisations.models import Organisation
from loket.organisations.services import organisation_switch_channel
from loket.supervision.codelists import document_types_load
from loket.supervision.demo import demo_submissions_create
from loket.supervision.models import DocumentType
from loket.supervision.services import document_type_set_public
from loket.vendors.services import vendor_create
from tests.conftest import grant, make_user
from tests.e2e.test_self_registration import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = [
    "organisations/organisation",
    "organisations/organisationkind",
    "organisations/channeldecision",
    "organisations/platform",
    "core/auditevent",
    "accounts/membership",
    "accounts/accessrequest",
    "accounts/user",
    "supervision/submission",
    "supervision/documenttype",
    "supervision/governingbody",
    "supervision/publicationflagchange",
    "vendors/vendor",
    "vendors/job",
    "django_tasks_database/dbtaskresult",
]

OVERFLOW = """() => {
  const page = document.documentElement.scrollWidth - window.innerWidth;
  const results = document.querySelector('#changelist .results');
  const table = results ? results.scrollWidth - results.clientWidth : 0;
  return {page, table};
}"""


@pytest.fixture
def long_data(helpdesk, municipality, worship_board, religiopoint, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    document_types_load()
    gert = make_user("gert-gemeente")
    grant(gert, municipality, ["toezicht"])
    demo_submissions_create(organisation=municipality, actor=gert, count=2)
    Organisation.objects.filter(pk=worship_board.pk).update(
        name="Kerkfabriek Sint-Martinus en Sint-Catharina van de parochiefederatie Hoogstraten-Noord"
    )
    organisation_switch_channel(
        organisation=worship_board,
        channel="platform",
        platform=religiopoint,
        reason="Beslissing van de kerkraad van 14 oktober 2026 om voortaan met Religiopoint te werken, " * 3,
        actor=helpdesk,
        confirmed=True,
    )
    access_request_create(
        user=make_user("nina-newcomer"),
        organisation=municipality,
        first_name="Nina",
        last_name="Nieuwkomer-Vandenbroucke",
        email="nina.nieuwkomer-vandenbroucke@gemeente-aalst.example.be",
        phone="053 12 34 56",
        job_title="Deskundige secretariaat en besluitvorming",
        roles=["toezicht"],
        reason="Ik bezorg de besluitenlijsten.",
    )
    vendor_create(
        uri="http://data.lblod.info/vendors/3f1c3d2e-6b7a-4c2e-9a8b-1d2e3f4a5b6c",
        name="Vergadersoftware van een leverancier met een lange naam",
        organisations=[municipality],
        actor=helpdesk,
    )
    document_type_set_public(
        document_type=DocumentType.objects.filter(is_public=False).order_by("label").first(),
        is_public=True,
        actor=helpdesk,
    )
    audit_record(
        action="organisation.changed",
        actor=helpdesk,
        organisation=municipality,
        fields=["name", "kind", "kbo", "ovo_code", "province", "status", "target_groups", "access_manager"],
    )


def test_back_office_lists_fit_1280_pixels(browser, live_server, helpdesk, long_data):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(helpdesk)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="nl-BE")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    overflowing = {}
    for model in LISTS:
        response = page.goto(f"/helpdesk/{model}/")
        assert response is not None and response.status == 200, model
        if model != "vendors/job":
            assert page.locator("#result_list tbody tr").count() >= 1, (model, page.inner_text("#content")[:500])
        measured = page.evaluate(OVERFLOW)
        if measured["page"] > 0 or measured["table"] > 0:
            overflowing[model] = measured
    context.close()
    assert overflowing == {}


def test_the_back_office_switches_language_and_has_the_favicon(new_page, live_server, helpdesk):  # type: ignore[no-untyped-def]
    """The portal's language switch and favicon in the back office, under its CSP (new_page fails on a violation)."""
    client = Client()
    client.force_login(helpdesk)
    page = new_page()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto("/helpdesk/accounts/membership/")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(live_server.url + icon).status == 200
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("button", name="English", exact=True).click()
    page.wait_for_url("**/helpdesk/accounts/membership/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Select membership to view"
    page.get_by_role("button", name="Nederlands", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.documentElement.lang === 'nl'")


def test_back_office_pages_pass_axe(new_page, live_server, helpdesk, municipality):  # type: ignore[no-untyped-def]
    """No serious or critical axe findings on the back office's pages: the breadcrumbs' links (told apart by colour
    only, found where the last crumb is long) and the user's change form with its pickers for groups and
    permissions (filter_horizontal, built by Django's script)."""
    dirk = make_user("dirk-demo")
    client = Client()
    client.force_login(helpdesk)
    page = new_page()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    change = f"/helpdesk/accounts/user/{dirk.pk}/change/"
    for path in ("/helpdesk/", "/helpdesk/accounts/user/", "/helpdesk/password_change/", change):
        page.goto(path)
        page.wait_for_load_state("load")
        assert_accessible(page, path)
    assert page.locator("#id_groups_input").count() == 1  # the picker was there, built by its script
    filter_box = page.get_by_role("textbox", name="Typ in dit vak om de lijst met beschikbare groepen te filteren.")
    assert filter_box.count() == 1  # the icon as an image still names the filter box

    # An organisation's search picker for several supervisors (autocomplete_fields): its typing box has a name.
    page.goto(f"/helpdesk/organisations/organisation/{municipality.pk}/change/")
    page.wait_for_load_state("load")
    search_box = page.locator(".select2-search__field")
    assert search_box.count() >= 1  # the picker was built by select2
    assert_accessible(page, "an organisation's change form")
    assert all(box.get_attribute("aria-label") for box in search_box.all())
