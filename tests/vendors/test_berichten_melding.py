"""Replies through the vendor API (`POST /vendor/berichtencentrum/melding`): the real contract (400/401/409/201), a
page of our own in the documented shape served on loopback, the real worker importing it as the body's reply."""

import pytest

from loket.messaging.models import Message
from loket.messaging.services import ConversationDraft, attachments_store, conversation_start
from loket.vendors.models import MessageJob
from tests.messaging.conftest import PDF_BYTES, pdf
from tests.vendors.conftest import body_for, post

pytestmark = pytest.mark.django_db
URL = "/vendor/berichtencentrum/melding"
MESSAGE = "http://notulen.example.be/berichten/42"

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Reactie</title></head>
<body prefix="schema: http://schema.org/ nie: http://www.semanticdesktop.org/ontologies/2007/01/19/nie#
              nfo: http://www.semanticdesktop.org/ontologies/2007/03/22/nfo# xsd: http://www.w3.org/2001/XMLSchema#">
 <div resource="{conversation}" typeof="schema:Conversation">
  <div property="schema:hasPart" resource="{message}" typeof="schema:Message">
   <div property="schema:sender" resource="{sender}">Aalst</div>
   <div property="schema:recipient" resource="{recipient}">ABB</div>
   <div property="schema:text">In bijlage vindt u de opgevraagde documenten.</div>
   <div property="schema:dateSent" content="2026-12-05T10:00:00Z" datatype="xsd:dateTime">5 december 2026</div>
   {files}
  </div>
 </div>
</body></html>"""
FILE = """<div property="nie:hasPart" resource="{url}" typeof="nfo:FileDataObject">
 <span property="nfo:fileName">{name}</span><a property="nie:url" href="{url}">download</a></div>"""


@pytest.fixture
def conversation(agency, municipality, uploader):  # type: ignore[no-untyped-def]
    return conversation_start(
        actor=None,
        organisation=municipality,
        draft=ConversationDraft(dossier_number="V/9", subject="Opvraging", kind="Opvraging"),
        blobs=attachments_store([pdf()], uploader=uploader),
    )


def _page(pages, conversation, agency, *, sender=None, with_file=True, conversation_uri=None):  # type: ignore[no-untyped-def]
    file_url = pages.serve("/bijlage.pdf", PDF_BYTES + b"vendor", content_type="application/pdf")
    files = FILE.format(url=file_url, name="antwoord.pdf") if with_file else ""
    html = PAGE.format(
        conversation=conversation_uri or conversation.uri,
        message=MESSAGE,
        sender=sender or conversation.organisation.uri.replace("http://", "https://"),
        recipient=agency.uri,
        files=files,
    )
    return pages.serve("/bericht", html)


def _run_worker() -> None:
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def test_a_vendor_reply_becomes_the_bodys_reply(
    client, vendor, pages, conversation, agency, municipality, keep_test_connection
):
    href = _page(pages, conversation, agency)
    response = post(client, URL, body_for(municipality, href=href, resource=MESSAGE))
    assert response.status_code == 201 and response.json()["submission"] == MESSAGE
    _run_worker()
    job = MessageJob.objects.get()
    assert (job.status, job.error) == ("success", "")
    reply = Message.objects.get(external_uri=MESSAGE)
    assert (reply.kind, reply.from_agency, reply.author_name) == ("Reactie", False, "Cipal Schaubroeck")
    assert reply.text == "In bijlage vindt u de opgevraagde documenten."
    assert reply.sent_entry is not None and reply.attachments.get().file_name == "antwoord.pdf"
    again = post(client, URL, body_for(municipality, href=href, resource=MESSAGE))
    assert again.status_code == 409


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"sender": "http://data.lblod.info/id/bestuurseenheden/iemand-anders"}, "afzender"),
        ({"with_file": False}, "geen bijlage"),
        (
            {"conversation_uri": "http://data.lblod.info/id/conversaties/00000000-0000-0000-0000-000000000000"},
            "bestaat niet",
        ),
    ],
)
def test_a_bad_page_fails_the_job_with_a_reason_and_sends_nothing(
    client, vendor, pages, conversation, agency, municipality, keep_test_connection, change, reason
):
    href = _page(pages, conversation, agency, **change)
    assert post(client, URL, body_for(municipality, href=href, resource=MESSAGE)).status_code == 201
    _run_worker()
    job = MessageJob.objects.get()
    assert job.status == "failed" and reason in job.error
    assert not Message.objects.filter(external_uri=MESSAGE).exists()
    # A failed melding may be sent again.
    assert post(client, URL, body_for(municipality, href=href, resource=MESSAGE)).status_code == 201


def test_the_contract_400_and_401(client, vendor, municipality, agency):
    assert post(client, URL, {"href": "x"}).status_code == 400
    assert post(client, URL, body_for(municipality, resource=MESSAGE, key="wrong")).status_code == 401
    assert MessageJob.objects.count() == 0


@pytest.mark.parametrize("with_file", [True, False])  # the job succeeds, or fails (no attachment)
def test_the_pages_credentials_are_deleted_when_the_job_ends(  # type: ignore[no-untyped-def]
    client, vendor, pages, conversation, agency, municipality, keep_test_connection, with_file
):
    href = _page(pages, conversation, agency, with_file=with_file)
    authentication = {"configuration": {"scheme": "basic"}, "credentials": {"username": "loket", "password": "geheim"}}
    body = {**body_for(municipality, href=href, resource=MESSAGE), "authentication": authentication}
    assert post(client, URL, body).status_code == 201
    assert MessageJob.objects.get().secret is not None  # kept while the page is still to be fetched
    _run_worker()
    job = MessageJob.objects.get()
    assert (job.status, job.secret) == ("success" if with_file else "failed", None)
