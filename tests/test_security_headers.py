"""The security headers of every URL, walked from the URL configuration as the authorisation matrix does.

Every page (anonymous and as the role holder, over https): a CSP with `frame-ancestors 'none'` and without
'unsafe-inline'/'unsafe-eval', scripts only from files and each with the request's nonce, no style attribute,
`<style>` element or inline event handler; HSTS, nosniff, `Referrer-Policy: same-origin`, COOP `same-origin`.
Every download is an attachment under `sandbox; default-src 'none'`; the stored-file views are named here and must
be downloads. The back office (Django's admin) is walked too: its own policy allows same-origin scripts, nothing inline.
"""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from loket.core.security import ADMIN_PREFIX, SANDBOX_POLICY, file_download, safe_content_type
from tests.test_authorisation_matrix import PATTERNS, _kwargs, cast  # noqa: F401 - cast is a fixture

REPO = Path(__file__).resolve().parents[1]

# Every view that hands out stored bytes someone uploaded or fetched (Toezicht files and cached links, Berichtencentrum
# attachments, BBC-DR files) or a generated file (receipts, form data, dumps, CSV): always an attachment.
DOWNLOADS = {
    "supervision:file",
    "supervision:inbox-file",
    "supervision:file-download",
    "supervision:form-data",
    "supervision:inbox-form-data",
    "supervision:receipt",
    "supervision:inbox-receipt",
    "supervision:inbox-export",
    "messaging:file",
    "messaging:agency-file",
    "messaging:api-file",
    "messaging:receipt",
    "messaging:agency-receipt",
    "vendors:berichten-bestand",
    "reports:file",
    "reports:agency-file",
    "reports:receipt",
    "reports:agency-csv",
    "subsidies:receipt",
    "subsidies:agency-csv",
    "personnel:receipt",
    "personnel:agency-csv",
    "opendata:dump",
    "accounts:my-data-download",  # posted only (a GET is sent to the page): tests/accounts/test_personal_data.py
}
STRICT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}


