"""The Berichtencentrum through HTTP, as clerks and agency staff meet it."""

import pytest
from django.urls import reverse

from loket.accounts.roles import Role
from loket.core.ledger_models import LedgerEntry
from loket.core.quota import Uploader
from loket.messaging.models import Attachment, Circular, Conversation, Message, ReadMark, StoredBlob
from loket.messaging.services import ConversationDraft, attachments_store, conversation_start, message_reply
from tests.conftest import grant, make_user
from tests.messaging.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


def _start(staff, organisation, number, subject, kind="Opvraging"):  # type: ignore[no-untyped-def]
    return conversation_start(
        actor=staff,
        organisation=organisation,
        draft=ConversationDraft(dossier_number=number, subject=subject, kind=kind),
        blobs=attachments_store([pdf()], uploader=Uploader(organisation, staff)),
    )


def test_the_clerk_sees_only_the_own_bodys_conversations(
    client, conversation, message_clerk, agency_staff, other_municipality
):
    _start(agency_staff, other_municipality, "ANDER.1", "Niet voor Aalst")
    client.force_login(message_clerk)
    body = client.get(reverse("messaging:list")).content.decode()
    assert "Klacht over de raadszitting" in body and "Niet voor Aalst" not in body
    assert "ongelezen" in body


def test_filters_search_and_sorting(client, message_clerk, agency_staff, municipality):
    _start(agency_staff, municipality, "A.1", "Budgetwijziging 2026", kind="Kennisgeving toezichtsbeslissing")
    _start(agency_staff, municipality, "B.2", "Aanvullende vraag", kind="Opvraging")
    client.force_login(message_clerk)
    url = reverse("messaging:list")
    assert "Aanvullende vraag" not in client.get(url, {"type": "Kennisgeving toezichtsbeslissing"}).content.decode()
    assert "Budgetwijziging" in client.get(url, {"zoek": "budget"}).content.decode()
    assert "Aanvullende vraag" in client.get(url, {"zoek": "b.2"}).content.decode()
    assert "Budgetwijziging" not in client.get(url, {"zoek": "b.2"}).content.decode()
    by_subject = client.get(url, {"sorteer": "betreft"}).content.decode()
    assert by_subject.index("Aanvullende vraag") < by_subject.index("Budgetwijziging")
    reverse_subject = client.get(url, {"sorteer": "-betreft"}).content.decode()
    assert reverse_subject.index("Budgetwijziging") < reverse_subject.index("Aanvullende vraag")


def test_overdue_and_awaiting_filters(uploader, client, message_clerk, conversation, agency_staff, municipality):
    from datetime import timedelta

    from django.utils import timezone

    Conversation.objects.filter(pk=conversation.pk).update(due_at=timezone.now() - timedelta(days=1))
    answered = _start(agency_staff, municipality, "C.3", "Al beantwoord")
    message_reply(
        actor=message_clerk, conversation=answered, text="", blobs=attachments_store([pdf()], uploader=uploader)
    )
    client.force_login(message_clerk)
    url = reverse("messaging:list")
    overdue = client.get(url, {"verlopen": "1"}).content.decode()
    assert "Klacht over de raadszitting" in overdue and "Al beantwoord" not in overdue
    assert "verstreken" in overdue
    awaiting = client.get(url, {"wacht": "1"}).content.decode()
    assert "Klacht over de raadszitting" in awaiting and "Al beantwoord" not in awaiting


def test_opening_marks_read_per_user(client, message_clerk, conversation):
    client.force_login(message_clerk)
    response = client.get(reverse("messaging:detail", args=[conversation.uuid]))
    assert response.status_code == 200
    assert ReadMark.objects.filter(user=message_clerk, conversation=conversation).count() == 1
    assert "Klacht" not in client.get(reverse("messaging:list"), {"ongelezen": "1"}).content.decode()


def test_a_side_never_sees_its_own_last_message_as_unread(  # type: ignore[no-untyped-def]
    uploader, client, agency_staff, message_clerk, conversation, municipality
):
    tag = '<span class="tag">ongelezen</span>'
    colleague = make_user("carl-collega")
    grant(colleague, municipality, [Role.BERICHTEN])
    client.force_login(agency_staff)
    agency_list = reverse("messaging:agency-list")
    assert "Klacht over de raadszitting" in (page := client.get(agency_list).content.decode()) and tag not in page
    assert "Klacht" not in client.get(agency_list, {"ongelezen": "1"}).content.decode()
    message_reply(
        actor=message_clerk,
        conversation=conversation,
        text="",
        blobs=attachments_store([pdf("antwoord.pdf", PDF_BYTES + b"u")], uploader=uploader),
    )
    assert tag in client.get(agency_list).content.decode()  # the body's reply is news for the agency
    assert client.get(reverse("messaging:agency-detail", args=[conversation.uuid])).status_code == 200
    assert tag not in client.get(agency_list).content.decode()
    client.force_login(colleague)  # the body's own reply is no news for the body
    assert tag not in client.get(reverse("messaging:list")).content.decode()


