"""The legislature periods are named in the page's language: "2024 - heden" was Dutch on English pages (walk 4)."""

import pytest

from loket.mandates.codes import RoleCode
from tests.mandates.conftest import mandate

pytestmark = pytest.mark.django_db


def test_the_current_period_is_named_in_english_on_english_pages(client, clerk, municipality, organs):  # type: ignore[no-untyped-def]
    term = mandate(municipality, RoleCode.COUNCILLOR).term
    client.force_login(clerk)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    holders = client.get(f"/mandaten/organen/{term.uuid}/").content.decode()
    organs_page = client.get("/mandaten/").content.decode()
    assert "(2024 - present)</h1>" in holders and "heden" not in holders
    assert '<option value="2024" selected>2024 - present</option>' in organs_page and "heden" not in organs_page


def test_the_current_period_stays_dutch_on_dutch_pages(client, clerk, municipality, organs):  # type: ignore[no-untyped-def]
    term = mandate(municipality, RoleCode.COUNCILLOR).term
    client.force_login(clerk)
    assert "(2024 - heden)</h1>" in client.get(f"/mandaten/organen/{term.uuid}/").content.decode()
