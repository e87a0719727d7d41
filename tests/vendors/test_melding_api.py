"""POST /melding through HTTP: the real Loket's status codes and error bodies for every fault, and that a refused
request stores nothing."""

import json
import logging
import threading

import pytest
from django.db import connection
from django.test import Client

from loket.core.models import AuditEvent
from loket.organisations.models import Organisation
from loket.supervision.models import Submission
from loket.vendors.models import Job, JobCredential, JobTask, Vendor
from loket.vendors.services import vendor_create
from tests.conftest import _kind
from tests.vendors.conftest import (
    CONCEPT,
    KEY,
    PLATFORM_KEY,
    PLATFORM_URI,
    SUBMITTABLE,
    VENDOR_URI,
    body_for,
    example_body,
    post,
)
from tests.vendors.pages import BODIES

pytestmark = pytest.mark.django_db
AUTH_FAILED = (
    "Authentication failed, vendor does not have access to the organization or does not exist. If this should not "
    "be the case, please contact us at digitaalABB@vlaanderen.be for login credentials."
)
AUTH_MISSING = (
    "The authentication (or part of it) for this request is missing. Make sure to supply publisher (with vendor URI "
    "and key) and organization information to the request."
)


def _state() -> tuple:
    return (Job.objects.count(), JobTask.objects.count(), JobCredential.objects.count(), Submission.objects.count())


def _errors(response) -> list:  # type: ignore[no-untyped-def]
    return response.json()["errors"]


@pytest.fixture
def example_organisation(db) -> Organisation:  # type: ignore[no-untyped-def]
    """The fictitious organisation and vendor of the real Loket's example bodies."""
    kind = _kind("5ab0e9b8a3b2ca7c5e000001", "Gemeente", "municipality")
    organisation = Organisation.objects.create(
        uri="http://data.lblod.info/id/bestuurseenheden/2498239",
        uuid="2498239",
        name="Tielt-Winge",
        kind=kind,
        status="Actief",
    )
    vendor_create(uri=VENDOR_URI, name="Cipal Schaubroeck", organisations=[organisation], key=KEY)
    return organisation


