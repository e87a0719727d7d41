"""Wacht op virusscan in BBC-DR (issue 18 item 7), with a real clamd that the test stops and starts: report files
kept while clamd is down are listed as waiting, cannot be downloaded or sent; once the worker scanned them the
report is sent; an infected one leaves the concept with a notice and an audit event."""

import pytest
from django.urls import reverse

from loket.core.ledger_models import LedgerEntry
from loket.core.models import AuditEvent, PendingScan, ScanNotice
from loket.reports.models import Report, ReportFile
from tests.reports.conftest import pair, upload
from tests.support.clamd import SIGNATURE_NAME, eicar

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, bbcdr_clerk):  # type: ignore[no-untyped-def]
    client.force_login(bbcdr_clerk)
    return client


def test_report_files_wait_while_clamd_is_down_and_the_report_is_sent_once_scanned(  # type: ignore[no-untyped-def]
    clerk_client, own_clamd, run_worker
):
    own_clamd.stop()
    response = clerk_client.post(reverse("reports:new"), {"bestanden": pair()})
    assert response.status_code == 302
    report = Report.objects.get()
    assert PendingScan.objects.count() == 2
    page = clerk_client.get(reverse("reports:detail", args=[report.uuid])).content.decode()
    assert page.count("wacht op virusscan") >= 2
    xml_file = report.files.get(kind=ReportFile.Kind.XML)
    download = clerk_client.get(reverse("reports:file", args=[report.uuid, xml_file.uuid]))
    assert download.status_code == 409 and "jaarrekening-2025.xml" in download.content.decode()

    refused = clerk_client.post(reverse("reports:send", args=[report.uuid]))
    assert refused.status_code == 409 and "wacht nog op de virusscan" in refused.content.decode()
    assert not LedgerEntry.objects.filter(kind="sent").exists()

    own_clamd.start()
    run_worker()  # the scans (clean) and the check
    assert not PendingScan.objects.exists()
    assert clerk_client.get(reverse("reports:file", args=[report.uuid, xml_file.uuid])).status_code == 200
    assert clerk_client.post(reverse("reports:send", args=[report.uuid])).status_code == 302
    report.refresh_from_db()
    assert report.is_sent and report.sent_entry.kind == "sent"


def test_an_infected_report_file_found_later_leaves_the_concept(  # type: ignore[no-untyped-def]
    clerk_client, bbcdr_clerk, own_clamd, run_worker, settings
):
    own_clamd.stop()
    content = b'<?xml version="1.0"?>\n<rapport>' + eicar() + b"<!--" + b" opvulling " * 200 + b"--></rapport>\n"
    clerk_client.post(reverse("reports:new"), {"bestanden": [upload("rapport.xml", content)]})
    report = Report.objects.get()
    sha256 = report.files.get().sha256
    own_clamd.start()
    run_worker()
    assert not report.files.exists() and not PendingScan.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    event = AuditEvent.objects.get(action="core.virus_found")
    assert (event.actor, event.details["sha256"], event.details["bestand"]) == (bbcdr_clerk, sha256, "rapport.xml")
    assert ScanNotice.objects.get().owner_uri == report.uri
    page = clerk_client.get(reverse("reports:detail", args=[report.uuid])).content.decode()
    assert "Het bestand rapport.xml wachtte op de virusscan" in page and SIGNATURE_NAME in page
    refused = clerk_client.post(reverse("reports:send", args=[report.uuid]))
    assert refused.status_code == 409 and not LedgerEntry.objects.exists()
