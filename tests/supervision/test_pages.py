"""What clerks and supervisors read: labelled form data (raw N-Triples only as a download), the confirmation
before sending, the remark that is never published, corrections on both sides, "behandeld" with who and when
(undoable, audited), and the CSV export as Belgian Excel opens it."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.accounts.roles import Role
from loket.core.models import AuditEvent
from loket.supervision.models import Submission
from loket.supervision.services import submission_correct, submission_create, submission_send, submission_update
from tests.conftest import grant, make_user
from tests.supervision.conftest import BESLUITENLIJST, name_of
from tests.supervision.test_toezicht import PDF, _complete_post, _council

REMARK = "Vertrouwelijk: de burgemeester vraagt een snelle behandeling"


@pytest.fixture
def concept(db, clerk, municipality, document_types):  # type: ignore[no-untyped-def]
    return submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)


def _send(submission, clerk, municipality, extra: dict | None = None) -> Submission:  # type: ignore[no-untyped-def]
    data = _complete_post(submission, body_uri=_council(municipality).uri)
    data[name_of(submission, "comment")] = REMARK
    data.update(extra or {})
    outcome = submission_update(submission=submission, actor=clerk, data=data)
    assert outcome.valid, outcome.errors
    return submission_send(submission=submission, actor=clerk)


def test_a_remark_for_the_supervisor_is_sent_but_never_published(client, clerk, concept, municipality):  # type: ignore[no-untyped-def]
    sent = _send(concept, clerk, municipality)
    assert sent.is_public and REMARK in sent.form_data_nt  # the supervisor receives it
    for accept in ("text/turtle", "application/ld+json", "application/n-triples", "text/html"):
        response = client.get(f"/submissions/{sent.uuid}", HTTP_ACCEPT=accept)
        body = response.content.decode()
        assert response.status_code == 200, accept
        assert "Vertrouwelijk" not in body and "rdf-schema#comment" not in body and "rdfs:comment" not in body
        assert "passed_by" in body or "eli:passed_by" in body or accept == "text/html"
    graph = json.loads(client.get(f"/submissions/{sent.uuid}", HTTP_ACCEPT="application/ld+json").content)
    assert "Vertrouwelijk" not in json.dumps(graph)
    # The form data's own URI dereferences without it too.
    for accept in ("text/turtle", "application/ld+json"):
        response = client.get(f"/form-data/{sent.uuid}", HTTP_ACCEPT=accept)
        assert response.status_code == 200 and "Vertrouwelijk" not in response.content.decode()
        assert "sessionStartedAtTime" in response.content.decode()


def test_detail_pages_show_labelled_fields_and_offer_the_n_triples_as_a_download(  # type: ignore[no-untyped-def]
    client, clerk, helpdesk, concept, municipality, run_worker
):
    sent = _send(concept, clerk, municipality)
    run_worker()
    client.force_login(clerk)
    page = client.get(f"/toezicht/{sent.uuid}/").content.decode()
    assert "<dt>Bestuursorgaan <span" in page and '<dd><span class="value">Gemeenteraad</span></dd>' in page
    assert '<span class="value">14 oktober 2026</span>' in page
    assert f'<span class="value">{REMARK}</span>' in page
    assert 'Opmerking voor de toezichthouder <span class="tag private">niet publiek</span>' in page
    assert 'Datum van de zitting <span class="tag public">wordt publiek</span>' in page
    assert "<http://data.europa.eu/eli/ontology#passed_by>" not in page  # no raw N-Triples on the page
    download = client.get(f"/toezicht/{sent.uuid}/formuliergegevens.nt")
    assert download["Content-Type"] == "application/n-triples; charset=utf-8"
    assert download.content.decode() == sent.form_data_nt
    client.force_login(helpdesk)
    page = client.get(f"/toezichthouder/inzendingen/{sent.uuid}/").content.decode()
    assert f'<span class="value">{REMARK}</span>' in page and '<dd><span class="value">Gemeenteraad' in page
    assert client.get(f"/toezichthouder/inzendingen/{sent.uuid}/formuliergegevens.nt").content.decode() == (
        sent.form_data_nt
    )


def test_confirmation_shows_what_will_be_sent_and_what_becomes_public(client, clerk, concept, municipality):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    data = _complete_post(concept, body_uri=_council(municipality).uri)
    data[name_of(concept, "comment")] = REMARK
    data[name_of(concept, "files") + "__upload"] = SimpleUploadedFile("besluit.pdf", PDF, "application/pdf")
    response = client.post(f"/toezicht/{concept.uuid}/", {**data, "send": "1"})
    assert response.status_code == 302 and response["Location"] == f"/toezicht/{concept.uuid}/versturen/"
    page = client.get(response["Location"])
    body = page.content.decode()
    assert f"<li>besluit.pdf ({len(PDF)}\xa0bytes)</li>" in body
    assert "https://publicatie.example.org/besluitenlijst-14-10.html" in body
    assert "Niet publiek (alleen voor de toezichthouder): Opmerking voor de toezichthouder." in body
    assert "Deze inzending wordt na het versturen gepubliceerd als open data" in body
    fingerprint = page.context["fingerprint"]
    # The concept changes in another tab: the confirmation no longer describes it, nothing is sent.
    data[name_of(concept, "description")] = "Nog iets"
    data.pop(name_of(concept, "files") + "__upload")
    data[name_of(concept, "files")] = [f.uri for f in concept.files.all()]
    assert client.post(f"/toezicht/{concept.uuid}/", data).status_code == 200
    response = client.post(f"/toezicht/{concept.uuid}/versturen/", {"fingerprint": fingerprint})
    assert response.status_code == 409 and "gewijzigd sinds u dit overzicht opende" in response.content.decode()
    assert Submission.objects.get(pk=concept.pk).status == "concept"
    response = client.post(f"/toezicht/{concept.uuid}/versturen/", {"fingerprint": response.context["fingerprint"]})
    assert response.status_code == 302 and Submission.objects.get(pk=concept.pk).status == "sent"


def test_the_confirmation_and_detail_pages_read_the_files_and_the_form_context_once(  # type: ignore[no-untyped-def]
    client, clerk, concept, municipality, django_assert_num_queries
):
    """The confirmation page validates and summarises with one context and reads the files once (they were read
    four times: the verdict's context, the summary's context, its file list and the fingerprint); the detail page
    reads them once for the list, the summary and the integrity check."""
    client.force_login(clerk)
    client.get("/toezicht/")  # the first request stores the organisation in the session
    data = _complete_post(concept, body_uri=_council(municipality).uri)
    data[name_of(concept, "files") + "__upload"] = SimpleUploadedFile("besluit.pdf", PDF, "application/pdf")
    assert client.post(f"/toezicht/{concept.uuid}/", {**data, "send": "1"}).status_code == 302
    # session, user, memberships with their roles; the submission; the files; the body's governing bodies
    with django_assert_num_queries(6):
        page = client.get(f"/toezicht/{concept.uuid}/versturen/")
    assert f"<li>besluit.pdf ({len(PDF)}\xa0bytes)</li>" in page.content.decode()
    response = client.post(f"/toezicht/{concept.uuid}/versturen/", {"fingerprint": page.context["fingerprint"]})
    assert response.status_code == 302 and Submission.objects.get(pk=concept.pk).status == "sent"
    # session, user, memberships with their roles; the submission; the files; the governing bodies; a correction
    # (sent, else a concept); the ledger entry and its timestamp (integrity check)
    with django_assert_num_queries(9):
        page = client.get(f"/toezicht/{concept.uuid}/")
    assert "besluit.pdf" in page.content.decode() and not page.context["integrity_problems"]


def test_saving_shows_the_stored_data_it_validated_without_reading_it_again(  # type: ignore[no-untyped-def]
    client, clerk, concept, municipality, django_assert_num_queries
):
    """The save validates what it stored, read back; the page after the save shows that same form data (it was
    read and parsed once more, with the body's governing bodies and the files queried again; the concept is locked
    with its organisation's kind and its governing body, which the save then needs not look up again). The stored
    text is parsed once (the check that it reads back is the read-back), the files are read once after the last
    change of them (for the read-back's file names and the page's list) and once before (the uploads to drop are
    the ones read then and the ones the post added), and the caller's submission becomes the row the save locked and
    wrote (no refresh, so its document type is not read again either): 19 → 15."""
    client.force_login(clerk)
    client.get("/toezicht/")  # the first request stores the organisation in the session
    data = _complete_post(concept, body_uri=_council(municipality).uri)
    data[name_of(concept, "comment")] = REMARK
    # session, user, memberships; the submission; SAVEPOINT, the lock, the governing bodies, the files (also for the
    # uploads the data no longer names), the chosen body, the stored status, UPDATE, the files and the governing
    # bodies of the read-back, RELEASE; the scan notices. A concept writes no feed entry.
    with django_assert_num_queries(15):
        page = client.post(f"/toezicht/{concept.uuid}/", data)
    assert page.status_code == 200 and "Bewaard als concept." in page.content.decode()
    assert REMARK in page.content.decode() and "2026-10-14" in page.content.decode()


def test_a_save_drops_the_upload_its_data_no_longer_names_and_keeps_the_one_it_adds(  # type: ignore[no-untyped-def]
    client, clerk, concept, municipality
):
    """The uploads a save deletes are the ones it read under the lock and the post did not keep (they are no longer
    queried again after the post's changes)."""
    client.force_login(clerk)
    client.get("/toezicht/")  # the first request stores the organisation in the session
    data = _complete_post(concept, body_uri=_council(municipality).uri)
    upload = name_of(concept, "files") + "__upload"
    first = {**data, upload: SimpleUploadedFile("eerste.pdf", PDF, "application/pdf")}
    assert client.post(f"/toezicht/{concept.uuid}/", first).status_code == 200
    assert list(concept.files.values_list("original_name", flat=True)) == ["eerste.pdf"]
    second = {**data, upload: SimpleUploadedFile("tweede.pdf", PDF, "application/pdf")}  # "eerste.pdf" not kept
    page = client.post(f"/toezicht/{concept.uuid}/", second).content.decode()
    assert list(concept.files.values_list("original_name", flat=True)) == ["tweede.pdf"]
    assert "tweede.pdf" in page and "eerste.pdf" not in page


def test_a_worship_boards_confirmation_says_nothing_becomes_public(client, clerk, worship_board, document_types):  # type: ignore[no-untyped-def]
    from loket.supervision.governing_bodies import governing_bodies_of
    from tests.conftest import grant

    grant(clerk, worship_board, ["toezicht"])
    submission = submission_create(
        organisation=worship_board, document_type=document_types[BESLUITENLIJST], actor=clerk
    )
    submission_update(
        submission=submission,
        actor=clerk,
        data=_complete_post(submission, body_uri=governing_bodies_of(worship_board)[0].uri),
    )
    client.force_login(clerk)
    client.post("/bestuur-wisselen/", {"organisation": worship_board.pk})
    response = client.get(f"/toezicht/{submission.uuid}/versturen/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Niets van deze inzending wordt publiek" in body and "wordt publiek</span>" not in body


def test_a_correction_is_shown_on_both_sides_and_made_once(client, clerk, helpdesk, concept, municipality, run_worker):  # type: ignore[no-untyped-def]
    original = _send(concept, clerk, municipality)
    correction = submission_correct(submission=original, actor=clerk)
    client.force_login(clerk)
    page = client.get(f"/toezicht/{original.uuid}/").content.decode()
    assert "Een correctie van deze inzending is in opmaak" in page and "Correctie indienen" not in page
    response = client.post(f"/toezicht/{original.uuid}/corrigeren/")
    assert response.status_code == 302 and Submission.objects.filter(replaces=original).count() == 1
    corrected = _send(Submission.objects.get(pk=correction.pk), clerk, municipality)
    run_worker()
    page = client.get(f"/toezicht/{original.uuid}/").content.decode()
    assert "<strong>Vervangen door</strong>" in page and f'href="/toezicht/{corrected.uuid}/"' in page
    assert "Correctie indienen" not in page
    rows = client.get("/toezicht/").content.decode()
    assert f'vervangen door <a href="/toezicht/{corrected.uuid}/">' in rows
    assert f'correctie: vervangt <a href="/toezicht/{original.uuid}/">' in rows
    client.force_login(helpdesk)
    inbox = client.get("/toezichthouder/inzendingen/").content.decode()
    assert f'vervangen door <a href="/toezichthouder/inzendingen/{corrected.uuid}/">' in inbox
    assert f'correctie: vervangt <a href="/toezichthouder/inzendingen/{original.uuid}/">' in inbox
    detail = client.get(f"/toezichthouder/inzendingen/{original.uuid}/").content.decode()
    assert "<strong>Vervangen door</strong>" in detail


def test_handled_says_by_whom_and_when_and_can_be_undone(client, clerk, helpdesk, concept, municipality, run_worker):  # type: ignore[no-untyped-def]
    sent = _send(concept, clerk, municipality)
    run_worker()
    client.force_login(helpdesk)
    url = f"/toezichthouder/inzendingen/{sent.uuid}/"
    assert client.post(url, {"note": ""}).status_code == 302
    sent.refresh_from_db()
    page = client.get(url).content.decode()
    when = sent.handled_at.astimezone().strftime("%-d")
    assert "Behandeld door Hilde Helpdesk op " + when in page
    assert "Notitie:" not in page and " — </dd>" not in page  # no note, no dangling dash
    row = client.get("/toezichthouder/inzendingen/").content.decode()
    assert '<td data-label="Behandeld">ja<br><span class="help">' in row and ", Hilde Helpdesk</span></td>" in row
    stale = client.post(url, {"action": "undo", "handled_at": "2020-01-01T00:00:00+00:00"})
    assert stale.status_code == 302 and Submission.objects.get(pk=sent.pk).handled_at is not None
    response = client.post(url, {"action": "undo", "handled_at": sent.handled_at.isoformat()})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.handled_at is None and sent.handled_by is None
    undone = AuditEvent.objects.get(action="submission.handled_undone")
    assert undone.actor == helpdesk and undone.details["handled_by"] == "Hilde Helpdesk"
    assert "Nog niet behandeld." in client.get(url).content.decode()


def test_a_double_click_on_handled_answers_like_the_first_and_a_colleagues_click_is_a_conflict(  # type: ignore[no-untyped-def]
    client, clerk, helpdesk, agency, concept, municipality, run_worker
):
    sent = _send(concept, clerk, municipality)
    run_worker()
    client.force_login(helpdesk)
    url = f"/toezichthouder/inzendingen/{sent.uuid}/"
    for _click in range(2):
        page = client.post(url, {"note": " Goedgekeurd "}, follow=True).content.decode()
        assert "Gemarkeerd als behandeld." in page and "al als behandeld gemarkeerd" not in page
    handled = Submission.objects.get(pk=sent.pk)
    assert (handled.handled_by, handled.handled_note) == (helpdesk, "Goedgekeurd")
    assert AuditEvent.objects.filter(action="submission.handled").count() == 1
    colleague = make_user("tom-toezicht")
    grant(colleague, agency, [Role.SUPERVISOR])
    client.force_login(colleague)
    page = client.post(url, {"note": "Goedgekeurd"}, follow=True).content.decode()
    assert "Deze inzending is al als behandeld gemarkeerd." in page
    client.force_login(helpdesk)
    page = client.post(url, {"note": "Een andere notitie"}, follow=True).content.decode()
    assert "Deze inzending is al als behandeld gemarkeerd." in page
    assert Submission.objects.get(pk=sent.pk).handled_at == handled.handled_at
    assert AuditEvent.objects.filter(action="submission.handled").count() == 1


def test_inbox_csv_opens_in_belgian_excel(client, clerk, helpdesk, concept, municipality, run_worker):  # type: ignore[no-untyped-def]
    original = _send(concept, clerk, municipality, extra={name_of(concept, "comment"): '=HYPERLINK("x")'})
    correction = submission_correct(submission=original, actor=clerk)
    corrected = _send(Submission.objects.get(pk=correction.pk), clerk, municipality)
    run_worker()
    client.force_login(helpdesk)
    content = b"".join(client.get("/toezichthouder/inzendingen/export.csv").streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    by_uri = {row["uri"]: row for row in rows}
    assert by_uri[original.uri]["opmerking_voor_de_toezichthouder"] == '\'=HYPERLINK("x")'
    assert by_uri[original.uri]["vervangen_door"] == corrected.uri and by_uri[original.uri]["vervangt"] == ""
    assert by_uri[corrected.uri]["vervangt"] == original.uri
    assert by_uri[corrected.uri]["opmerking_voor_de_toezichthouder"] == REMARK
    assert by_uri[corrected.uri]["soort_bestuur"] == "Gemeente" and by_uri[corrected.uri]["bestuur"] == "Aalst"
    from zoneinfo import ZoneInfo

    local = original.sent_at.astimezone(ZoneInfo("Europe/Brussels")).strftime("%Y-%m-%d %H:%M:%S")
    assert by_uri[original.uri]["verstuurd_op"] == local


def test_150_files_in_one_post_keep_the_typed_values_and_say_how_many_fit(  # type: ignore[no-untyped-def]
    client, clerk, concept, municipality, settings
):
    client.force_login(clerk)
    data = _complete_post(concept, body_uri=_council(municipality).uri)
    data[name_of(concept, "description")] = "Zitting van oktober, met alle bijlagen"
    data[name_of(concept, "files") + "__upload"] = [
        SimpleUploadedFile(f"bijlage-{index}.pdf", PDF, "application/pdf") for index in range(150)
    ]
    response = client.post(f"/toezicht/{concept.uuid}/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "U koos 150 bestanden; per keer kunnen er maximaal 100 mee. Geen enkel bestand is opgeladen" in body
    assert "Zitting van oktober, met alle bijlagen" in body
    concept.refresh_from_db()
    assert '"Zitting van oktober, met alle bijlagen"' in concept.source_ttl
    assert concept.session_date.isoformat() == "2026-10-14" and not concept.files.exists()
    data[name_of(concept, "files") + "__upload"] = data[name_of(concept, "files") + "__upload"][:100]
    for upload in data[name_of(concept, "files") + "__upload"]:
        upload.seek(0)
    assert client.post(f"/toezicht/{concept.uuid}/", data).status_code == 200
    assert concept.files.count() == 100


def test_the_clerks_list_takes_the_same_queries_with_corrections_on_every_row(  # type: ignore[no-untyped-def]
    client, clerk, concept, municipality, document_types, django_assert_num_queries
):
    client.force_login(clerk)
    client.get("/toezicht/")  # the first request stores the organisation in the session
    original = _send(concept, clerk, municipality)
    correction = submission_correct(submission=original, actor=clerk)
    _send(Submission.objects.get(pk=correction.pk), clerk, municipality)
    # session, user, memberships with their roles; the page's keys, its rows (with what they replace and are
    # replaced by); the document types of the filter
    with django_assert_num_queries(6):
        page = client.get("/toezicht/").content.decode()
    assert page.count("vervangen door") == 1 and page.count("correctie: vervangt") == 1
    for _ in range(20):
        submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    with django_assert_num_queries(6):
        assert client.get("/toezicht/").status_code == 200


def test_the_confirmation_of_a_v2_concept_shows_its_labels_and_values(  # type: ignore[no-untyped-def]
    client, clerk, municipality, document_types, settings
):
    import re

    from tests.supervision.test_toezicht_v2 import _name

    settings.LOKET_TOEZICHT_FORM = ""  # the newest form, as in production
    client.force_login(clerk)
    url = client.post("/toezicht/nieuw/", {"document_type": BESLUITENLIJST})["Location"]
    submission = Submission.objects.get()
    assert submission.form_version.startswith("toezicht-v2.ttl@")
    body = client.get(url).content.decode()
    organ = re.search(r'<option value="([^"]+)">Gemeenteraad \(2024 - heden\)</option>', body).group(1)
    data = {
        "__fields": re.findall(r'name="__fields" value="([^"]+)"', body),
        _name(submission, "Type dossier", "conceptSchemeSelector"): BESLUITENLIJST,
        _name(submission, "Welk beslissingsorgaan nam het besluit?", "bestuursorgaanSelector"): organ,
    }
    body = client.post(url, data).content.decode()
    data.update(
        {
            "__fields": re.findall(r'name="__fields" value="([^"]+)"', body),
            _name(submission, "Datum zitting/besluitenlijst", "dateTime"): "2026-10-14T20:00",
            _name(submission, "Datum van publicatie op webtoepassing", "date"): "2026-10-16",
            "send": "1",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/toezicht/{submission.uuid}/versturen/"
    page = client.get(response["Location"]).content.decode()
    assert "<dt>Welk beslissingsorgaan nam het besluit? <span" in page
    assert '<dd><span class="value">Besluitenlijst</span></dd>' in page  # the concept, not the node's class
    assert '<span class="value">Gemeenteraad (2024 - heden)</span>' in page
    assert '<span class="value">14 oktober 2026 20:00</span>' in page
    assert '<span class="value">16 oktober 2026</span>' in page


def test_a_sent_submission_whose_form_file_is_gone_still_shows_its_data(client, clerk, concept, municipality):  # type: ignore[no-untyped-def]
    sent = _send(concept, clerk, municipality)
    Submission.objects.filter(pk=sent.pk).update(form_version="toezicht-v0-removed.ttl@0000000000000000")
    client.force_login(clerk)
    page = client.get(f"/toezicht/{sent.uuid}/").content.decode()
    assert '<span class="value">Gemeenteraad</span>' in page and f'<span class="value">{REMARK}</span>' in page


def test_the_confirmation_and_handling_in_english(client, clerk, helpdesk, concept, municipality, run_worker):  # type: ignore[no-untyped-def]
    data = _complete_post(concept, body_uri=_council(municipality).uri)
    data[name_of(concept, "comment")] = REMARK
    submission_update(submission=concept, actor=clerk, data=data)
    client.force_login(clerk)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    page = client.get(f"/toezicht/{concept.uuid}/versturen/").content.decode()
    assert "<h1>Check and send</h1>" in page and "<h2>What will be sent</h2>" in page
    assert "Not public (for the supervisor only):" in page and ">Send for good</button>" in page
    assert "Nakijken" not in page and "Definitief" not in page
    sent = submission_send(submission=concept, actor=clerk)
    run_worker()
    client.force_login(helpdesk)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    page = client.get(f"/toezichthouder/inzendingen/{sent.uuid}/").content.decode()
    assert "Not handled yet." in page and "Nog niet behandeld" not in page


def test_a_document_types_dutch_name_is_marked_dutch_on_english_pages(  # type: ignore[no-untyped-def]
    client, clerk, helpdesk, concept, municipality, run_worker
):
    """The code list names its types only in Dutch: a screen reader must read them as Dutch, not English."""
    label = concept.document_type.label
    dutch = f'<span lang="nl">{label}</span>'
    submission_update(
        submission=concept, actor=clerk, data=_complete_post(concept, body_uri=_council(municipality).uri)
    )
    client.force_login(clerk)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    edit = client.get(f"/toezicht/{concept.uuid}/").content.decode()
    assert f"<h1>{dutch} <span" in edit
    assert f"You are about to send '{dutch}'" in client.get(f"/toezicht/{concept.uuid}/versturen/").content.decode()
    assert f"the draft '{dutch}'?" in client.get(f"/toezicht/{concept.uuid}/verwijderen/").content.decode()
    choice = client.get("/toezicht/nieuw/").content.decode()
    assert f'" lang="nl">{label}</label>' in choice
    sent = submission_send(submission=concept, actor=clerk)
    run_worker()
    assert f'">{dutch}</a>' in client.get("/toezicht/").content.decode()
    assert f"<dd>{dutch}</dd>" in client.get(f"/toezicht/{sent.uuid}/").content.decode()
    client.force_login(helpdesk)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert f'">{dutch}</a>' in client.get("/toezichthouder/inzendingen/").content.decode()
    assert f"<h1>{dutch} — " in client.get(f"/toezichthouder/inzendingen/{sent.uuid}/").content.decode()


def test_the_inbox_marks_the_dutch_codelist_labels_on_an_english_page(client, helpdesk, municipality):  # type: ignore[no-untyped-def]
    """The kinds of body and the types of file are the codelists' Dutch labels: on the English inbox a screen reader
    reads them as Dutch (lang="nl"), as the rest of the Loket marks Dutch data."""
    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import DocumentType

    document_types_load()
    client.force_login(helpdesk)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    page = client.get("/toezichthouder/inzendingen/").content.decode()
    assert "Submissions for supervision" in page
    besluitenlijst = DocumentType.objects.get(label="Besluitenlijst")
    assert f'<option value="{besluitenlijst.uri}" lang="nl">Besluitenlijst</option>' in page
    assert f'<option value="{municipality.kind.uri}" lang="nl">{municipality.kind.label}</option>' in page