@pytest.mark.parametrize(
    "name",
    [
        "voorbeeld-body.json",
        "voorbeeld-body-met-draft-status.json",
        "voorbeeld-basic-auth.json",
        "voorbeeld-oauth2.json",
    ],
)
def test_the_examples_of_the_real_loket_are_accepted_unchanged(client, example_organisation, name):
    raw = (BODIES / name).read_bytes()
    response = client.post("/melding", data=raw, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    job = Job.objects.get()
    assert body == {"uri": job.submission_uri, "submission": job.submission_uri, "job": job.uri}
    assert body["submission"].startswith("http://data.lblod.info/submissions/")
    assert body["job"].startswith("http://data.lblod.info/id/automatic-submission-job/")
    assert job.submitted_resource == "http://data.tielt-winge.be/besluiten/2398230"
    assert job.organisation == example_organisation
    expected_status = "concept" if name == "voorbeeld-body.json" else "submittable"
    assert job.requested_status == expected_status
    assert [(t.operation, t.status) for t in job.tasks.all()] == [("register", "success"), ("download", "scheduled")]
    assert JobCredential.objects.count() == (1 if "auth" in name or "oauth" in name else 0)


def test_ld_json_content_type_and_explicit_default_context(client, example_organisation):
    body = example_body("voorbeeld-body.json")
    body["@context"] = "https://lblod.data.gift/contexts/automatische-melding/v1/context.json"
    response = post(client, "/melding", body, content_type="application/ld+json")
    assert response.status_code == 201


def test_own_inline_context_is_expanded(client, example_organisation):
    context = json.loads((BODIES / "json-ld-context.json").read_text())["@context"]
    renamed = {**context, "pagina": context["href"], "besluit": context["submittedResource"]}
    body = {
        "@context": renamed,
        "pagina": "http://raadpleegomgeving.tielt-winge.be/x",
        "besluit": "http://data.tielt-winge.be/besluiten/9",
        "organization": example_organisation.uri,
        "publisher": {"uri": VENDOR_URI, "key": KEY},
        "status": CONCEPT,
    }
    response = post(client, "/melding", body, content_type="application/ld+json")
    assert response.status_code == 201, response.content
    assert Job.objects.get().submitted_resource == "http://data.tielt-winge.be/besluiten/9"


def test_unknown_remote_context_is_refused_without_fetching(client, example_organisation):
    body = {**example_body("voorbeeld-body.json"), "@context": "http://127.0.0.1:9/context.json"}
    response = post(client, "/melding", body)
    assert response.status_code == 400
    assert "remote context" in _errors(response)[0]["title"]
    assert Job.objects.count() == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_wrong_content_type(client, vendor, municipality, content_type):
    response = post(client, "/melding", json.dumps(body_for(municipality)), content_type=content_type)
    assert response.status_code == 400
    assert _errors(response) == [
        {"title": "Content-Type not valid, only application/json or application/ld+json are accepted"}
    ]
    assert _state() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("{not json", "Invalid JSON payload, the body could not be parsed as JSON."),
        (" ", "Invalid JSON payload, the body could not be parsed as JSON."),
        ("[{}]", "Invalid JSON payload, expected an object but found array."),
        ('"x"', "Invalid JSON payload, expected an object but found str."),
        ("42", "Invalid JSON payload, expected an object but found int."),
    ],
)
def test_malformed_json_and_arrays(client, vendor, raw, title):
    response = post(client, "/melding", raw)
    assert response.status_code == 400
    assert _errors(response) == [{"title": title}]
    assert _state() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"href": None}, "href"),
        ({"href": "not a url"}, "href"),
        ({"href": "ftp://x.example/a"}, "href"),
        ({"href": 12}, "href"),
        ({"submittedResource": None}, "submittedResource"),
        ({"submittedResource": {"nested": True}}, "submittedResource"),
    ],
)
def test_missing_or_invalid_properties(client, vendor, municipality, change, field):
    body = {k: v for k, v in {**body_for(municipality), **change}.items() if v is not None}
    response = post(client, "/melding", body)
    assert response.status_code == 400
    assert _errors(response) == [{"title": f'Invalid JSON-LD payload: property "{field}" is missing or invalid.'}]
    assert _state() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "status",
    ["http://lblod.data.gift/concepts/9bd8d86d-bb10-4456-a84e-91e9507c374c", "Inzendbaar", "http://example.org/other"],
)
def test_unknown_status(client, vendor, municipality, status):
    response = post(client, "/melding", body_for(municipality, status=status))
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Property status is not valid."}]}
    assert _state() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "change",
    [
        {"publisher": None},
        {"organization": None},
        {"publisher": {"uri": VENDOR_URI}},
        {"publisher": {"key": KEY}},
        {"publisher": "http://data.lblod.info/vendors/cipal-schaubroeck"},
    ],
)
def test_missing_parts_of_the_authentication(client, vendor, municipality, change):
    body = {k: v for k, v in {**body_for(municipality), **change}.items() if v is not None}
    response = post(client, "/melding", body)
    assert response.status_code == 400
    assert _errors(response) == [{"title": AUTH_MISSING}]
    assert _state() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "authentication",
    [
        {"configuration": {"scheme": "basic"}},
        {"configuration": {"scheme": "basic"}, "credentials": {"username": "foo"}},
        {"configuration": {"scheme": "oauth2"}, "credentials": {"clientId": "foo", "clientSecret": "bar"}},
        {"configuration": {"scheme": "digest"}, "credentials": {"username": "foo", "password": "bar"}},
        "basic",
    ],
)
def test_incomplete_page_authentication(client, vendor, municipality, authentication):
    response = post(client, "/melding", body_for(municipality, authentication=authentication))
    assert response.status_code == 400
    assert _errors(response)[0]["title"].startswith("Invalid authentication")
    assert _state() == (0, 0, 0, 0)


def test_wrong_key_unknown_vendor_unknown_organisation_and_unlisted_organisation(
    client, vendor, municipality, other_municipality
):
    cases = [
        body_for(municipality, key="not-the-key-123"),
        body_for(municipality, vendor_uri="http://example.org/v/none"),
        {**body_for(municipality), "organization": "http://data.lblod.info/id/bestuurseenheden/unknown"},
        body_for(other_municipality),
    ]
    for body in cases:
        response = post(client, "/melding", body)
        assert response.status_code == 401
        assert _errors(response) == [{"title": AUTH_FAILED}]
    assert _state() == (0, 0, 0, 0)
    refusals = AuditEvent.objects.filter(action="vendor.refused").order_by("pk")
    assert [e.details["reason"] for e in refusals] == [
        "wrong_key",
        "unknown_vendor",
        "unknown_organisation",
        "organisation_not_listed",
    ]
    assert all("not-the-key-123" not in json.dumps(e.details) and KEY not in json.dumps(e.details) for e in refusals)


def test_inactive_vendor_is_refused(client, vendor, municipality):
    Vendor.objects.filter(pk=vendor.pk).update(is_active=False)
    assert post(client, "/melding", body_for(municipality)).status_code == 401


def test_platform_vendor_is_refused_by_a_body_on_the_loket(client, platform_vendor, municipality):
    response = post(client, "/melding", body_for(municipality, key=PLATFORM_KEY, vendor_uri=PLATFORM_URI))
    assert response.status_code == 403
    message = _errors(response)[0]["title"]
    assert "Aalst werkt zelf in het Loket voor Lokale Besturen en niet via een platform" in message
    assert "Religiopoint mag geen inzendingen doen" in message
    assert _state() == (0, 0, 0, 0)
    event = AuditEvent.objects.get(action="vendor.refused")
    assert event.organisation == municipality and event.details["reason"] == "channel"


