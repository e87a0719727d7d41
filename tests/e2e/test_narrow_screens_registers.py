"""Mandatenbeheer, Leidinggevendenbeheer and Personeelsbeheer on a phone (375 px wide): no page is wider than the
screen. The lists of organs, holders, a holder's history, the validation report, the fracties and the leading
functions show each row as a block (table.stacked); the personnel grid and its lists scroll inside their own region;
a long heading ("Leidinggevendenbeheer:") wraps. Found by hand walk 4, where each of these pages was 409-907 px wide.
Each page passes axe, in Dutch and in English."""

from datetime import date

import pytest

from loket.accounts.roles import Role
from tests.conftest import grant, make_user
from tests.e2e.test_narrow_screens import PHONE, _signed_in_phone, assert_fits
from tests.e2e.test_self_registration import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _registers(municipality):  # type: ignore[no-untyped-def]
    from loket.mandates.codes import RoleCode, Status
    from loket.mandates.models import Mandate
    from loket.mandates.organs import decretal_organs_create
    from loket.mandates.services import HolderValues, fractie_create, holder_create
    from loket.officials.services import functions_create
    from loket.organisations.models import Organisation
    from loket.personnel.services import period_open
    from loket.persons.services import person_create

    decretal_organs_create(organisations=[municipality])
    functions_create(organisations=Organisation.objects.filter(pk=municipality.pk))
    period_open(year=2026)
    fractie = fractie_create(organisation=municipality, name="Samen Aalst", actor=None)
    person = person_create(actor=None, given_names="Jan", family_name="Peeters")
    councillor = Mandate.objects.get(
        term__organ__organisation=municipality, term__period="2024", role=RoleCode.COUNCILLOR
    )
    holder, _ = holder_create(
        mandate=councillor,
        person=person,
        actor=None,
        values=HolderValues(
            start=date(2025, 1, 6), status=Status.EFFECTIVE, rangorde="Eerste gemeenteraadslid", fractie=fractie
        ),
    )
    return councillor.term, holder


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_registers_fit_a_phone(new_page, live_server, municipality, language):  # type: ignore[no-untyped-def]
    term, holder = _registers(municipality)
    user = make_user("rita-registers")
    grant(user, municipality, [Role.MANDATEN, Role.LEIDINGGEVENDEN, Role.PERSONEEL])
    page = _signed_in_phone(new_page, live_server, user, municipality)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    pages = [
        "/mandaten/",
        f"/mandaten/organen/{term.uuid}/",
        f"/mandaten/mandatarissen/{holder.uuid}/",
        "/mandaten/validatie/?periode=2024",
        "/mandaten/fracties/",
        "/leidinggevenden/",
    ]
    # The personnel grid (8 columns of figures) scrolls inside its own region: the page fits, its cells need not.
    scrolling = ["/personeelsbeheer/", "/personeelsbeheer/2026/"]
    for url in pages + scrolling:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if url in scrolling:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{url} is {width} px wide on a {PHONE['width']} px screen"
        else:
            assert_fits(page, url)
        assert_accessible(page, f"{url} on a {PHONE['width']} px screen")