def test_reply_through_the_page(client, message_clerk, conversation):
    client.force_login(message_clerk)
    url = reverse("messaging:detail", args=[conversation.uuid])
    response = client.post(url, {"text": "Zie bijlage", "files": [pdf("antwoord.pdf", PDF_BYTES + b"p")]})
    assert response.status_code == 302
    reply = Message.objects.get(from_agency=False)
    assert (reply.author, reply.text, reply.sender) == (message_clerk, "Zie bijlage", conversation.organisation)
    body = client.get(url).content.decode()
    assert "antwoord.pdf" in body and "Ontvangstbewijs" in body
    receipt = client.get(reverse("messaging:receipt", args=[conversation.uuid, reply.uuid, "json"]))
    assert receipt.status_code == 200 and receipt.json()["subject_uri"] == reply.uri


def test_message_types_are_shown_in_the_language_of_the_page(uploader, client, message_clerk, conversation):
    message_reply(
        actor=message_clerk,
        conversation=conversation,
        text="",
        blobs=attachments_store([pdf("antwoord.pdf", PDF_BYTES + b"t")], uploader=uploader),
    )
    client.force_login(message_clerk)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    detail = client.get(reverse("messaging:detail", args=[conversation.uuid])).content.decode()
    assert "<h1>Request</h1>" in detail
    assert "Type: Request ·" in detail and "Type: Reply ·" in detail
    listing = client.get(reverse("messaging:list")).content.decode()
    assert ">Request</td>" in listing and ">Opvraging<" not in listing
    assert '<option value="Opvraging">Request</option>' in listing


def test_a_reply_without_file_is_a_clear_400_and_nothing_is_sent(client, message_clerk, conversation):
    client.force_login(message_clerk)
    entries = LedgerEntry.objects.count()
    response = client.post(reverse("messaging:detail", args=[conversation.uuid]), {"text": "Alleen tekst"})
    assert response.status_code == 400
    assert "Voeg minstens één bijlage toe" in response.content.decode()
    assert (Message.objects.count(), LedgerEntry.objects.count()) == (1, entries)


def test_a_reply_with_a_forbidden_file_is_refused(client, message_clerk, conversation):
    client.force_login(message_clerk)
    response = client.post(
        reverse("messaging:detail", args=[conversation.uuid]), {"files": [pdf("virus.exe", b"MZ" + b"\0" * 2000)]}
    )
    assert response.status_code == 400 and "geen" in response.content.decode()
    assert Message.objects.count() == 1