def test_body_on_a_platform_accepts_only_that_platform(client, platform_vendor, worship_on_platform, vendor):
    vendor.organisations.add(worship_on_platform)
    response = post(client, "/melding", body_for(worship_on_platform))  # meeting software
    assert response.status_code == 403
    message = _errors(response)[0]["title"]
    assert "werkt sinds 1 maart 2024 via Religiopoint" in message
    assert "niet via Cipal Schaubroeck" in message
    response = post(client, "/melding", body_for(worship_on_platform, key=PLATFORM_KEY, vendor_uri=PLATFORM_URI))
    assert response.status_code == 201
    assert Job.objects.get().vendor == platform_vendor


def test_another_platform_is_refused(client, platform_vendor, worship_on_platform):
    from loket.organisations.models import Platform

    other = Platform.objects.create(name="Andere Software")
    vendor_create(
        uri="http://example.org/vendors/andere",
        name="Andere Software",
        organisations=[],
        platform=other,
        key="andere-key",
    )
    body = body_for(worship_on_platform, key="andere-key", vendor_uri="http://example.org/vendors/andere")
    response = post(client, "/melding", body)
    assert response.status_code == 403
    assert "Andere Software is niet het platform van dit bestuur" in _errors(response)[0]["title"]


def test_accepted_melding_is_audited_and_keeps_no_key(client, vendor, municipality, caplog):
    caplog.set_level(logging.DEBUG)
    body = body_for(
        municipality,
        status=SUBMITTABLE,
        authentication={
            "configuration": {"scheme": "basic"},
            "credentials": {"username": "foo", "password": "geheim-wachtwoord"},
        },
    )
    response = post(client, "/melding", body)
    assert response.status_code == 201
    event = AuditEvent.objects.get(action="vendor.melding_accepted")
    assert event.organisation == municipality and event.actor_label == "Cipal Schaubroeck"
    assert event.details["submitted_resource"] == "http://data.example.be/besluiten/1"
    credential = JobCredential.objects.get()
    assert b"geheim-wachtwoord" not in bytes(credential.secret)
    with connection.cursor() as cursor:
        for table in ("vendors_job", "vendors_jobtask", "vendors_vendor", "core_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump = repr(cursor.fetchall())
            assert "geheim-wachtwoord" not in dump and KEY not in dump, table
    from django_tasks_db.models import DBTaskResult

    assert "geheim-wachtwoord" not in repr(list(DBTaskResult.objects.values()))
    assert "geheim-wachtwoord" not in caplog.text and KEY not in caplog.text


def test_duplicate_submitted_resource(client, vendor, municipality):
    assert post(client, "/melding", body_for(municipality)).status_code == 201
    response = post(client, "/melding", body_for(municipality, href="http://raadpleegomgeving.example.be/ander"))
    assert response.status_code == 409
    assert _errors(response) == [
        {"title": "The given submittedResource <http://data.example.be/besluiten/1> has already been submitted."}
    ]
    assert Job.objects.count() == 1


def test_a_failed_job_releases_the_decision(client, vendor, municipality):
    assert post(client, "/melding", body_for(municipality)).status_code == 201
    Job.objects.update(status="failed", holds_resource=False)
    assert post(client, "/melding", body_for(municipality)).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_two_at_the_same_moment_exactly_one_is_accepted(municipality):
    vendor_create(uri=VENDOR_URI, name="Cipal Schaubroeck", organisations=[municipality], key=KEY)
    body = json.dumps(body_for(municipality))
    barrier = threading.Barrier(6)
    statuses: list[int] = []

    def submit() -> None:
        try:
            barrier.wait()
            statuses.append(Client().post("/melding", data=body, content_type="application/json").status_code)
        except Exception as error:  # a crash must show up in the assertion, not vanish with the thread
            statuses.append(-1)
            print("request crashed:", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409, 409, 409, 409, 409], statuses
    assert Job.objects.count() == 1


def test_rate_limited_per_vendor(client, vendor, municipality, settings):
    settings.LOKET_VENDOR_THROTTLE = 3
    codes = [
        post(client, "/melding", body_for(municipality, resource=f"http://data.example.be/b/{i}")).status_code
        for i in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]
    assert (
        _errors(post(client, "/melding", body_for(municipality, resource="http://x.example/9")))[0]["title"]
        == "Too many requests for this vendor; try again in a minute."
    )
    assert Job.objects.count() == 3


def test_credentials_in_href_become_basic_credentials(client, vendor, municipality):
    response = post(client, "/melding", body_for(municipality, href="http://foo:geheim@pages.example.be/besluit"))
    assert response.status_code == 201
    job = Job.objects.get()
    assert job.href == "http://pages.example.be/besluit"
    assert JobCredential.objects.get(job=job).scheme == "basic"
