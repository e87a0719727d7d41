"""The load test's users (bench/locust/run.py starts everything; see bench/README.md).

70 % clerks (their list, open a submission, a new concept saved with the form's data, sent after the
confirmation page), 20 % supervisors (filtered inbox, open, mark handled, a filtered CSV export), 10 % vendors
(`POST /melding` of a decision published on the load test's page server, then `/status`). People log in with the
session cookies bench/locust/prepare.py made (var/load/people.json); CSRF with a cookie and header of the same
secret, as a browser's form does with the cookie and the hidden field.

Two ways of waiting. By default (the model every figure before session 17 used) a user makes its task's requests
(a clerk's six) one after the other and then waits 0.5–1.5 s: 50 users then ask for far more than 100 requests/s
when pages are fast, and the server runs saturated. With LOKET_LOAD_PACING=S (`run.py --pacing S`) every user starts
a request every S seconds at most, the first of a task included (locust's constant_pacing, called before each
request): 50 users offer at most 50 / S requests/s, and the latency is read at that rate instead of at saturation.
"""

import hashlib
import itertools
import json
import os
import random
import re
import uuid
from http.cookiejar import Cookie, DefaultCookiePolicy
from pathlib import Path

from locust import FastHttpUser, between, constant_pacing, task

PEOPLE = json.loads(Path(os.environ.get("LOKET_LOAD_PEOPLE", "var/load/people.json")).read_text(encoding="utf-8"))
PAGES = os.environ.get("LOKET_LOAD_PAGES", "http://127.0.0.1:18091")
# The vendor API's own pool when run.py starts one (the proxy's routing of the vendor paths), else --host. An absolute
# address: locust's --host replaces a user class's own `host`.
API = os.environ.get("LOKET_LOAD_API", "")
PACING = float(os.environ.get("LOKET_LOAD_PACING") or 0)
BESLUITENLIJST = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"
SUBMITTABLE = "http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff"
FIELDS = "http://data.lblod.info/loket/fields/toezicht/"
PROVINCES = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"]
CLERK_LINK = re.compile(r'href="/toezicht/([0-9a-f-]{36})/"')
INBOX_LINK = re.compile(r'href="/toezichthouder/inzendingen/([0-9a-f-]{36})/"')
FINGERPRINT = re.compile(r'name="fingerprint" value="([0-9a-f]+)"')
_clerks = itertools.cycle(PEOPLE["clerks"])
_supervisors = itertools.cycle(PEOPLE["supervisors"])
_municipalities = list(PEOPLE["municipalities"])


def field_name(field: str, submission: str) -> str:
    """loket.forms.names.field_name for the Toezicht form's node of `submission`."""
    node = f"{PEOPLE['uri_base']}/form-data/{submission}"
    return "f-" + hashlib.blake2s(f"{FIELDS}{field}|{node}".encode(), digest_size=6).hexdigest()


def plain_cookie(name: str, value: str) -> Cookie:
    """A cookie for 127.0.0.1 and every path, sent over http (not `Secure`)."""
    return Cookie(
        version=0, name=name, value=value, port=None, port_specified=False, domain="127.0.0.1", domain_specified=False,
        domain_initial_dot=False, path="/", path_specified=True, secure=False, expires=None, discard=False,
        comment=None, comment_url=None, rest={},
    )  # fmt: skip


class ServerCookiesRefused(DefaultCookiePolicy):
    """The server's `Secure` cookies would replace the person's in the jar (same name, host and path) and then not be
    sent over http: the person would be logged out. The prepared session and CSRF cookies are all a person needs."""

    def set_ok(self, cookie: Cookie, request: object) -> bool:
        return False


class Paced(FastHttpUser):
    """The two ways of waiting (the module's docstring): with PACING, `paced()` before each request waits out the
    rest of the user's S seconds since its last request started; the wait locust makes after a task is the one before
    the next task's first request."""

    abstract = True
    wait_time = constant_pacing(PACING) if PACING else between(0.5, 1.5)
    _since_wait = 0

    def wait(self) -> None:
        self._since_wait = 0
        super().wait()

    def paced(self) -> None:
        if PACING and self._since_wait:
            self.wait()
        self._since_wait += 1


