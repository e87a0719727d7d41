import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from loket.core.errors import ConflictError
from loket.core.ledger import ledger_verify
from loket.core.models import AuditEvent
from loket.core.receipts import receipt_verify
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission
from loket.supervision.services import SubmissionInvalid, submission_create, submission_send, submission_update
from tests.supervision.conftest import BELASTINGREGLEMENT, BESLUITENLIJST, BUDGET, REGLEMENT, name_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_SIGNING_KEY_FILE = tmp_path / "key.pem"
    return settings.MEDIA_ROOT


def _complete_post(submission, *, body_uri: str, extra: dict | None = None) -> dict:  # type: ignore[no-untyped-def]
    data = {
        name_of(submission, "documentType"): submission.document_type.uri,
        name_of(submission, "governingBody"): body_uri,
        name_of(submission, "sessionDate"): "2026-10-14",
        name_of(submission, "links"): "https://publicatie.example.org/besluitenlijst-14-10.html",
    }
    data.update(extra or {})
    return data


@pytest.fixture
def concept(db, clerk, municipality, document_types, media):  # type: ignore[no-untyped-def]
    return submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)


def _council(municipality):  # type: ignore[no-untyped-def]
    return next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")


def test_incomplete_form_is_saved_and_every_error_reported(concept, clerk):  # type: ignore[no-untyped-def]
    outcome = submission_update(
        submission=concept,
        actor=clerk,
        data={
            name_of(concept, "documentType"): concept.document_type.uri,
            name_of(concept, "sessionDate"): "2026-13-45",
        },
    )
    assert outcome.valid is False
    assert outcome.errors == {
        "Bestuursorgaan": ["Kies het bestuursorgaan."],
        "Datum van de zitting": ["Geef een geldige datum (JJJJ-MM-DD)."],
        "Het besluit als bestand": ["Voeg het besluit toe als bestand of als link naar de publicatie."],
    }
    concept.refresh_from_db()
    assert '"2026-13-45"' in concept.source_ttl  # nothing lost, kept exactly as typed
    with pytest.raises(SubmissionInvalid):
        submission_send(submission=concept, actor=clerk)
    assert Submission.objects.get(pk=concept.pk).status == "concept"


def test_send_freezes_content_in_the_ledger_and_delivery_follows(concept, clerk, municipality, run_worker):  # type: ignore[no-untyped-def]
    outcome = submission_update(
        submission=concept, actor=clerk, data=_complete_post(concept, body_uri=_council(municipality).uri)
    )
    assert outcome.valid, outcome.errors
    sent = submission_send(submission=concept, actor=clerk)
    assert sent.status == "sent" and sent.sent_entry.kind == "sent"
    assert sent.sent_entry.content_hash == sent.content_hash and len(sent.content_hash) == 64
    assert "<http://data.europa.eu/eli/ontology#passed_by>" in sent.form_data_nt
    assert sent.session_date.isoformat() == "2026-10-14" and sent.governing_body.label == "Gemeenteraad"
    assert sent.is_public is True  # a Besluitenlijst of the council of a municipality
    with pytest.raises(ConflictError, match="al verstuurd"):
        submission_send(submission=sent, actor=clerk)
    run_worker()
    sent.refresh_from_db()
    assert sent.delivered_entry.kind == "delivered" and sent.delivered_entry.position == sent.sent_entry.position + 1
    assert ledger_verify().ok
    assert AuditEvent.objects.filter(action="submission.sent", organisation=municipality).count() == 1


def test_conditional_fields_follow_the_type(concept, clerk, municipality, document_types):  # type: ignore[no-untyped-def]
    regulation = submission_create(organisation=municipality, document_type=document_types[REGLEMENT], actor=clerk)
    outcome = submission_update(
        submission=regulation,
        actor=clerk,
        data=_complete_post(
            regulation,
            body_uri=_council(municipality).uri,
            extra={name_of(regulation, "regulationType"): BELASTINGREGLEMENT},
        ),
    )
    assert set(outcome.errors) == {"Type belasting", "Tarief (euro of opcentiemen)"}
    budget = submission_create(organisation=municipality, document_type=document_types[BUDGET], actor=clerk)
    outcome = submission_update(
        submission=budget,
        actor=clerk,
        data=_complete_post(
            budget, body_uri=_council(municipality).uri, extra={name_of(budget, "financialYear"): "26"}
        ),
    )
    assert outcome.errors == {"Boekjaar": ["Geef een jaartal van vier cijfers."]}


