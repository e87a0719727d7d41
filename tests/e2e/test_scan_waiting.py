"""Wacht op virusscan in a real browser: a BBC-DR clerk uploads while the virus scanner is stopped, sees both files
labelled "wacht op virusscan" (no download link, no send link), and ordinary files once clamd is back and the worker
has scanned them."""

import pytest
from playwright.sync_api import expect

from loket.reports import samples
from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_waiting_label_until_the_scan_is_done(  # type: ignore[no-untyped-def]
    new_page, live_server, dev_login_on, settings, municipality, run_worker, own_clamd, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_BBCDR_TAXONOMY_DIR = str(samples.SAMPLE_TAXONOMY_DIR)
    settings.LOKET_BBCDR_XSD = {samples.XML_NAMESPACE: str(samples.SAMPLE_XSD)}
    xml, xbrl = tmp_path / "jaarrekening.xml", tmp_path / "jaarrekening.xbrl"
    xml.write_bytes(samples.sample_xml(kbo=municipality.kbo))
    xbrl.write_bytes(samples.sample_xbrl(kbo=municipality.kbo))
    own_clamd.stop()

    page = new_page()
    dev_login(page, first="Bea", last="Boekhouding", email="bea@aalst.example", organisation="Aalst",
              roles=("BBC-DR",))  # fmt: skip
    page.goto("/bbcdr/nieuw/")
    page.get_by_label("Upload één XML- en één XBRL-bestand").set_input_files([xml, xbrl])
    page.get_by_role("button", name="Bewaar concept").click()
    expect(page.get_by_text("wacht op virusscan")).to_have_count(2)
    expect(page.get_by_role("link", name="jaarrekening.xml")).to_have_count(0)
    expect(page.get_by_text("jaarrekening.xml wacht nog op de virusscan")).to_be_visible()  # why it cannot be sent
    expect(page.get_by_role("link", name="Verstuur naar Vlaamse overheid")).to_have_count(0)
    # (no accessibility check here: the page refreshes itself while the check is pending, as it does without a scan)

    own_clamd.start()
    run_worker()  # the scans, then the check
    page.reload()
    expect(page.get_by_text("In orde: beide bestanden zijn goedgevormd")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("wacht op virusscan")).to_have_count(0)
    expect(page.get_by_role("link", name="jaarrekening.xml")).to_be_visible()
    assert_accessible(page, "the report once its files were scanned")
