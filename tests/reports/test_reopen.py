"""Reopening a sent BBC-DR report (issue 18 item 6, "BBC-DR likewise"): agency staff with a reason; the sent report,
its register entries and receipt stay; "reopened" in the register; a concept with copies of its files (deleting it
never touches the sent files) opens for the BBC-DR users, who get a mail; once sent, dct:isReplacedBy."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from loket.core.ledger_models import LedgerEntry
from loket.core.models import AuditEvent
from loket.reports.models import Report
from loket.reports.receipts import report_receipt

pytestmark = pytest.mark.django_db


def _mails() -> list[dict]:  # type: ignore[type-arg]
    return [r.args_kwargs["kwargs"] for r in DBTaskResult.objects.filter(task_path="loket.core.tasks.send_email")]


def test_a_reason_is_required_and_only_agency_staff_may_reopen(client, helpdesk, bbcdr_clerk, sent_report):  # type: ignore[no-untyped-def]
    url = f"/bbcdr-abb/{sent_report.uuid}/heropenen/"
    client.force_login(bbcdr_clerk)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(helpdesk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and "Geef de reden van de heropening op" in response.content.decode()
    assert not Report.objects.filter(replaces=sent_report).exists() and _mails() == []
    assert not LedgerEntry.objects.filter(kind="reopened").exists()


def test_reopening_keeps_the_sent_report_and_opens_a_concept_with_copies(  # type: ignore[no-untyped-def]
    client, helpdesk, bbcdr_clerk, sent_report
):
    receipt = report_receipt(sent_report)
    sent_files = {f.storage_name: f.sha256 for f in sent_report.files.all()}
    client.force_login(helpdesk)
    url = f"/bbcdr-abb/{sent_report.uuid}/heropenen/"
    assert client.post(url, {"reason": "Verkeerd boekjaar"}).status_code == 302
    sent_report.refresh_from_db()
    assert sent_report.is_sent and report_receipt(sent_report) == receipt
    reopened = LedgerEntry.objects.get(subject_uri=sent_report.uri, kind="reopened")
    assert reopened.payload["reason"] == "Verkeerd boekjaar"
    concept = Report.objects.get(replaces=sent_report)
    assert concept.status == "concept" and concept.reopened_entry == reopened
    copies = {f.storage_name: f.sha256 for f in concept.files.all()}
    assert sorted(copies.values()) == sorted(sent_files.values()) and not set(copies) & set(sent_files)
    [mail] = _mails()
    assert mail["to"] == [bbcdr_clerk.email] and "Verkeerd boekjaar" in mail["body"]
    assert AuditEvent.objects.filter(action="bbcdr.reopened", actor=helpdesk).exists()
    call_command("ledger", "verify", stdout=open("/dev/null", "w"))
    assert client.post(url, {"reason": "Nog eens"}).status_code == 409  # once
    # The clerk sees why; deleting the concept leaves every sent file in place.
    client.force_login(bbcdr_clerk)
    page = client.get(f"/bbcdr/{concept.uuid}/").content.decode()
    assert "Heropend door het agentschap" in page and "Verkeerd boekjaar" in page
    assert client.post(f"/bbcdr/{concept.uuid}/verwijderen/").status_code == 302
    assert all(default_storage.exists(name) for name in sent_files)


def test_once_the_new_report_is_sent_the_old_one_says_it_was_replaced(client, helpdesk, bbcdr_clerk, sent_report):  # type: ignore[no-untyped-def]
    from loket.reports.services import report_check, report_reopen, report_send

    concept = report_reopen(actor=helpdesk, report=sent_report, reason="Nieuwe cijfers")
    report_check(report_id=concept.pk)
    concept.refresh_from_db()
    corrected = report_send(actor=bbcdr_clerk, report=concept)
    client.force_login(bbcdr_clerk)
    graph = Graph().parse(data=client.get(f"/bbcdr-reports/{sent_report.uuid}", HTTP_ACCEPT="text/turtle").content)
    assert (URIRef(sent_report.uri), DCTERMS.isReplacedBy, URIRef(corrected.uri)) in graph