def test_future_session_is_a_warning_not_a_blocker(concept, clerk, municipality):  # type: ignore[no-untyped-def]
    data = _complete_post(concept, body_uri=_council(municipality).uri)
    data[name_of(concept, "sessionDate")] = "2099-01-01"
    outcome = submission_update(submission=concept, actor=clerk, data=data)
    assert outcome.valid and outcome.warnings == {
        "Datum van de zitting": ["Deze datum ligt in de toekomst. Klopt dat?"]
    }


def test_a_sent_row_cannot_be_changed_through_the_model(concept, clerk, municipality):  # type: ignore[no-untyped-def]
    from loket.core.models import AppendOnlyError

    submission_update(
        submission=concept, actor=clerk, data=_complete_post(concept, body_uri=_council(municipality).uri)
    )
    sent = submission_send(submission=concept, actor=clerk)
    sent.content_hash = "0" * 64
    with pytest.raises(AppendOnlyError):
        sent.save()
    with pytest.raises(AppendOnlyError):
        sent.delete()


def test_tampering_with_a_sent_row_is_found_by_ledger_verify(concept, clerk, municipality):  # type: ignore[no-untyped-def]
    submission_update(
        submission=concept, actor=clerk, data=_complete_post(concept, body_uri=_council(municipality).uri)
    )
    sent = submission_send(submission=concept, actor=clerk)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_ledgerentry SET content_hash = %s WHERE position = %s", ["f" * 64, sent.sent_entry.position]
        )
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger", "verify", stdout=out, stderr=out)
    assert exit_info.value.code == 1
    assert f"BROKEN at position {sent.sent_entry.position}" in out.getvalue()


# Through HTTP ---------------------------------------------------------------------------------------------------


