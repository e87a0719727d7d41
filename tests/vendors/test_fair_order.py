"""Fresh jobs do not wait behind retries, and one attempt has a hard deadline (issue 11, item 5): three pages that
drip their answer byte by byte, then a normal page; the single real worker finishes the normal one within 30 s."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from loket.vendors.models import Job
from tests.vendors.conftest import CONCEPT, body_for, post
from tests.vendors.pages import PAGES
from tests.vendors.test_pipeline import BUDGET


@pytest.mark.django_db(transaction=True)
def test_a_normal_page_is_done_within_30_seconds_behind_three_slow_ones(
    client, vendor, municipality, codelists, mechelen_bodies, pages, settings
):
    settings.LOKET_VENDOR_ATTEMPT_SECONDS = 3
    settings.LOKET_VENDOR_BACKOFF_SECONDS = 0.001  # every retry is due at once: the worst case for a newcomer
    budget = (PAGES / "voorbeeld-budget.html").read_bytes()
    for number in range(3):
        href = pages.serve(f"/druppel-{number}", budget, slow_requests=100, drip=0.5)
        resource = f"http://data.example.be/traag/{number}"
        assert post(client, "/melding", body_for(municipality, href=href, resource=resource)).status_code == 201
    normal_href = pages.serve("/normaal", budget)
    created: list[float] = []

    def vendor() -> None:  # the normal melding arrives while the worker is stuck on the first slow page
        try:
            assert pages.routes["/druppel-0"].arrived.wait(10)
            created.append(time.monotonic())
            body = body_for(municipality, href=normal_href, resource=BUDGET, status=CONCEPT)
            assert post(Client(), "/melding", body).status_code == 201
        finally:
            connection.close()

    thread = threading.Thread(target=vendor, daemon=True)
    thread.start()
    finished: dict[str, float] = {}

    def watch(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        if task_result.kwargs.get("job_id") == normal_id():
            finished.setdefault("normal", time.monotonic())

    def normal_id() -> int | None:
        return Job.objects.filter(submitted_resource=BUDGET).values_list("pk", flat=True).first()

    from django_tasks.signals import task_finished

    task_finished.connect(watch)
    try:
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0, max_tasks=8)
    finally:
        task_finished.disconnect(watch)
    thread.join(5)
    normal = Job.objects.get(submitted_resource=BUDGET)
    assert normal.status == "success", normal.error_message
    assert finished["normal"] - created[0] < 30
    slow = Job.objects.get(submitted_resource="http://data.example.be/traag/0")
    download = slow.tasks.get(operation="download")
    assert download.error_message.startswith(
        f"De pagina {pages.url('/druppel-0')} kon niet worden opgehaald: Het ophalen duurde langer dan 3 seconden "
        "in totaal (de grens voor één poging); de server stuurt te traag."
    )


@pytest.mark.django_db
def test_a_task_without_delay_is_due_when_enqueued():
    from django.utils import timezone

    from loket.vendors.tasks import process_job

    before = timezone.now()
    process_job.enqueue(job_id=1)
    row = DBTaskResult.objects.get()
    assert before <= row.run_after <= timezone.now()
