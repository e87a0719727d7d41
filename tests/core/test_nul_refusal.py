"""An address with NUL (`%00`) in its path or query is a 400 before any view runs (`NulRefusalMiddleware`): on
PostgreSQL a NUL reaching a query is a DataError, so a 500. Found by Schemathesis in CI: the vendors' message API
answered `organisatie=e%00` with a 500."""

import pytest

from loket.accounts.roles import Role
from loket.vendors.services import vendor_create
from tests.conftest import grant, make_user

pytestmark = pytest.mark.django_db
BERICHTEN = "/api/vendor/berichtencentrum/berichten"


@pytest.fixture
def key(municipality) -> str:  # type: ignore[no-untyped-def]
    return vendor_create(uri="http://data.lblod.info/vendors/nul", name="Nul", organisations=[municipality]).key


@pytest.mark.parametrize(
    "query",
    [
        "sinds=0633-04-01T13%3A32%3A19.9017Z&organisatie=e%00",  # what Schemathesis sent
        "sinds=2026-01-01&organisatie={uri}%00",
        "sinds=2026-01-01%00&organisatie={uri}",
        "sinds=2026-01-01&organisatie={uri}&na=%00",
        "sinds=2026-01-01&organisatie={uri}&%00=1",
    ],
)
def test_the_vendor_api_answers_nul_with_its_json_400(client, key, municipality, query):
    response = client.get(f"{BERICHTEN}?{query.format(uri=municipality.uri)}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "bad_request" and "NUL" in error["message"] and error["fields"] == {}
    assert response["Content-Disposition"].startswith("attachment")  # like every JSON answer


def test_the_same_query_without_nul_is_read(client, key, municipality):
    response = client.get(
        BERICHTEN, {"sinds": "2026-01-01", "organisatie": municipality.uri}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200 and response.json() == {"messages": [], "next": None}


@pytest.mark.parametrize("address", ["/toezicht/?zoek=a%00b", "/toezicht/?na=%00", "/toezicht/%00/"])
def test_a_page_answers_nul_with_the_400_page_and_its_reason(client, municipality, address):
    clerk = make_user("nora-nul")
    grant(clerk, municipality, [Role.TOEZICHT])
    client.force_login(clerk)
    response = client.get(address)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vraag niet afgehandeld" in page and "ongeldig, onzichtbaar teken (NUL, %00)" in page
    assert client.get("/toezicht/?zoek=ab").status_code == 200


def test_a_cookie_spelling_nul_is_taken_as_absent(client, municipality, settings):
    """`"\\000"` in a quoted cookie is NUL once Django unquotes it; as the session key it reached the session table
    (a 500 on PostgreSQL). Such a cookie is dropped: no session (the login page), the other cookies kept."""
    name = settings.SESSION_COOKIE_NAME
    response = client.get("/toezicht/", HTTP_COOKIE=f'{name}="abc\\000defghijkl"')
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")
    clerk = make_user("nora-cookie")
    grant(clerk, municipality, [Role.TOEZICHT])
    client.force_login(clerk)
    session = client.cookies[name].value
    response = client.get("/toezicht/", HTTP_COOKIE=f'{name}={session}; andere="x\\000y"')
    assert response.status_code == 200
