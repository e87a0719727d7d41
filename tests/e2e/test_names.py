"""Names people can tell apart, in a real browser: a person works for the municipality and the OCMW of Aalst, both
called "Aalst"; the login choice, the organisation switcher and the supervisor's inbox say which is which, with
the KBO number on hover."""

import pytest
from playwright.sync_api import expect

from loket.supervision.codelists import document_types_load
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import DocumentType
from loket.supervision.services import submission_create, submission_send, submission_update
from tests.conftest import KIND, make_organisation
from tests.e2e.test_self_registration import dev_login
from tests.supervision.conftest import name_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ocmw(target_group, municipality):  # type: ignore[no-untyped-def]
    from loket.organisations.models import OrganisationKind

    kind = OrganisationKind.objects.get_or_create(
        uri=KIND + "5ab0e9b8a3b2ca7c5e000002", defaults={"label": "OCMW", "category": "ocmw"}
    )[0]
    return make_organisation(
        key="aaaa0000-0000-0000-0000-0000000000cc", name="Aalst", kbo="0212198716", kind=kind, target_group=target_group
    )


def _send_for(organisation):  # type: ignore[no-untyped-def]
    document_types_load()
    submission = submission_create(
        organisation=organisation, document_type=DocumentType.objects.get(label="Besluitenlijst"), actor=None
    )
    body = governing_bodies_of(organisation)[0]
    submission_update(
        submission=submission,
        actor=None,
        data={
            name_of(submission, "documentType"): submission.document_type.uri,
            name_of(submission, "governingBody"): body.uri,
            name_of(submission, "sessionDate"): "2026-10-14",
            name_of(submission, "links"): "https://publicatie.example.org/besluit.html",
        },
    )
    return submission_send(submission=submission, actor=None, actor_label="Test")


def test_two_bodies_called_aalst_are_told_apart(  # type: ignore[no-untyped-def]
    new_page, live_server, dev_login_on, settings, agency, municipality, ocmw, run_worker, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = new_page()
    # 1. Logging in for "Aalst" offers both, by kind.
    page.goto("/aanmelden/ontwikkeling/")
    page.get_by_label("Voornaam").fill("Olga")
    page.get_by_label("Familienaam").fill("Ocmw")
    page.get_by_label("E-mailadres").fill("olga@aalst.example")
    page.get_by_label("Bestuur (naam of KBO-nummer)").fill("Aalst")
    page.get_by_role("checkbox", name="Toezicht", exact=True).check()
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_label("Aalst — Gemeente", exact=False)).to_have_count(1)
    page.get_by_label("Aalst — OCMW", exact=False).check()
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aalst — OCMW")
    # 2. Also for the municipality: the switcher names both apart, the KBO number on hover.
    dev_login(page, first="Olga", last="Ocmw", email="olga@aalst.example", organisation="0207451227",
              roles=("Toezicht",))  # fmt: skip
    options = page.locator("select[name=organisation] option")
    expect(options).to_have_text(["Aalst — Gemeente", "Aalst — OCMW"])
    assert [options.nth(i).get_attribute("title") for i in range(2)] == ["KBO 0207.451.227", "KBO 0212.198.716"]
    expect(page.locator(".current-organisation")).to_have_count(0)
    # 3. The supervisor's inbox names the sender apart too.
    _send_for(ocmw)
    run_worker()
    supervisor = new_page()
    dev_login(supervisor, first="Tom", last="Toezicht", email="tom@abb.example",
              organisation="Agentschap Binnenlands Bestuur", roles=("Toezichthouder",))  # fmt: skip
    supervisor.goto("/toezichthouder/inzendingen/")
    cell = supervisor.locator("table tbody tr td").first
    expect(cell).to_have_text("Aalst — OCMW")
    assert cell.locator("span.body-name").get_attribute("title") == "KBO 0212.198.716"