def test_clerk_flow_over_http(client, clerk, municipality, document_types, media, run_worker):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    assert "Er zijn nog geen inzendingen" in client.get("/toezicht/").content.decode()
    response = client.post("/toezicht/nieuw/", {"document_type": "http://example.org/not-a-type"})
    assert response.status_code == 400 and "Kies een type dossier" in response.content.decode()
    response = client.post("/toezicht/nieuw/", {"document_type": BESLUITENLIJST})
    submission = Submission.objects.get()
    url = response["Location"]
    data = _complete_post(submission, body_uri=_council(municipality).uri)
    data.pop(name_of(submission, "links"))
    data["send"] = "1"
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Voeg het besluit toe als bestand of als link" in body and "niet verstuurd" in body
    upload = SimpleUploadedFile("besluitenlijst.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {**data, name_of(submission, "files") + "__upload": upload})
    assert response.status_code == 302 and response["Location"] == f"/toezicht/{submission.uuid}/versturen/"
    submission.refresh_from_db()
    assert submission.status == "concept"  # nothing is sent before the clerk confirms what will be sent
    confirm = client.get(response["Location"])
    assert "besluitenlijst.pdf" in confirm.content.decode()
    response = client.post(response["Location"], {"fingerprint": confirm.context["fingerprint"]})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "sent" and submission.files.get().original_name == "besluitenlijst.pdf"
    assert "Ontvangstbewijs" in client.get(url).content.decode()
    receipt = json.loads(client.get(f"/toezicht/{submission.uuid}/ontvangstbewijs.json").content)
    assert receipt["content_hash"] == submission.content_hash and receipt["delivered_at"] is None
    run_worker()
    receipt = json.loads(client.get(f"/toezicht/{submission.uuid}/ontvangstbewijs.json").content)
    assert receipt["delivered_at"] is not None and receipt_verify(receipt).ok
    pdf = client.get(f"/toezicht/{submission.uuid}/ontvangstbewijs.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    file = submission.files.get()
    download = client.get(f"/toezicht/{submission.uuid}/bestanden/{file.uuid}/")
    assert b"".join(download.streaming_content) == PDF


def test_wrong_file_type_is_refused_and_nothing_is_kept(client, clerk, concept, media):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(f"/toezicht/{concept.uuid}/", {name_of(concept, "files") + "__upload": upload})
    assert response.status_code == 400 and "geen PDF, ODT, DOCX of XML" in response.content.decode()
    assert not concept.files.exists()
    assert [path for path in media.rglob("*") if path.is_file()] == []


def test_another_organisations_submission_is_404(client, stranger, concept):  # type: ignore[no-untyped-def]
    client.force_login(stranger)
    assert client.get(f"/toezicht/{concept.uuid}/").status_code == 404
    assert client.post(f"/toezicht/{concept.uuid}/verwijderen/").status_code == 404
    assert Submission.objects.filter(pk=concept.pk).exists()


def test_delete_concept(client, clerk, concept):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    assert client.post(f"/toezicht/{concept.uuid}/verwijderen/").status_code == 302
    assert not Submission.objects.exists()
    assert AuditEvent.objects.filter(action="submission.deleted").count() == 1


def test_supervisor_inbox_filter_csv_and_handling(client, clerk, helpdesk, concept, municipality, run_worker):  # type: ignore[no-untyped-def]
    submission_update(
        submission=concept, actor=clerk, data=_complete_post(concept, body_uri=_council(municipality).uri)
    )
    sent = submission_send(submission=concept, actor=clerk)
    client.force_login(helpdesk)
    assert "Aalst" not in client.get("/toezichthouder/inzendingen/").content.decode()  # not yet delivered
    run_worker()
    page = client.get("/toezichthouder/inzendingen/", {"zoek": "0207451227", "behandeld": "no"}).content.decode()
    assert "Aalst" in page
    assert "Aalst" not in client.get("/toezichthouder/inzendingen/", {"provincie": "Limburg"}).content.decode()
    export = client.get("/toezichthouder/inzendingen/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == sent.uri and rows[1][1] == "Aalst" and rows[1][-1] == sent.content_hash
    response = client.post(f"/toezichthouder/inzendingen/{sent.uuid}/", {"note": "In orde"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.handled_note == "In orde" and sent.handled_by == helpdesk
    assert AuditEvent.objects.filter(action="submission.handled").count() == 1
    assert "Aalst" not in client.get("/toezichthouder/inzendingen/", {"behandeld": "no"}).content.decode()


def test_clerk_without_supervisor_role_cannot_see_the_inbox(client, clerk):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    assert client.get("/toezichthouder/inzendingen/").status_code == 403


def test_only_public_submissions_are_linked_data(client, clerk, concept, municipality, document_types):  # type: ignore[no-untyped-def]
    assert client.get(f"/submissions/{concept.uuid}").status_code == 404  # a concept is never public
    submission_update(
        submission=concept, actor=clerk, data=_complete_post(concept, body_uri=_council(municipality).uri)
    )
    sent = submission_send(submission=concept, actor=clerk)
    response = client.get(f"/submissions/{sent.uuid}", HTTP_ACCEPT="text/turtle")
    body = response.content.decode()
    assert response.status_code == 200 and "meb:Submission" in body and municipality.uri in body
    college = next(b for b in governing_bodies_of(municipality) if b.label.startswith("College"))
    other = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    submission_update(submission=other, actor=clerk, data=_complete_post(other, body_uri=college.uri))
    other = submission_send(submission=other, actor=clerk)
    assert other.is_public is False  # a Besluitenlijst of an executive organ is not published
    assert client.get(f"/submissions/{other.uuid}").status_code == 404


def test_worship_submissions_are_never_public(clerk, worship_board, document_types, media):  # type: ignore[no-untyped-def]
    from tests.conftest import grant

    grant(clerk, worship_board, ["toezicht"])
    submission = submission_create(
        organisation=worship_board, document_type=document_types[BESLUITENLIJST], actor=clerk
    )
    body = governing_bodies_of(worship_board)[0]
    submission_update(submission=submission, actor=clerk, data=_complete_post(submission, body_uri=body.uri))
    assert submission_send(submission=submission, actor=clerk).is_public is False


def test_publication_flag_change_is_audited(helpdesk, document_types):  # type: ignore[no-untyped-def]
    from loket.supervision.services import document_type_set_public

    budget = document_types[BUDGET]
    assert budget.is_public is False
    document_type_set_public(document_type=budget, is_public=True, actor=helpdesk)
    budget.refresh_from_db()
    assert budget.is_public is True
    assert AuditEvent.objects.get(action="document_type.publication_changed").details == {
        "document_type": BUDGET,
        "is_public": True,
    }


def test_list_is_paginated_by_keyset(client, clerk, municipality, document_types):  # type: ignore[no-untyped-def]
    for _ in range(30):
        submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    client.force_login(clerk)
    first = client.get("/toezicht/")
    assert first.context["page"].next_cursor and len(first.context["page"].items) == 25
    second = client.get("/toezicht/", {"na": first.context["page"].next_cursor})
    assert len(second.context["page"].items) == 5
    seen = {s.pk for s in first.context["page"].items} | {s.pk for s in second.context["page"].items}
    assert len(seen) == 30


def test_helpdesk_changes_the_publication_flag_in_the_back_office(client, helpdesk, document_types):  # type: ignore[no-untyped-def]
    budget = document_types[BUDGET]
    client.force_login(helpdesk)
    url = f"/helpdesk/supervision/documenttype/{budget.pk}/change/"
    response = client.post(url, {"is_public": "on", "is_selectable": "on"})
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.is_public is True
    event = AuditEvent.objects.get(action="document_type.publication_changed")
    assert event.actor == helpdesk and event.details == {"document_type": BUDGET, "is_public": True}


def test_sent_submissions_cannot_be_changed_in_the_back_office(client, helpdesk, concept):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = client.post(f"/helpdesk/supervision/submission/{concept.pk}/change/", {"status": "sent"})
    assert response.status_code == 403
    assert client.post(f"/helpdesk/supervision/submission/{concept.pk}/delete/", {"post": "yes"}).status_code == 403
    concept.refresh_from_db()
    assert concept.status == "concept"


def test_a_correction_is_a_new_submission_pointing_to_the_old_one(client, clerk, concept, municipality):  # type: ignore[no-untyped-def]
    submission_update(
        submission=concept, actor=clerk, data=_complete_post(concept, body_uri=_council(municipality).uri)
    )
    sent = submission_send(submission=concept, actor=clerk)
    client.force_login(clerk)
    response = client.post(f"/toezicht/{sent.uuid}/corrigeren/")
    correction = Submission.objects.exclude(pk=sent.pk).get()
    assert response["Location"] == f"/toezicht/{correction.uuid}/"
    assert correction.replaces == sent and correction.status == "concept"
    assert correction.governing_body == sent.governing_body and correction.session_date == sent.session_date
    sent_again = Submission.objects.get(pk=sent.pk)
    assert (sent_again.content_hash, sent_again.form_data_nt) == (sent.content_hash, sent.form_data_nt)
    corrected = submission_send(submission=correction, actor=clerk)
    assert corrected.sent_entry.payload["replaces"] == sent.uri


def test_a_refused_file_keeps_the_other_values(client, clerk, concept, municipality, media):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    data = _complete_post(concept, body_uri=_council(municipality).uri)
    data[name_of(concept, "description")] = "Zitting van oktober"
    data[name_of(concept, "files") + "__upload"] = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", "application/pdf")
    response = client.post(f"/toezicht/{concept.uuid}/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "setup.exe: Dit bestand is geen PDF, ODT, DOCX of XML." in body
    concept.refresh_from_db()
    assert '"Zitting van oktober"' in concept.source_ttl and concept.session_date.isoformat() == "2026-10-14"
    assert not concept.files.exists()


def test_a_file_and_a_link_are_kept_together(client, clerk, concept, municipality, media):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    data = _complete_post(concept, body_uri=_council(municipality).uri)
    data[name_of(concept, "files") + "__upload"] = SimpleUploadedFile("besluit.pdf", PDF, "application/pdf")
    assert client.post(f"/toezicht/{concept.uuid}/", data).status_code == 200
    page = client.get(f"/toezicht/{concept.uuid}/").content.decode()
    assert "Bestand besluit.pdf behouden" in page and "https://publicatie.example.org/besluitenlijst-14-10.html" in page
    sent = submission_send(submission=Submission.objects.get(pk=concept.pk), actor=clerk)
    assert sent.form_data_nt.count("<http://purl.org/dc/terms/hasPart>") == 2


def test_worship_decisions_reach_the_supervisors_the_law_gives_them(  # type: ignore[no-untyped-def]
    client, clerk, worship_board, diocese, municipality, other_municipality, document_types, run_worker
):
    from tests.conftest import grant, make_user

    worship_board.supervised_by.add(municipality, diocese)
    grant(clerk, worship_board, ["toezicht"])
    submission = submission_create(
        organisation=worship_board, document_type=document_types[BESLUITENLIJST], actor=clerk
    )
    submission_update(
        submission=submission,
        actor=clerk,
        data=_complete_post(submission, body_uri=governing_bodies_of(worship_board)[0].uri),
    )
    sent = submission_send(submission=submission, actor=clerk)
    run_worker()
    municipal_supervisor = make_user("mona-municipal")
    grant(municipal_supervisor, municipality, ["toezichthouder"])
    client.force_login(municipal_supervisor)
    assert client.get(f"/toezichthouder/inzendingen/{sent.uuid}/").status_code == 200
    other_supervisor = make_user("otto-other")
    grant(other_supervisor, other_municipality, ["toezichthouder"])
    client.force_login(other_supervisor)
    assert client.get(f"/toezichthouder/inzendingen/{sent.uuid}/").status_code == 404
    assert "St.-Margarita" not in client.get("/toezichthouder/inzendingen/").content.decode()
