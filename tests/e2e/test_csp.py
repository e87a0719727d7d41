"""The Content-Security-Policy in a real browser: a walk of the main pages (every page without an object in its
address, plus the pages that load a script) as a clerk with every role who is also helpdesk staff raises no CSP
violation in Chromium, the scripts still run, and the listener that fails a browser test on a violation does see one.
"""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import csp_violations
from tests.test_authorisation_matrix import PATTERNS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages that are not pages: the identity provider's round trip, log-out, POST-only forms, APIs and downloads.
NOT_PAGES = {
    "accounts:dev-login",
    "accounts:logout",
    "accounts:oidc-callback",
    "accounts:oidc-start",
    "accounts:switch",
}


def _staff_clerk(municipality):  # type: ignore[no-untyped-def]
    from loket.accounts.roles import Role
    from tests.conftest import grant, make_user

    user = make_user("carla-csp", staff=True)
    user.is_superuser = True
    user.save()
    grant(user, municipality, [*Role.values])
    return user


def _log_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def _html_pages(user, extra: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """The addresses that answer this user with an HTML page (asked once through Django's client)."""
    client = Client()
    client.force_login(user)
    urls = [
        reverse(name) for name in sorted(PATTERNS) if not PATTERNS[name].pattern.converters and name not in NOT_PAGES
    ]
    pages = []
    for url in [*urls, *extra]:
        response = client.get(url)
        if response.status_code == 200 and response.headers.get("Content-Type", "").startswith("text/html"):
            pages.append(url)
    return pages


def _objects_with_scripts(municipality, user) -> list[str]:  # type: ignore[no-untyped-def]
    """A concept (upload-check.js), an open personnel year (table.js), a worship unit's involvements (admin)."""
    from loket.personnel.services import period_open
    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import DocumentType
    from loket.supervision.services import submission_create
    from loket.worship.models import WorshipUnit

    document_types_load()
    concept = submission_create(
        organisation=municipality, actor=user, document_type=DocumentType.objects.get(label="Besluitenlijst")
    )
    period_open(year=2026)
    unit = WorshipUnit.objects.create(organisation=municipality, kind="board", religion="rooms-katholiek")
    return [
        reverse("supervision:edit", args=[concept.uuid]),
        reverse("personnel:table", args=[2026]),
        reverse("admin:worship_involvements", args=[unit.pk]),
        reverse("admin:index"),
        reverse("admin:supervision_submission_change", args=[concept.pk]),
    ]


def test_a_walk_of_the_main_pages_raises_no_csp_violation(new_page, live_server, agency, municipality):  # type: ignore[no-untyped-def]
    user = _staff_clerk(municipality)
    pages = _html_pages(user, _objects_with_scripts(municipality, user))
    assert len(pages) >= 30, pages
    page = new_page()
    _log_in(page, live_server, user)
    seen_scripts = set()
    page.on("request", lambda r: seen_scripts.add(r.url.rsplit("/", 1)[-1]) if r.resource_type == "script" else None)
    for url in pages:
        page.goto(url)
        page.wait_for_load_state("load")
        assert not csp_violations(new_page.problems), f"{url}: {csp_violations(new_page.problems)}"
    # the pages' own scripts were loaded (with their nonce) and not refused
    assert {"upload-check.js", "type-search.js", "table.js", "involvements.js"} <= seen_scripts, seen_scripts


def test_the_scripts_still_work_under_the_policy(new_page, live_server, agency, municipality):  # type: ignore[no-untyped-def]
    """involvements.js (moved out of its inline <script>) keeps the running total; type-search.js filters."""
    user = _staff_clerk(municipality)
    from loket.worship.models import WorshipUnit

    unit = WorshipUnit.objects.create(organisation=municipality, kind="board", religion="rooms-katholiek")
    page = new_page()
    _log_in(page, live_server, user)
    page.goto(reverse("admin:worship_involvements", args=[unit.pk]))
    rows = page.locator("#involvements tbody tr")
    rows.nth(0).locator("select.type").select_option("toezichthoudend")
    rows.nth(0).locator("input.percentage").fill("40,5")
    rows.nth(1).locator("select.type").select_option("mede-financierend")
    rows.nth(1).locator("input.percentage").fill("9.5")
    expect(page.locator("#total")).to_have_text("50.00")
    assert not csp_violations(new_page.problems)


def test_the_listener_sees_a_violation(new_page, live_server, agency, municipality):  # type: ignore[no-untyped-def]
    """An injected inline handler and style attribute are refused by Chromium and reported (the check can fail)."""
    page = new_page()
    page.goto("/")
    page.evaluate(
        """() => {
        document.body.insertAdjacentHTML('beforeend', '<img src="/static/loket/favicon.svg" onload="window.ran = 1">');
        document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>');
    }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.ran") is None
    found = csp_violations(new_page.problems)
    assert any("script-src" in p for p in found), new_page.problems
    assert any("style-src" in p for p in found), new_page.problems
    new_page.problems.clear()  # seen on purpose: the fixture would fail the test on them