def test_another_bodys_conversation_is_404_and_unchanged(client, other_clerk, conversation):
    client.force_login(other_clerk)
    url = reverse("messaging:detail", args=[conversation.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, {"files": [pdf()]}).status_code == 404
    first = conversation.messages.get().attachments.get()
    assert client.get(reverse("messaging:file", args=[conversation.uuid, first.uuid])).status_code == 404
    assert Message.objects.count() == 1 and not ReadMark.objects.exists()


def test_download_of_an_attachment(client, message_clerk, conversation):
    client.force_login(message_clerk)
    attachment = conversation.messages.get().attachments.get()
    response = client.get(reverse("messaging:file", args=[conversation.uuid, attachment.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert 'attachment; filename="brief.pdf"' in response["Content-Disposition"]


def test_agency_starts_a_conversation_with_one_body(client, agency_staff, municipality):
    client.force_login(agency_staff)
    response = client.post(
        reverse("messaging:agency-new"),
        {
            "besturen": "0207.451.227",
            "dossiernummer": "KB2026/7",
            "betreft": "Besluit schorsing",
            "type": "Kennisgeving toezichtsbeslissing",
            "termijn": "P30D",
            "files": [pdf()],
        },
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{conversation.uuid}/")
    assert conversation.organisation == municipality


def _circular_with_term(client, term: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("messaging:agency-new"),
        {
            "besturen": "0207.451.227",
            "dossiernummer": f"T-{term}",
            "betreft": "B",
            "type": "Opvraging",
            "termijn": term,
            "files": [pdf()],
        },
    )


def test_the_reaction_term_is_typed_in_days_and_stored_as_a_duration(client, agency_staff, municipality):
    client.force_login(agency_staff)
    form = client.get(reverse("messaging:agency-new")).content.decode()
    assert '<label for="n-termijn">Reactietermijn (dagen)</label>' in form and 'name="termijn" value="30"' in form
    assert _circular_with_term(client, " 45 ").status_code == 302
    assert _circular_with_term(client, "p2w").status_code == 302
    started = Conversation.objects.order_by("pk")
    assert [c.reaction_term for c in started] == ["P45D", "P2W"]
    assert [(c.due_at - c.started_at).days for c in started] == [45, 14]
    for nonsense in ("dertig", "0", "-3", "30.5", "P30X"):
        refused = _circular_with_term(client, nonsense)
        page = refused.content.decode()
        assert refused.status_code == 400 and "Geef de reactietermijn als een aantal dagen, bv. 30." in page, nonsense
        assert f'value="{nonsense}"' in page and 'aria-invalid="true"' in page
    assert Conversation.objects.count() == 2
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert (
        '<label for="n-termijn">Reaction term (days)</label>'
        in client.get(reverse("messaging:agency-new")).content.decode()
    )
    assert "Give the reaction term as a number of days, e.g. 30." in _circular_with_term(client, "x").content.decode()


def test_agency_starts_a_circular_to_all_municipalities(
    client, agency_staff, municipality, other_municipality, run_worker
):
    client.force_login(agency_staff)
    response = client.post(
        reverse("messaging:agency-new"),
        {
            "soort": municipality.kind.uri,
            "dossiernummer": "OMZ/2026/3",
            "betreft": "Omzendbrief verkiezingen",
            "type": "Omzendbrief",
            "termijn": "P30D",
            "files": [pdf()],
        },
    )
    circular = Circular.objects.get()
    assert response.status_code == 302 and str(circular.uuid) in response["Location"]
    assert client.get(reverse("messaging:circular", args=[circular.uuid]), {"format": "json"}).json()["done"] == 0
    run_worker()
    progress = client.get(reverse("messaging:circular", args=[circular.uuid]), {"format": "json"}).json()
    assert (progress["done"], progress["total"], progress["percent"]) == (2, 2, 100)
    assert (
        set(Conversation.objects.values_list("organisation__name", flat=True)) == {"Aalst", "Gent"}
        or Conversation.objects.count() == 2
    )


def test_agency_new_with_an_unknown_body_changes_nothing(client, agency_staff, municipality):
    client.force_login(agency_staff)
    response = client.post(
        reverse("messaging:agency-new"),
        {
            "besturen": "0207451227\n0999999999",
            "dossiernummer": "X",
            "betreft": "Y",
            "type": "Opvraging",
            "files": [pdf()],
        },
    )
    assert response.status_code == 400 and "0999999999" in response.content.decode()
    assert Conversation.objects.count() == 0 and Circular.objects.count() == 0


def _stored_files() -> set[str]:
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_a_refused_new_conversation_or_circular_keeps_no_new_file(  # type: ignore[no-untyped-def]
    client, agency_staff, municipality, other_municipality, run_worker
):
    """Like a refused reply: the files of a post that started nothing go again, but never the bytes a queued
    circular is about to send (kept once, named by id until the worker makes its messages)."""
    client.force_login(agency_staff)
    queued = {
        "soort": municipality.kind.uri,
        "dossiernummer": "OMZ/2026/4",
        "betreft": "Omzendbrief",
        "type": "Omzendbrief",
    }
    assert (
        client.post(reverse("messaging:agency-new"), {**queued, "files": [pdf("omzendbrief.pdf")]}).status_code == 302
    )
    blobs, files = set(StoredBlob.objects.values_list("pk", flat=True)), _stored_files()
    for recipients in ({"besturen": "0207.451.227"}, {"soort": municipality.kind.uri}):
        response = client.post(
            reverse("messaging:agency-new"),
            {
                **recipients,
                "dossiernummer": "KB2026/8",
                "betreft": "",  # refused after the files were kept
                "type": "Opvraging",
                "files": [pdf("nieuw.pdf", PDF_BYTES + b"nieuw"), pdf("zelfde.pdf")],  # the circular's bytes
            },
        )
        assert response.status_code == 400, recipients
        assert set(StoredBlob.objects.values_list("pk", flat=True)) == blobs and _stored_files() == files
    assert Conversation.objects.count() == 0 and Circular.objects.count() == 1
    run_worker()
    assert Circular.objects.get().status == Circular.Status.DONE
    assert set(Attachment.objects.values_list("blob_id", flat=True)) == blobs and Attachment.objects.count() == 2


def test_a_clerk_cannot_use_agency_pages(client, message_clerk, conversation):
    client.force_login(message_clerk)
    assert client.get(reverse("messaging:agency-list")).status_code == 403
    assert client.get(reverse("messaging:agency-detail", args=[conversation.uuid])).status_code == 403


def test_agency_sees_the_reply_and_its_receipt(uploader, client, agency_staff, message_clerk, conversation):
    reply = message_reply(
        actor=message_clerk,
        conversation=conversation,
        text="",
        blobs=attachments_store([pdf("antwoord.pdf", PDF_BYTES + b"q")], uploader=uploader),
    )
    client.force_login(agency_staff)
    body = client.get(reverse("messaging:agency-detail", args=[conversation.uuid])).content.decode()
    assert "antwoord.pdf" in body and "Aalst" in body
    pdf_receipt = client.get(reverse("messaging:agency-receipt", args=[conversation.uuid, reply.uuid, "pdf"]))
    assert pdf_receipt.status_code == 200 and pdf_receipt["Content-Type"] == "application/pdf"


def test_linked_data_only_for_the_body_and_the_agency(client, conversation, message_clerk, other_clerk, agency_staff):
    url = reverse("messaging:conversation-resource", args=[conversation.uuid])
    assert client.get(url).status_code == 302
    client.force_login(other_clerk)
    assert client.get(url, {"format": "turtle"}).status_code == 404
    client.force_login(message_clerk)
    turtle = client.get(url, {"format": "turtle"}).content.decode()
    assert "schema:Conversation" in turtle and "KLACHT2026.000123" in turtle
    client.force_login(agency_staff)
    assert client.get(url, {"format": "ntriples"}).status_code == 200


def test_notification_settings_page(client, message_clerk, municipality):
    client.force_login(message_clerk)
    url = reverse("messaging:settings")
    bad = client.post(url, {"is_enabled": "on", "addresses": "a@aalst.be, fout@"})
    assert bad.status_code == 400 and "fout@" in bad.content.decode()
    assert client.post(url, {"is_enabled": "on", "addresses": "a@aalst.be, b@aalst.be"}).status_code == 302
    from loket.messaging.models import NotificationSetting

    assert NotificationSetting.objects.get(organisation=municipality).addresses == ["a@aalst.be", "b@aalst.be"]


def test_list_and_detail_queries_do_not_grow_with_the_data(
    client, message_clerk, conversation, agency_staff, municipality, uploader
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(message_clerk)
    detail = reverse("messaging:detail", args=[conversation.uuid])

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    counted(reverse("messaging:list")), counted(detail)  # the first requests also set up the session
    list_before, detail_before = counted(reverse("messaging:list")), counted(detail)
    for n in range(3):
        _start(agency_staff, municipality, f"N.{n}", f"Nog een {n}")
        message_reply(
            actor=message_clerk,
            conversation=conversation,
            text="",
            blobs=attachments_store([pdf(f"r{n}.pdf", PDF_BYTES + str(n).encode())], uploader=uploader),
        )
    assert counted(reverse("messaging:list")) == list_before
    assert counted(detail) == detail_before


def test_a_form_with_nul_is_the_400_page_and_nothing_is_stored(client, message_clerk, conversation):
    """A form's text reached the database by `request.POST.get` in some views (a message's text, a reason, a note):
    a 500 on PostgreSQL. Now the 400 page, and nothing is sent."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(message_clerk)
    url = reverse("messaging:detail", args=[conversation.uuid])
    before = Message.objects.count()
    upload = SimpleUploadedFile("antwoord.pdf", PDF_BYTES + b"n", content_type="application/pdf")
    response = client.post(url, {"text": "Zie\x00bijlage", "files": [upload]})
    assert response.status_code == 400
    assert "Het formulier bevat een ongeldig, onzichtbaar teken (NUL)" in response.content.decode()
    assert Message.objects.count() == before
    upload = SimpleUploadedFile("antwoord.pdf", PDF_BYTES + b"n", content_type="application/pdf")
    assert client.post(url, {"text": "Zie bijlage", "files": [upload]}).status_code == 302
    assert Message.objects.count() == before + 1
