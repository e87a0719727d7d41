"""A vendor's melding for a body whose storage quota is used up (core.quota, ASVS 12.1.3): refused at once with 429,
the quota and when to try again, nothing registered; and when the quota fills up after the melding was accepted, the
real worker refuses to store the page, the job fails with the quota's words on its status, nothing is stored. Both
refusals are audited."""

import datetime

import pytest
from django.utils import timezone

from loket.core.models import AuditEvent
from loket.core.quota_models import QuotaCharge
from loket.supervision.models import Submission
from loket.vendors.models import Job
from tests.vendors.conftest import SUBMITTABLE, body_for, post
from tests.vendors.pages import PAGES

pytestmark = pytest.mark.django_db
BUDGET = "http://een.domein.van.mechelen.be/besluiten/b122fc60-dabe-4fd5-b939-1765fe0c6170-6"


def test_a_quota_filled_after_the_melding_fails_its_job_with_the_reason_and_stores_nothing(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker, settings, tmp_path, fresh_throttle
):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_UPLOAD_QUOTA_FILES = 1
    href = pages.serve("/voorbeeld-budget.html", (PAGES / "voorbeeld-budget.html").read_bytes())
    response = post(client, "/melding", body_for(municipality, href=href, resource=BUDGET, status=SUBMITTABLE))
    assert response.status_code == 201, response.content
    QuotaCharge.objects.create(  # another upload of the body, between the melding and its job
        at=timezone.now() - datetime.timedelta(hours=1), organisation=municipality, size=10, storage_name="x/1"
    )
    run_worker()

    job = Job.objects.get(submitted_resource=BUDGET)
    assert job.status == "failed"
    assert job.error_message.startswith(
        "Uw bestuur heeft de grens bereikt van wat het Loket bewaart: 1 bestanden of 5 GB per 24 uur. "
        "Dit bestand is niet bewaard. U kunt opnieuw bestanden opladen vanaf "
    )
    assert job.tasks.get(operation="download").status == "failed"
    assert job.page_storage_name == "" and Submission.objects.count() == 0
    assert not [path for path in (tmp_path / "media").rglob("*") if path.is_file()]
    assert QuotaCharge.objects.count() == 1
    event = AuditEvent.objects.get(action="core.quota_exceeded")
    assert (event.organisation, event.actor, event.details["bron"]) == (municipality, None, "leverancier")


def test_a_melding_for_a_body_whose_quota_is_used_up_is_refused_at_once(
    client, vendor, municipality, pages, settings, fresh_throttle
):  # type: ignore[no-untyped-def]
    settings.LOKET_UPLOAD_QUOTA_FILES = 1
    charged = timezone.now() - datetime.timedelta(hours=1)
    QuotaCharge.objects.create(at=charged, organisation=municipality, size=10, storage_name="x/1")
    href = pages.serve("/voorbeeld-budget.html", (PAGES / "voorbeeld-budget.html").read_bytes())
    response = post(client, "/melding", body_for(municipality, href=href, resource=BUDGET, status=SUBMITTABLE))
    assert response.status_code == 429, response.content
    title = response.json()["errors"][0]["title"]
    assert title.startswith("The storage quota of this body is used up: at most 1 file(s) and 5 GiB in 24 hours.")
    assert "Nothing was registered" in title
    again = charged + datetime.timedelta(hours=settings.LOKET_UPLOAD_QUOTA_HOURS)
    assert again.isoformat(timespec="seconds") in title
    assert abs(int(response["Retry-After"]) - (again - timezone.now()).total_seconds()) < 5
    assert not Job.objects.exists() and Submission.objects.count() == 0
    event = AuditEvent.objects.get(action="core.quota_exceeded")
    assert (event.organisation, event.actor, event.details["bron"]) == (municipality, None, "leverancier")

    QuotaCharge.objects.all().delete()  # the window rolled: the same melding is accepted
    assert (
        post(client, "/melding", body_for(municipality, href=href, resource=BUDGET, status=SUBMITTABLE)).status_code
        == 201
    )


def test_a_bound_without_a_limit_is_not_named_in_the_refusal(
    client, vendor, municipality, pages, settings, fresh_throttle
):  # type: ignore[no-untyped-def]
    # 0 is "no limit" (settings, core.quota._exceeds): a vendor was told "at most 1 file(s) and 0 MiB".
    settings.LOKET_UPLOAD_QUOTA_FILES, settings.LOKET_UPLOAD_QUOTA_BYTES = 1, 0
    QuotaCharge.objects.create(
        at=timezone.now() - datetime.timedelta(hours=1), organisation=municipality, size=10, storage_name="x/1"
    )
    href = pages.serve("/voorbeeld-budget.html", (PAGES / "voorbeeld-budget.html").read_bytes())
    response = post(client, "/melding", body_for(municipality, href=href, resource=BUDGET, status=SUBMITTABLE))
    assert response.status_code == 429, response.content
    title = response.json()["errors"][0]["title"]
    assert title.startswith("The storage quota of this body is used up: at most 1 file(s) in 24 hours. Nothing")
    settings.LOKET_UPLOAD_QUOTA_FILES, settings.LOKET_UPLOAD_QUOTA_BYTES = 0, 1536 * 1024
    QuotaCharge.objects.update(size=1536 * 1024)
    title = post(client, "/melding", body_for(municipality, href=href, resource=BUDGET, status=SUBMITTABLE)).json()
    assert title["errors"][0]["title"].startswith(
        "The storage quota of this body is used up: at most 1.5 MiB in 24 hours. Nothing"
    )