class _Inline(HTMLParser):
    """What a page would run or style inline, and its script tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self.scripts.append(found)
            self._in_script = (found.get("type") or "") not in DATA_BLOCK_TYPES
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> style attribute")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def _directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def header_problems(label: str, response, *, admin_page: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    problems = [
        f"{label}: {name} is {response.headers.get(name)!r}, not {value!r}"
        for name, value in STRICT_HEADERS.items()
        if response.headers.get(name) != value
    ]
    policy = response.headers.get("Content-Security-Policy", "")
    disposition = response.headers.get("Content-Disposition", "")
    if disposition:
        if not disposition.startswith("attachment") or policy != SANDBOX_POLICY:
            problems.append(f"{label}: a download must be an attachment under {SANDBOX_POLICY!r}: {disposition!r}")
        return problems
    directives = _directives(policy)
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{label}: CSP without frame-ancestors 'none': {policy!r}")
    if directives.get("object-src") != ["'none'"]:
        problems.append(f"{label}: CSP without object-src 'none': {policy!r}")
    for directive in ("default-src", "script-src", "style-src"):
        values = directives.get(directive, [])
        if not values or {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:"} & set(values):
            problems.append(f"{label}: CSP {directive} is {values!r}")
    if "html" in response.headers.get("Content-Type", "") and response.content:
        problems += _page_problems(label, response.content.decode("utf-8", "replace"), directives, admin_page)
    return problems


def _page_problems(label: str, html: str, directives: dict[str, list[str]], admin_page: bool) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    problems = [f"{label}: {problem}" for problem in parser.problems]
    script_src = directives.get("script-src", [])
    nonces = [value[len("'nonce-") : -1] for value in script_src if value.startswith("'nonce-")]
    if not admin_page and "'strict-dynamic'" not in script_src:
        problems.append(f"{label}: script-src without 'strict-dynamic': {script_src!r}")
    for script in parser.scripts:
        if (script.get("type") or "") in DATA_BLOCK_TYPES:
            continue
        if not script.get("src"):
            problems.append(f"{label}: a script without src")
        elif not admin_page and (len(nonces) != 1 or script.get("nonce") != nonces[0]):
            problems.append(f"{label}: script {script['src']} without the request's nonce {nonces!r}")
    return problems


def _get(client: Client, url: str):  # type: ignore[no-untyped-def]
    response = client.get(url, secure=True)
    if hasattr(response, "streaming_content"):  # read a stream to its end, as a browser would
        b"".join(response.streaming_content)
    return response


@pytest.mark.django_db
def test_every_url_has_the_security_headers(cast):  # type: ignore[no-untyped-def]  # noqa: F811
    """One walk for all URLs (the cast is made once): anonymous, then as the role holder."""
    problems: list[str] = []
    anonymous, holder = Client(), Client()
    holder.force_login(cast["with_role"])
    downloads_seen = set()
    for name in sorted(PATTERNS):
        url = reverse(name, kwargs=_kwargs(name, PATTERNS[name], cast))
        for who, client in (("anonymous", anonymous), ("role holder", holder)):
            response = _get(client, url)
            assert response.status_code < 500, f"{name} as {who}: {response.status_code}"
            problems += header_problems(
                f"{name} ({who}, {response.status_code})", response, admin_page=url.startswith(ADMIN_PREFIX)
            )
            if who == "role holder" and name in DOWNLOADS:
                if response.status_code == 200:
                    downloads_seen.add(name)
                    if not response.headers.get("Content-Disposition", "").startswith("attachment"):
                        problems.append(f"{name}: a stored or generated file must be an attachment")
    assert not problems, "\n".join(problems)
    missing = DOWNLOADS - set(PATTERNS)
    assert not missing, f"named downloads that are no longer URLs: {missing}"
    # the walk's objects reach these downloads (the others' kwargs point at objects without bytes)
    assert {"supervision:file", "supervision:receipt", "supervision:form-data"} <= downloads_seen, downloads_seen


@pytest.mark.django_db
def test_the_back_office_has_the_security_headers(cast):  # type: ignore[no-untyped-def]  # noqa: F811
    """Django's admin pages: every model's list, add page and the change page of one object."""
    from tests.conftest import make_user

    staff = make_user("sara-superuser", staff=True)
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    problems: list[str] = []
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        try:
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        except NoReverseMatch:
            pass
        first = model_admin.get_queryset(_request(staff)).order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    for url in urls:
        response = _get(client, url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        problems += header_problems(f"{url} ({response.status_code})", response, admin_page=True)
        if response.status_code == 200 and "html" in response.headers.get("Content-Type", ""):
            policy = _directives(response.headers["Content-Security-Policy"])
            if "'strict-dynamic'" in policy["script-src"] or "'self'" not in policy["script-src"]:
                problems.append(f"{url}: the admin's script-src must be 'self' (+ nonce): {policy['script-src']}")
    assert not problems, "\n".join(problems)
    assert len(urls) > 40


def _request(user):  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    request = RequestFactory().get("/helpdesk/")
    request.user = user
    return request


def test_a_page_with_a_script_names_its_nonce_and_a_new_request_gets_a_new_one(client, db, clerk):  # type: ignore[no-untyped-def]
    first, second = (client.get("/toezicht/nieuw/", secure=True) for _ in range(2))
    assert first.status_code == second.status_code == 200
    nonces = [re.search(r"'nonce-([^']+)'", r.headers["Content-Security-Policy"]).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 22  # 128 random bits
    assert f'nonce="{nonces[0]}"' in first.content.decode()


@pytest.fixture
def clerk(client, municipality):  # type: ignore[no-untyped-def]
    from loket.accounts.roles import Role
    from tests.conftest import grant, make_user

    user = make_user("tom-toezicht")
    grant(user, municipality, [Role.TOEZICHT])
    client.force_login(user)
    return user


def test_a_stored_file_that_a_browser_would_run_is_served_as_bytes(tmp_path, db):  # type: ignore[no-untyped-def]
    # `db`: closing the response sends request_finished, which checks the database connection a test before may
    # have left open (pytest-django then refuses the access unless the test may use the database)
    for runnable in ("text/javascript", "application/javascript; charset=utf-8", "TEXT/CSS", "", "text/jscript"):
        assert safe_content_type(runnable) == "application/octet-stream", runnable
    for kept in ("application/pdf", "text/html", "image/svg+xml", "application/xml"):
        assert safe_content_type(kept) == kept
    path = tmp_path / "x.html"
    path.write_bytes(b"<script>alert(1)</script>")
    response = file_download(path.open("rb"), filename="besluit €.html", content_type="text/html")
    assert response.headers["Content-Security-Policy"] == SANDBOX_POLICY
    assert response.headers["Content-Disposition"] == "attachment; filename*=utf-8''besluit%20%E2%82%AC.html"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def _settings_in_a_new_process(extra_env: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOKET_", "DJANGO_", "DEBUG", "PYTEST"))}
    env.update({"DATABASE_URL": "sqlite:////tmp/loket-headers-settings.sqlite3", **extra_env})
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'loket.settings'; django.setup(); "
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO / "src", env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_and_the_https_redirect_hold_outside_development():  # type: ignore[no-untyped-def]
    production = _settings_in_a_new_process({"SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "loket.example.org"})
    assert production == "31536000 True False"
    development = _settings_in_a_new_process({"LOKET_DEV": "1"})
    assert development == "0 False True"


@pytest.mark.django_db
def test_the_vendor_apis_lean_route_has_a_policy_that_allows_nothing():  # type: ignore[no-untyped-def]
    from tests.vendors.test_hot_path import _call

    status, headers, _content = _call("POST", "/melding", b"{}", {"CONTENT_TYPE": "application/json"})
    assert status == 400
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_a_form_may_lead_to_the_identity_provider_and_nowhere_else(client, settings, db):  # type: ignore[no-untyped-def]
    # "Bevestig wie u bent" posts to the Loket, which redirects to the identity provider; Chromium checks that
    # redirect against form-action, and with only 'self' the button did nothing (tests/e2e/test_step_up_oidc.py).
    settings.OIDC_ISSUER = "https://authenticatie.vlaanderen.be/op"
    for page in ("/aanmelden/", "/helpdesk/login/"):
        policy = client.get(page)["Content-Security-Policy"]
        assert _directives(policy)["form-action"] == ["'self'", "https://authenticatie.vlaanderen.be"], page
    settings.OIDC_ISSUER = ""
    assert _directives(client.get("/aanmelden/")["Content-Security-Policy"])["form-action"] == ["'self'"]
