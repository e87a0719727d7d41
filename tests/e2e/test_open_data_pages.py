"""The public open-data pages in a browser, on a phone (375 px) and at a desk (1280 px): the dataset catalogue and a
SPARQL answer full of long URIs fit the screen (their tables scroll inside their own region), and the Turtle of a
change stream and of a deleted resource's tombstone can be scrolled with the keyboard (axe: scrollable-region-
focusable, serious)."""

from urllib.parse import urlencode

import pytest
from rdflib import Graph, URIRef

from loket.opendata.store import open_store
from loket.opendata.tombstones import tombstone_record
from tests.e2e.test_self_registration import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "http://data.lblod.info/id/bestuurseenheden/0a0f52e2ece73e8f0bdfa4268ba47bea3e0d523fce943e1fb8927032563e065f"
CLASSIFICATION = "http://data.vlaanderen.be/ns/besluit#classificatie"
QUERY = f"SELECT ?bestuur ?classificatie WHERE {{ ?bestuur <{CLASSIFICATION}> ?classificatie }}"


@pytest.fixture(autouse=True)
def sparql_store(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.LOKET_SPARQL_STORE_DIR = str(tmp_path / "sparql")
    settings.LOKET_SPARQL_QUERY_URL = ""
    settings.LOKET_SPARQL_UPDATE_URL = ""
    settings.LOKET_SPARQL_RATE_LIMIT = 1000


def _fits(page, what: str) -> None:  # type: ignore[no-untyped-def]
    width, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= screen, f"{what} is {width} px wide on a {screen} px screen"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_open_data_pages_fit_and_pass_axe(new_page, width):  # type: ignore[no-untyped-def]
    tombstone_record(
        subject="http://data.lblod.info/id/personen/verwijderd",
        former_type="http://www.w3.org/ns/person#Person",
        dataset="mandatarissen",
    )
    graph = Graph()
    graph.add((URIRef(LONG), URIRef(CLASSIFICATION), URIRef(f"{LONG}/classificatie")))
    with open_store() as store:
        store.replace([("urn:loket:t:e2e-open-data", graph)])
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/datasets")
    _fits(page, "the catalogue")
    assert_accessible(page, "the catalogue")
    page.goto("/sparql?" + urlencode({"query": QUERY}))
    assert page.locator("main table td").first.inner_text() == LONG
    _fits(page, "a SPARQL answer")
    assert_accessible(page, "a SPARQL answer")
    page.goto("/streams/ldes/inzendingen")
    assert_accessible(page, "a change stream")
    # The tombstone answers 410 Gone: not a fault of the page.
    page.goto("/id/personen/verwijderd")
    assert page.get_by_role("heading", level=1).inner_text() == "Dit gegeven is verwijderd"
    assert_accessible(page, "a tombstone")
    _fits(page, "a tombstone")
