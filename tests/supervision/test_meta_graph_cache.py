"""The meta graph's organisation parts (governing bodies; sent submissions as documents) are built once per process
for the rows they are built from (bench/README.md, "The clerk's form requests"): every change of those rows gives
a new part, so a page never shows a stale body or document; the graph equals the one built the old way (every
request anew), and pages render byte for byte as they did with it."""

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from loket.forms.widgets import DOCUMENTS_SCHEME
from loket.organisations.models import OrganisationKind
from loket.supervision import form as toezicht_form
from loket.supervision.formdata import form_summary
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import DocumentType, GoverningBody, Submission
from loket.supervision.services import (
    submission_context,
    submission_create,
    submission_send,
    submission_update,
)
from tests.supervision.conftest import BESLUITENLIJST, name_of
from tests.supervision.test_toezicht import _complete_post, _council


def _old_meta_graph(organisation, *, with_documents: bool = True) -> Graph:  # type: ignore[no-untyped-def]
    """main's meta_graph before the cache (5e32f5c), as the reference: built anew on every call."""
    meta = Graph()
    for triple in toezicht_form._codelists():
        meta.add(triple)
    for body in governing_bodies_of(organisation):
        concept = URIRef(body.uri)
        meta.add((concept, RDF.type, SKOS.Concept))
        meta.add((concept, SKOS.inScheme, toezicht_form.GOVERNING_BODY_SCHEME))
        meta.add((concept, SKOS.prefLabel, Literal(body.label)))
        meta.add((concept, toezicht_form.BESLUIT.classificatie, URIRef(body.classification_uri)))
        meta.add((concept, toezicht_form.BESLUIT.bestuurt, URIRef(organisation.uri)))
        for period, label in toezicht_form._periods():
            in_time = toezicht_form.organ_in_time(body.uri, period)
            meta.add((in_time, RDF.type, SKOS.Concept))
            meta.add((in_time, SKOS.inScheme, toezicht_form.ORGANS_IN_TIME_SCHEME))
            meta.add((in_time, SKOS.prefLabel, Literal(f"{body.label} ({label})")))
            meta.add((in_time, toezicht_form.MANDAAT.isTijdspecialisatieVan, concept))
    if organisation.kind_id and organisation.kind.uri:
        meta.add((URIRef(organisation.uri), toezicht_form.BESLUIT.classificatie, URIRef(organisation.kind.uri)))
    if with_documents:
        sent = (
            Submission.objects.filter(organisation=organisation, status=Submission.Status.SENT)
            .order_by("-sent_at")
            .values_list("uuid", "session_date", "sent_at", "document_type__label")[:500]
        )
        for uuid, session_date, sent_at, type_label in sent:
            document = toezicht_form.form_node_for(uuid)
            day = session_date or (sent_at.date() if sent_at else None)
            label = f"{type_label} — {day.isoformat() if day else ''}".rstrip(" —")
            meta.add((document, SKOS.inScheme, DOCUMENTS_SCHEME))
            meta.add((document, SKOS.prefLabel, Literal(label)))
    return meta


def _triples(graph: Graph) -> set:  # type: ignore[type-arg]
    return set(graph.triples((None, None, None)))


def _same_as_old(organisation, with_documents: bool = True) -> Graph:  # type: ignore[no-untyped-def]
    organisation.refresh_from_db()  # its kind as stored now (a request reads it anew)
    meta = toezicht_form.meta_graph(organisation, with_documents=with_documents)
    assert _triples(meta) == _triples(_old_meta_graph(organisation, with_documents=with_documents))
    return meta


def _labels(meta: Graph, scheme: URIRef) -> set[str]:
    return {str(meta.value(concept, SKOS.prefLabel)) for concept in meta.subjects(SKOS.inScheme, scheme)}


@pytest.fixture
def sent(db, clerk, municipality, document_types):  # type: ignore[no-untyped-def]
    made = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    outcome = submission_update(
        submission=made, actor=clerk, data=_complete_post(made, body_uri=_council(municipality).uri)
    )
    assert outcome.valid, outcome.errors
    return submission_send(submission=made, actor=clerk)


def test_the_same_rows_give_the_same_part_and_the_old_graph(municipality, other_municipality, sent):  # type: ignore[no-untyped-def]
    first = _same_as_old(municipality)
    second = _same_as_old(municipality)
    assert first.layers[1] is second.layers[1] and first.layers[2] is second.layers[2]  # built once
    assert first.layers[-1] is not second.layers[-1]  # each request's own triples (file names) stay its own
    other = _same_as_old(other_municipality)
    assert other.layers[1] is not first.layers[1]
    assert _labels(first, toezicht_form.GOVERNING_BODY_SCHEME) == {b.label for b in governing_bodies_of(municipality)}
    _same_as_old(municipality, with_documents=False)


