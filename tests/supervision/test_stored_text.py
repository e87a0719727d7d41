"""Issue 11.3: eight characters (\\x0b \\x0c \\x1c \\x1d \\x1e \\x85 U+2028 U+2029) once broke the stored Turtle. Now:
they are kept exactly; a save that fails keeps the typed values and leaves no file behind; a concept stored by
the old writer still opens and can be deleted, which frees a vendor's resource."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rdflib import Graph, URIRef

from loket.forms.errors import FormLoadError
from loket.forms.rdfio import literal
from loket.supervision import form as toezicht_form
from loket.supervision.models import Submission, SubmissionFile
from loket.supervision.services import submission_create, submission_send, submission_update
from tests.supervision.conftest import BESLUITENLIJST, name_of
from tests.vendors.conftest import VENDOR_URI, _vendor_settings, body_for, post, vendor  # noqa: F401 - fixtures

EIGHT = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def old_writer(graph: Graph) -> str:
    """The writer before the fix, kept here to make broken stored data as it exists in databases."""
    lines = graph.serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


@pytest.fixture
def concept(db, clerk, municipality, document_types, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_SIGNING_KEY_FILE = tmp_path / "key.pem"
    return submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)


def _files_on_disk(settings) -> list:  # type: ignore[no-untyped-def]
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []


def test_the_eight_characters_are_kept_exactly_and_sent(client, clerk, concept, municipality):  # type: ignore[no-untyped-def]
    from loket.supervision.governing_bodies import governing_bodies_of

    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    text = f"begin{EIGHT}einde"
    client.force_login(clerk)
    response = client.post(
        f"/toezicht/{concept.uuid}/",
        {
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "governingBody"): council.uri,
            name_of(concept, "sessionDate"): "2026-10-14",
            name_of(concept, "links"): "https://publicatie.example.org/besluit.html",
            name_of(concept, "description"): text,
        },
    )
    assert response.status_code == 200
    concept.refresh_from_db()
    assert len(concept.source_ttl.splitlines()) == len(toezicht_form.parse_source(concept.source_ttl))
    assert text in [str(o) for o in toezicht_form.parse_source(concept.source_ttl).objects()]
    assert client.get(f"/toezicht/{concept.uuid}/").status_code == 200
    sent = submission_send(submission=concept, actor=clerk)
    assert text in [str(o) for o in toezicht_form.parse_source(sent.form_data_nt).objects()]


def test_a_failed_save_keeps_the_typed_values_and_no_file(client, clerk, concept, settings, monkeypatch):  # type: ignore[no-untyped-def]
    before = Submission.objects.get(pk=concept.pk).source_ttl
    monkeypatch.setattr(toezicht_form, "serialize_source", old_writer)  # the bug, put back for this test
    client.force_login(clerk)
    response = client.post(
        f"/toezicht/{concept.uuid}/",
        {
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "sessionDate"): "2026-10-14",
            name_of(concept, "description"): f"Mijn lange uitleg{EIGHT[0]}tweede deel",
            name_of(concept, "files") + "__upload": SimpleUploadedFile("besluit.pdf", PDF, "application/pdf"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Uw gegevens konden niet bewaard worden. Ze staan hieronder nog ingevuld" in page
    assert "Mijn lange uitleg" in page and 'value="2026-10-14"' in page
    assert Submission.objects.get(pk=concept.pk).source_ttl == before
    assert not SubmissionFile.objects.exists()
    assert _files_on_disk(settings) == []


@pytest.fixture
def broken_vendor_concept(concept, vendor):  # type: ignore[no-untyped-def]  # noqa: F811
    """A vendor's concept as the old writer stored it: a title with U+2028 split over two sorted lines."""
    graph = toezicht_form.parse_source(concept.source_ttl)
    graph.add(
        (
            toezicht_form.form_node_for(concept.uuid),
            URIRef("http://purl.org/dc/terms/description"),
            literal("eerste\u2028tweede"),
        )
    )
    Submission.objects.filter(pk=concept.pk).update(
        source_ttl=old_writer(graph), submitted_resource="http://data.example.be/besluiten/1", provided_by=VENDOR_URI
    )
    with pytest.raises(FormLoadError):  # the stored text really is broken
        toezicht_form.parse_source(Submission.objects.get(pk=concept.pk).source_ttl)
    return Submission.objects.get(pk=concept.pk)


