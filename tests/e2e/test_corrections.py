"""Corrections in a real browser: a clerk corrects a sent decision list; the original then says what replaced it
and offers no second correction; the clerk's list and the supervisor's inbox mark both sides."""

import pytest
from playwright.sync_api import expect

from loket.supervision.models import Submission
from tests.e2e.test_names import _send_for
from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_correction_is_marked_on_both_sides(  # type: ignore[no-untyped-def]
    new_page, live_server, dev_login_on, settings, agency, municipality, run_worker, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    original = _send_for(municipality)
    clerk = new_page()
    dev_login(clerk, first="Clara", last="Clerk", email="clara@aalst.example", organisation="0207451227",
              roles=("Toezicht",))  # fmt: skip
    clerk.goto(f"/toezicht/{original.uuid}/")
    clerk.get_by_role("link", name="Correctie indienen").click()
    clerk.get_by_role("button", name="Correctie starten").click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("(concept)")
    correction = Submission.objects.get(replaces=original)
    # While the correction is a concept, the original leads to it instead of offering another one.
    clerk.goto(f"/toezicht/{original.uuid}/")
    expect(clerk.get_by_role("link", name="correctie verder invullen")).to_be_visible()
    expect(clerk.get_by_role("link", name="Correctie indienen")).to_have_count(0)
    # The correction is sent (through the service: the form is tested elsewhere) and delivered.

    _send_correction(correction)
    run_worker()
    clerk.goto(f"/toezicht/{original.uuid}/")
    expect(clerk.locator("p.relation.notice")).to_have_text(
        f"Vervangen door Besluitenlijst (verstuurd op {_when(correction)})."
    )
    expect(clerk.get_by_role("link", name="Correctie indienen")).to_have_count(0)
    assert_accessible(clerk, "a replaced submission")
    clerk.goto("/toezicht/")
    rows = clerk.locator("table tbody tr")
    expect(rows.nth(0)).to_contain_text("correctie: vervangt Besluitenlijst")
    expect(rows.nth(1)).to_contain_text("vervangen door correctie")
    supervisor = new_page()
    dev_login(supervisor, first="Tom", last="Toezicht", email="tom@abb.example",
              organisation="Agentschap Binnenlands Bestuur", roles=("Toezichthouder",))  # fmt: skip
    supervisor.goto("/toezichthouder/inzendingen/")
    rows = supervisor.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator(".tag.relation")).to_contain_text("correctie: vervangt")
    expect(rows.nth(1).locator(".tag.relation")).to_have_text("vervangen door correctie")
    rows.nth(1).get_by_role("link", name="correctie").click()
    expect(supervisor).to_have_url(f"{live_server.url}/toezichthouder/inzendingen/{correction.uuid}/")
    expect(supervisor.locator("p.relation").first).to_contain_text("Deze inzending vervangt Besluitenlijst")


def _send_correction(correction: Submission) -> None:
    from loket.supervision.governing_bodies import governing_bodies_of
    from loket.supervision.services import submission_send, submission_update
    from tests.supervision.conftest import name_of

    body = governing_bodies_of(correction.organisation)[0]
    submission_update(
        submission=correction,
        actor=None,
        data={
            name_of(correction, "documentType"): correction.document_type.uri,
            name_of(correction, "governingBody"): body.uri,
            name_of(correction, "sessionDate"): "2026-10-14",
            name_of(correction, "links"): "https://publicatie.example.org/besluit-verbeterd.html",
        },
    )
    submission_send(submission=correction, actor=None, actor_label="Test")


def _when(submission: Submission) -> str:
    from django.utils import formats, timezone

    submission.refresh_from_db()
    return formats.date_format(timezone.localtime(submission.sent_at), "j F Y H:i")