def test_a_changed_governing_body_is_seen_at_once(municipality):  # type: ignore[no-untyped-def]
    before = _same_as_old(municipality)
    council = _council(municipality)
    assert "Gemeenteraad" in _labels(before, toezicht_form.GOVERNING_BODY_SCHEME)
    GoverningBody.objects.filter(pk=council.pk).update(label="Gemeenteraad (hernoemd)")  # no signal, no save()
    after = _same_as_old(municipality)
    assert "Gemeenteraad (hernoemd)" in _labels(after, toezicht_form.GOVERNING_BODY_SCHEME)
    assert "Gemeenteraad" not in _labels(after, toezicht_form.GOVERNING_BODY_SCHEME)
    GoverningBody.objects.filter(pk=council.pk).update(
        classification_uri="http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/other"
    )
    _same_as_old(municipality)
    GoverningBody.objects.create(
        organisation=municipality,
        uri="http://data.lblod.info/id/bestuursorganen/test-politieraad",
        classification_uri="http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/politieraad",
        label="Politieraad",
    )
    assert "Politieraad" in _labels(_same_as_old(municipality), toezicht_form.GOVERNING_BODY_SCHEME)
    GoverningBody.objects.filter(pk=council.pk).delete()
    assert "Gemeenteraad (hernoemd)" not in _labels(_same_as_old(municipality), toezicht_form.GOVERNING_BODY_SCHEME)


def test_a_changed_kind_of_organisation_is_seen_at_once(municipality):  # type: ignore[no-untyped-def]
    _same_as_old(municipality)
    kind = OrganisationKind.objects.create(label="Testsoort", uri="http://example.org/kinds/test")
    type(municipality).objects.filter(pk=municipality.pk).update(kind=kind)
    meta = _same_as_old(municipality)
    assert (URIRef(municipality.uri), toezicht_form.BESLUIT.classificatie, URIRef(kind.uri)) in meta


def test_a_new_sent_submission_and_a_renamed_document_type_are_seen_at_once(  # type: ignore[no-untyped-def]
    clerk, municipality, document_types, sent
):
    before = _same_as_old(municipality)
    assert len(_labels(before, DOCUMENTS_SCHEME)) == 1
    another = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    data = _complete_post(another, body_uri=_council(municipality).uri)
    data[name_of(another, "sessionDate")] = "2026-11-03"
    assert submission_update(submission=another, actor=clerk, data=data).valid
    submission_send(submission=another, actor=clerk)
    after = _same_as_old(municipality)
    assert (toezicht_form.form_node_for(another.uuid), SKOS.inScheme, DOCUMENTS_SCHEME) in after
    DocumentType.objects.filter(uri=BESLUITENLIJST).update(label="Besluitenlijst (hernoemd)")
    renamed = _same_as_old(municipality)
    assert _labels(renamed, DOCUMENTS_SCHEME) == {
        "Besluitenlijst (hernoemd) — 2026-10-14",
        "Besluitenlijst (hernoemd) — 2026-11-03",
    }


def test_the_summary_of_a_sent_submission_is_the_one_with_its_editing_context(sent):  # type: ignore[no-untyped-def]
    """A sent submission's page no longer reads its editing graph: the summary equals the one made with it."""
    assert form_summary(sent) == form_summary(sent, context=submission_context(sent))


def _page(client, path: str) -> str:  # type: ignore[no-untyped-def]
    html = client.get(path).content.decode()
    return re.sub(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"', r'\1""', html)


@pytest.mark.parametrize("form", ["toezicht-v1.ttl", "toezicht-v2.ttl"])
def test_pages_render_as_with_the_old_graph(client, clerk, municipality, sent, settings, monkeypatch, form):  # type: ignore[no-untyped-def]
    settings.LOKET_TOEZICHT_FORM = form
    client.force_login(clerk)
    client.get("/toezicht/")  # the first request stores the organisation in the session
    concept = submission_create(organisation=municipality, document_type=sent.document_type, actor=clerk)
    paths = [f"/toezicht/{concept.uuid}/", f"/toezicht/{sent.uuid}/"]
    new = [_page(client, path) for path in paths]
    monkeypatch.setattr(toezicht_form, "meta_graph", _old_meta_graph)
    assert [_page(client, path) for path in paths] == new


def test_the_parts_kept_are_bounded_and_the_oldest_go_first(municipality, other_municipality, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(toezicht_form, "_KEPT_BODIES", 1)
    first = toezicht_form.meta_graph(municipality, with_documents=False).layers[1]
    toezicht_form.meta_graph(other_municipality, with_documents=False)
    assert len(toezicht_form._BODIES_LAYERS) == 1
    again = _same_as_old(municipality, with_documents=False).layers[1]
    assert again is not first and _triples(again) == _triples(first)
