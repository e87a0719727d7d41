"""POST /status, GET /api/vendor/submissions/{id} (bearer), POST /delete-melding."""

import pytest

from loket.core.models import AuditEvent
from loket.supervision.models import Submission
from loket.vendors.models import Job
from loket.vendors.services import vendor_create
from tests.vendors.conftest import CONCEPT, KEY, VENDOR_URI, body_for, post
from tests.vendors.pages import PAGES
from tests.vendors.test_pipeline import BUDGET

pytestmark = pytest.mark.django_db
SENT = "http://lblod.data.gift/concepts/9bd8d86d-bb10-4456-a84e-91e9507c374c"


def _request(organisation, submission: str, key: str = KEY) -> dict:  # type: ignore[no-untyped-def]
    return {"submission": submission, "organization": organisation.uri, "publisher": {"uri": VENDOR_URI, "key": key}}


@pytest.fixture
def processed(client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker):  # type: ignore[no-untyped-def]
    def run(status: str = CONCEPT) -> Job:
        href = pages.serve("/budget", (PAGES / "voorbeeld-budget.html").read_bytes())
        response = post(client, "/melding", body_for(municipality, href=href, resource=BUDGET, status=status))
        assert response.status_code == 201
        run_worker()
        return Job.objects.select_related("submission").get()

    return run


def test_status_of_a_sent_submission(client, municipality, processed):
    job = processed("http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff")
    response = post(client, "/status", _request(municipality, job.submission_uri))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    body = response.json()
    assert body["@id"] == job.uri and body["@type"] == "cogs:Job"
    assert body["status"] == "http://redpencil.data.gift/id/concept/JobStatus/success"
    assert body["generated"]["@id"] == job.submission_uri and body["generated"]["status"] == SENT
    assert [t["operation"].rsplit("/", 1)[-1] for t in body["tasks"]] == [
        "register",
        "download",
        "import",
        "validate",
        "send",
    ]
    assert "error" not in body


def test_status_by_the_decisions_uri_and_of_a_failed_job(client, vendor, municipality, codelists, pages, run_worker):
    href = pages.serve("/pdf", b"%PDF-1.7\n", "application/pdf")
    post(client, "/melding", body_for(municipality, href=href, resource=BUDGET))
    run_worker()
    body = post(client, "/status", _request(municipality, BUDGET)).json()
    assert body["status"].endswith("/failed")
    assert "geen HTML-pagina" in body["error"]["message"]
    assert body["tasks"][1]["error"]["message"] == body["error"]["message"]


def test_status_is_rate_limited_per_submission(client, vendor, municipality, processed):
    job = processed()
    codes = [post(client, "/status", _request(municipality, job.submission_uri)).status_code for _ in range(6)]
    assert codes == [200, 200, 200, 200, 200, 429]


def test_status_refuses_wrong_key_and_unknown_submission(client, vendor, municipality):
    response = post(client, "/status", _request(municipality, "http://data.lblod.info/submissions/x", key="nope"))
    assert response.status_code == 401
    response = post(client, "/status", _request(municipality, "http://data.lblod.info/submissions/x"))
    assert response.status_code == 404


def test_another_vendor_cannot_see_the_job(client, municipality, processed):
    job = processed()
    vendor_create(uri="http://example.org/vendors/ander", name="Ander", organisations=[municipality], key="k2")
    body = {
        "submission": job.submission_uri,
        "organization": municipality.uri,
        "publisher": {"uri": "http://example.org/vendors/ander", "key": "k2"},
    }
    assert post(client, "/status", body).status_code == 404
    assert post(client, "/delete-melding", body).status_code == 404
    assert Submission.objects.count() == 1


def test_bearer_status(client, municipality, processed):
    job = processed()
    created = vendor_create(uri="http://example.org/vendors/nieuw", name="Nieuw", organisations=[municipality])
    Job.objects.update(vendor=created.vendor)
    url = f"/api/vendor/submissions/{job.submission_uuid}"
    response = client.get(url, headers={"Authorization": f"Bearer {created.key}"})
    assert response.status_code == 200
    body = response.json()
    assert body["job"]["status"] == "success" and body["job"]["uri"] == job.uri
    assert body["submission"] == {
        "uri": job.submission_uri,
        "id": str(job.submission_uuid),
        "submitted_resource": BUDGET,
        "status": "concept",
    }
    assert [t["operation"] for t in body["tasks"]] == ["register", "download", "import", "validate"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense", "Basic abc", "Bearer 0123456789abcdef.wrong"])
def test_bearer_refusals(client, municipality, processed, header):
    job = processed()
    headers = {"Authorization": header} if header else {}
    response = client.get(f"/api/vendor/submissions/{job.submission_uuid}", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_bearer_of_another_vendor_gets_404(client, municipality, processed):
    job = processed()
    other = vendor_create(uri="http://example.org/vendors/ander", name="Ander", organisations=[municipality])
    response = client.get(
        f"/api/vendor/submissions/{job.submission_uuid}", headers={"Authorization": f"Bearer {other.key}"}
    )
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": response.json()["error"]["message"], "fields": {}}
    }


def test_delete_a_concept(client, municipality, processed, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    job = processed()
    assert default_storage.exists(job.page_storage_name)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "/delete-melding", _request(municipality, job.submission_uri))
    assert response.status_code == 200
    assert response.json() == {"message": f"The submission {job.submission_uri} was deleted."}
    assert Submission.objects.count() == 0
    assert not default_storage.exists(job.page_storage_name)  # the stored copy of the page went with it
    assert AuditEvent.objects.filter(action="vendor.melding_deleted").count() == 1
    # deleted: the decision may be submitted again
    assert post(client, "/delete-melding", _request(municipality, job.submission_uri)).status_code == 404


def test_delete_refuses_a_sent_submission(client, municipality, processed):
    job = processed("http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff")
    response = post(client, "/delete-melding", _request(municipality, job.submission_uri))
    assert response.status_code == 409
    assert Submission.objects.get().status == "sent"


def test_delete_the_real_loket_example_shape(client, vendor, municipality):
    body = {
        "submission": "http://data.lblod.info/submissions/31b7b6a0-2c85-11ee-aac3-018db9894181",
        "organization": municipality.uri,
        "publisher": {"uri": VENDOR_URI, "key": KEY},
    }
    assert post(client, "/delete-melding", body).status_code == 404
    assert post(client, "/delete-melding", body, content_type="text/plain").status_code == 400