def test_a_broken_concept_opens_says_what_was_lost_and_saves_sound(client, clerk, broken_vendor_concept):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = client.get(f"/toezicht/{broken_vendor_concept.uuid}/")
    assert response.status_code == 200
    assert "Een deel van de bewaarde gegevens (2 regels) kon niet gelezen worden" in response.content.decode()
    outcome = submission_update(
        submission=broken_vendor_concept,
        actor=clerk,
        data={name_of(broken_vendor_concept, "documentType"): BESLUITENLIJST},
    )
    assert outcome.valid is False
    broken_vendor_concept.refresh_from_db()
    toezicht_form.parse_source(broken_vendor_concept.source_ttl)  # sound again
    assert "kon niet gelezen worden" not in client.get(f"/toezicht/{broken_vendor_concept.uuid}/").content.decode()


def test_a_broken_concept_can_be_deleted_and_frees_the_vendors_resource(
    client, clerk, municipality, broken_vendor_concept
):  # type: ignore[no-untyped-def]
    vendor_client = type(client)()
    assert post(vendor_client, "/melding", body_for(municipality)).status_code == 409
    client.force_login(clerk)
    assert client.get(f"/toezicht/{broken_vendor_concept.uuid}/verwijderen/").status_code == 200
    response = client.post(f"/toezicht/{broken_vendor_concept.uuid}/verwijderen/")
    assert response.status_code == 302
    assert not Submission.objects.filter(pk=broken_vendor_concept.pk).exists()
    assert post(vendor_client, "/melding", body_for(municipality)).status_code == 201


def test_a_vendor_page_with_the_eight_characters_gives_a_concept_that_opens(  # type: ignore[no-untyped-def]
    client,
    clerk,
    vendor,  # noqa: F811 - the fixture imported above
    municipality,
    settings,
    tmp_path,
    run_worker,
    _vendor_settings,  # noqa: F811 - the vendor tests' settings (retries without waiting)
):
    from tests.vendors.conftest import CONCEPT
    from tests.vendors.pages import PAGES, page_server

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_ALLOW_PRIVATE_FETCH = ["127.0.0.1/32"]
    from loket.supervision.codelists import document_types_load

    document_types_load()
    html = (PAGES / "voorbeeld-budget.html").read_text(encoding="utf-8")
    html = html.replace("Besluit over budget", f"Besluit{EIGHT}over budget")  # becomes the description
    assert EIGHT in html
    resource = "http://een.domein.van.mechelen.be/besluiten/b122fc60-dabe-4fd5-b939-1765fe0c6170-6"
    with page_server() as pages:
        href = pages.serve("/budget.html", html.encode("utf-8"))
        response = post(client, "/melding", body_for(municipality, href=href, resource=resource, status=CONCEPT))
        assert response.status_code == 201, response.content
        run_worker()
    from loket.vendors.models import Job

    job = Job.objects.get(submitted_resource=resource)
    assert job.status == "success", (
        job.status,
        job.error_message,
        list(job.tasks.values_list("operation", "status", "error_message")),
    )
    concept = Submission.objects.get(submitted_resource=resource)
    graph = toezicht_form.parse_source(concept.source_ttl)  # sound
    assert len(concept.source_ttl.splitlines()) == len(graph)
    # The importer folds runs of white space (all eight are white space to Python) into one space.
    assert "Besluit over budget" in [str(value) for value in graph.objects()]
    client.force_login(clerk)
    assert client.get(f"/toezicht/{concept.uuid}/").status_code == 200
