"""Browser tests: Playwright (sync API) driving Debian's headless Chromium against pytest-django's live server.

Without Chromium the tests skip (run scripts/ensure-browser.sh), except in CI (env CI=true), where they fail."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.oidc import oidc_provider, oidc_settings  # noqa: F401 - the OpenID Connect provider on loopback

CHROMIUM = Path(os.environ.get("LOKET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.fixture
def chromium_path() -> Path:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM}: run scripts/ensure-browser.sh to install chromium"
    if _in_ci():
        pytest.fail(f"{reason} (CI is set, so browser tests must run)")
    pytest.skip(reason)


@pytest.fixture
def browser(chromium_path, monkeypatch, live_server):  # type: ignore[no-untyped-def]
    """One Chromium per test, closed before the live server and the database are torn down.

    Playwright's sync API runs an asyncio loop on this thread, which makes Django refuse ORM calls here
    ("async context"); the test thread still sets up and inspects data, so allow it for this test only.
    While that loop runs, Django keeps this thread's database connections apart from its usual ones (asgiref's
    Local turns into a context variable in a thread with a running loop): the test's queries open a second
    connection that neither pytest-django nor `close_all()` after the loop ever sees again. Close it while the
    loop still runs, or it stays open to the end and the test database cannot be dropped."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
            connections.close_all()


@pytest.fixture
def dev_login_on(settings):  # type: ignore[no-untyped-def]
    """The development login is read from settings at request time (views.dev_login)."""
    settings.DEBUG = True
    settings.LOKET_DEV_LOGIN = True
    return settings


@pytest.fixture
def new_page(browser, live_server) -> Iterator:  # type: ignore[no-untyped-def]
    """Open a page in a fresh browser context (its own cookies: another person)."""
    contexts = []
    problems: list[str] = []

    def open_page():  # type: ignore[no-untyped-def]
        context = browser.new_context(base_url=live_server.url, locale="nl-BE")
        context.set_default_timeout(10_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
        # The browser fetches the favicon on its own after the load event; a quick next navigation aborts that fetch,
        # which is not a fault of the page. Every other failed request counts.
        page.on(
            "requestfailed",
            lambda r: problems.append(f"request failed {r.url}: {r.failure}") if "/favicon." not in r.url else None,
        )
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        return page

    open_page.problems = problems  # type: ignore[attr-defined]
    yield open_page
    for context in contexts:
        context.close()
    violations = csp_violations(problems)
    if violations:
        pytest.fail("the Content-Security-Policy blocked something:\n" + "\n".join(violations))


# Every Content-Security-Policy violation in any page of a browser test fails that test: Chromium reports each one
# on the console ("Refused to …") and as a `securitypolicyviolation` event, which this script turns into a console
# error too (so a violation in a frame or one Chromium words differently is caught as well).
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${where}`);
});
"""


def csp_violations(problems: list[str]) -> list[str]:
    return [p for p in problems if "CSP violation" in p or "Content Security Policy" in p]