class Person(Paced):
    abstract = True

    def logged_in(self, session: str) -> None:
        self.csrf = PEOPLE["csrf"]
        # The server runs production settings, whose cookies carry the `__Host-` prefix (settings.py) and are
        # `Secure`: a cookie jar would not send them over the load test's plain http. So the person's two cookies go
        # into the client's jar as cookies for 127.0.0.1 without `Secure`, and the jar takes none from the server. In
        # the jar, not in a Cookie header: a redirect drops the request's Cookie header and sends the jar's, so before
        # 7 December 2026 the page after every POST (new concept, send, mark handled) was asked for without a session
        # and answered with the login page (bench/README.md, "Session 18").
        jar = self.client.cookiejar
        jar.set_policy(ServerCookiesRefused())
        for name, value in (("__Host-sessionid", session), ("__Host-csrftoken", self.csrf)):
            jar.set_cookie(plain_cookie(name, value))
        self.headers = {"X-CSRFToken": self.csrf}

    def get(self, path: str, name: str):  # type: ignore[no-untyped-def]
        self.paced()
        return self.client.get(path, name=name, headers=self.headers)

    def post(self, path: str, data: dict, name: str):  # type: ignore[no-untyped-def]
        self.paced()
        return self.client.post(path, data=data, name=name, headers=self.headers)


class Clerk(Person):
    weight = 7

    def on_start(self) -> None:
        person = next(_clerks)
        self.logged_in(person["session"])
        self.council = PEOPLE["municipalities"][person["organisation"]]["council"]

    @task
    def work(self) -> None:
        listing = self.get("/toezicht/", "clerk: list")
        found = CLERK_LINK.findall(listing.text or "")
        if found:
            self.get(f"/toezicht/{random.choice(found)}/", "clerk: open")
        created = self.post("/toezicht/nieuw/", {"document_type": BESLUITENLIJST}, "clerk: new concept")
        key = (created.url or "").rstrip("/").rsplit("/", 1)[-1]
        if len(key) != 36:
            return
        data = {
            field_name("documentType", key): BESLUITENLIJST,
            field_name("governingBody", key): self.council,
            field_name("sessionDate", key): f"2026-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
            field_name("links", key): f"https://publicatie.example.org/besluitenlijst-{key}.html",
        }
        self.post(f"/toezicht/{key}/", data, "clerk: save")
        confirmation = self.get(f"/toezicht/{key}/versturen/", "clerk: confirmation page")
        fingerprint = FINGERPRINT.search(confirmation.text or "")
        if fingerprint:
            self.post(f"/toezicht/{key}/versturen/", {"fingerprint": fingerprint.group(1)}, "clerk: send")


class Supervisor(Person):
    weight = 2

    def on_start(self) -> None:
        self.logged_in(next(_supervisors)["session"])

    @task(4)
    def handle(self) -> None:
        province = random.choice(PROVINCES)
        inbox = self.get(
            f"/toezichthouder/inzendingen/?provincie={province}&behandeld=no", "supervisor: inbox filtered"
        )
        found = INBOX_LINK.findall(inbox.text or "")
        if not found:
            return
        key = random.choice(found)
        self.get(f"/toezichthouder/inzendingen/{key}/", "supervisor: open")
        self.post(f"/toezichthouder/inzendingen/{key}/", {"note": "In orde (load test)"}, "supervisor: mark handled")

    @task(1)
    def export(self) -> None:
        province = random.choice(PROVINCES)
        self.get(
            f"/toezichthouder/inzendingen/export.csv?provincie={province}&verstuurd_van=2026-08-01",
            "supervisor: CSV (one province, two months)",
        )


class Vendor(Paced):
    weight = 1

    @task
    def melding(self) -> None:
        organisation = random.choice(_municipalities)
        index = _municipalities.index(organisation)
        key = uuid.uuid4().hex
        publisher = {"uri": PEOPLE["vendor"]["uri"], "key": PEOPLE["vendor"]["key"]}
        body = {
            "href": f"{PAGES}/p/{index}/{key}",
            "organization": organisation,
            "publisher": publisher,
            "submittedResource": f"http://load.example/besluiten/{key}",
            "status": SUBMITTABLE,
        }
        self.paced()
        answer = self.client.post(f"{API}/melding", json=body, name="vendor: POST /melding")
        if answer.status_code != 201:
            return
        request = {"submission": answer.json()["submission"], "organization": organisation, "publisher": publisher}
        self.paced()
        self.client.post(f"{API}/status", json=request, name="vendor: POST /status")
