"""Toezicht form version 2: asks what the live Loket asks; new concepts use it, older concepts keep their version;
an operator's own form folder; English labels and messages with a marked Dutch fallback."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from loket.forms.decide import applicable_fields
from loket.forms.loader import load_form
from loket.forms.model import Field, FormDefinition, path_text
from loket.forms.names import field_name
from loket.forms.paths import DataContext
from loket.supervision import form as toezicht_form
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission
from loket.supervision.services import submission_create, submission_form_node, submission_send, submission_update
from tests.supervision.conftest import BESLUITENLIJST, name_of

V2_FILE = toezicht_form.FORMS_DIR / "toezicht-v2.ttl"
FORM = "http://lblod.data.gift/vocabularies/forms/"
ORGAN_PATH_WORDS = ("isTijdspecialisatieVan", "bestuurt")


@pytest.fixture
def current_form(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_TOEZICHT_FORM = ""  # what production does: the newest form


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_SIGNING_KEY_FILE = tmp_path / "key.pem"


# -- the file itself ---------------------------------------------------------------------------------------------
def test_v2_is_our_own_form_of_the_live_size():
    graph = Graph().parse(V2_FILE, format="turtle")
    assert len(set(graph.subjects(RDF.type, URIRef(FORM + "Field")))) == 157
    assert len(set(graph.subjects(RDF.type, URIRef(FORM + "ConditionalFieldGroup")))) == 187
    subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    assert all(s.startswith("http://data.lblod.info/loket/") for s in subjects)  # our own node names
    assert not list(graph.subjects(URIRef("http://mu.semte.ch/vocabularies/core/uuid"), None))
    definition = load_form(V2_FILE)
    assert definition.warnings == []  # every display and validation type is known


def test_every_label_and_message_of_both_versions_has_english():
    for name in ("toezicht-v1.ttl", "toezicht-v2.ttl"):
        definition = toezicht_form.form_definition(name)
        graph = definition.graph
        for field in definition.fields.values():
            if field.label:
                assert any(v.language == "en" for v in graph.objects(field.node, SKOS_NAME)), (name, field.label)
        dutch = {str(v) for v in graph.objects(None, SH_MESSAGE) if v.language in {None, "nl"}}
        english_twins = {
            str(v)
            for node in graph.subjects(SH_MESSAGE, None)
            for v in graph.objects(node, SH_MESSAGE)
            if v.language in {None, "nl"} and any(w.language == "en" for w in graph.objects(node, SH_MESSAGE))
        }
        assert dutch == english_twins, name


SKOS_NAME = URIRef("http://www.w3.org/ns/shacl#name")
SH_MESSAGE = URIRef("http://www.w3.org/ns/shacl#resultMessage")


# -- the same questions as the live form -------------------------------------------------------------------------
# The order of a constraint node means nothing; its message is compared in Dutch (ours adds an English twin), its
# path as a path.
NOT_FACTS = {URIRef("http://www.w3.org/ns/shacl#" + name) for name in ("order", "resultMessage", "path")}


def _signature(field: Field) -> tuple:
    constraints = sorted(
        (
            str(c.type),
            str(c.grouping),
            path_text(c.path),
            str(c.severity),
            c.message,
            tuple(
                sorted((str(k), tuple(sorted(str(v) for v in vs))) for k, vs in c.params.items() if k not in NOT_FACTS)
            ),
        )
        for c in field.constraints
    )
    label = field.label if field.display_type is not None else ""  # hidden fields carry our own names
    return (label, path_text(field.path), str(field.display_type), tuple(constraints), field.concept_scheme)


def _asked(definition: FormDefinition, context: DataContext, node: URIRef) -> Counter:
    return Counter(_signature(f) for f in applicable_fields(definition, context, node, None))


def _condition_values(graph: Graph) -> tuple[dict[URIRef, set], dict[str, list[URIRef]]]:
    """What the conditions ask for: per document type the (organ classification, body classification) pairs its
    groups name, and per other predicate the values (to try them all)."""
    pairs: dict[URIRef, set] = {}
    others: dict[str, set[URIRef]] = {}
    for group in graph.subjects(RDF.type, URIRef(FORM + "ConditionalFieldGroup")):
        types, organ, unit = [], None, None
        for condition in graph.objects(group, URIRef(FORM + "conditions")):
            path = graph.value(condition, URIRef("http://www.w3.org/ns/shacl#path"))
            for value in graph.objects(condition, URIRef(FORM + "customValue")):
                if path == RDF.type:
                    types.append(value)
                elif "Bestuursorgaan" in str(value):
                    organ = value
                elif "Bestuurseenheid" in str(value):
                    unit = value
                elif isinstance(path, URIRef):
                    others.setdefault(str(path), set()).add(value)
        for document_type in types:
            pairs.setdefault(document_type, set()).add((organ, unit))
    return pairs, {key: sorted(found) for key, found in others.items()}


def _data(node: URIRef, document_type: URIRef, organ_class, unit_class, others: dict, round_number: int) -> Graph:  # type: ignore[no-untyped-def]
    besluit = "http://data.vlaanderen.be/ns/besluit#"
    source = Graph()
    source.add((node, RDF.type, document_type))
    organ, body, unit = URIRef("http://x/organ-in-time"), URIRef("http://x/organ"), URIRef("http://x/unit")
    source.add((node, URIRef("http://data.europa.eu/eli/ontology#passed_by"), organ))
    source.add((organ, URIRef("http://data.vlaanderen.be/ns/mandaat#isTijdspecialisatieVan"), body))
    if organ_class is not None:
        source.add((body, URIRef(besluit + "classificatie"), organ_class))
    if unit_class is not None:
        source.add((body, URIRef(besluit + "bestuurt"), unit))
        source.add((unit, URIRef(besluit + "classificatie"), unit_class))
    for predicate, values in others.items():
        source.add((node, URIRef(predicate), values[round_number % len(values)]))
    return source


@pytest.mark.skipif(not os.environ.get("LOKET_REAL_TOEZICHT_FORM"), reason="LOKET_REAL_TOEZICHT_FORM not set")
def test_v2_asks_what_the_live_form_asks_for_every_document_type():
    """For every document type of the code list, with every governing body the conditions name (and none), the
    fields that apply, with their labels, paths, display types and constraints, are the same in both forms."""
    real_path = Path(os.environ["LOKET_REAL_TOEZICHT_FORM"])
    real, ours = load_form(real_path), load_form(V2_FILE)
    meta = Graph()
    for name in toezicht_form.CODELIST_FILES:
        meta.parse(toezicht_form.settings.REPO_DIR / "data" / "codelists" / name, format="turtle")
    scheme = URIRef("http://lblod.data.gift/concept-schemes/71e6455e-1204-46a6-abf4-87319f58eaa5")
    types = sorted(meta.subjects(SKOS.inScheme, scheme))
    pairs, others = _condition_values(Graph().parse(real_path, format="turtle"))
    node = URIRef("http://data.lblod.info/form-data/test")
    compared, differing = 0, 0
    for document_type in types:
        for organ_class, unit_class in sorted(pairs.get(document_type, set()) | {(None, None)}, key=str):
            for round_number in range(2):
                context = DataContext(
                    source=_data(node, document_type, organ_class, unit_class, others, round_number), meta=meta
                )
                ours_asks, real_asks = _asked(ours, context, node), _asked(real, context, node)
                assert ours_asks == real_asks, (document_type, organ_class, unit_class)
                compared += 1
                differing += len(ours_asks) > 1
    assert len(types) >= 96 and compared >= 2 * len(types) and differing > 150


# -- versions ------------------------------------------------------------------------------------------------------
def test_new_concepts_use_v2_while_a_v1_concept_keeps_v1_through_editing_and_sending(
    settings, clerk, municipality, document_types, media
):  # type: ignore[no-untyped-def]
    old = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    assert old.form_version.startswith("toezicht-v1.ttl@")
    settings.LOKET_TOEZICHT_FORM = ""
    new = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    assert new.form_version.startswith("toezicht-v2.ttl@")
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    v1_data = {
        name_of(old, "documentType"): BESLUITENLIJST,
        name_of(old, "governingBody"): council.uri,
        name_of(old, "sessionDate"): "2026-10-14",
        name_of(old, "links"): "https://publicatie.example.org/besluitenlijst.html",
    }
    assert submission_update(submission=old, actor=clerk, data=v1_data).valid
    old.refresh_from_db()
    assert old.form_version.startswith("toezicht-v1.ttl@")
    sent = submission_send(submission=old, actor=clerk)
    assert sent.status == Submission.Status.SENT and sent.form_version.startswith("toezicht-v1.ttl@")
    assert sent.sent_entry.payload["form_version"] == sent.form_version


def test_only_a_form_with_document_widgets_reads_the_bodys_sent_documents(
    settings, clerk, municipality, document_types, media
):  # type: ignore[no-untyped-def]
    """v2 offers earlier documents (decisionDocuments, decisionArticles); v1 has no such widget, so its concepts
    do not read the body's sent submissions on every page (measured: 39 ms → 14 ms per send, bench/toezicht.py)."""
    from loket.forms.widgets import DOCUMENTS_SCHEME
    from loket.supervision.services import submission_context

    earlier = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    data = {
        name_of(earlier, "documentType"): BESLUITENLIJST,
        name_of(earlier, "governingBody"): council.uri,
        name_of(earlier, "sessionDate"): "2026-10-14",
        name_of(earlier, "links"): "https://publicatie.example.org/besluitenlijst.html",
    }
    assert submission_update(submission=earlier, actor=clerk, data=data).valid
    submission_send(submission=earlier, actor=clerk)
    v1 = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    settings.LOKET_TOEZICHT_FORM = ""
    v2 = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    assert not toezicht_form.offers_documents(toezicht_form.form_definition(v1.form_version))
    assert toezicht_form.offers_documents(toezicht_form.form_definition(v2.form_version))
    offered = set(submission_context(v2).meta.subjects(SKOS.inScheme, DOCUMENTS_SCHEME))
    assert offered == {toezicht_form.form_node_for(earlier.uuid)}
    assert set(submission_context(v1).meta.subjects(SKOS.inScheme, DOCUMENTS_SCHEME)) == set()


def test_an_operator_folder_with_the_real_form_files_gives_the_current_form(
    settings, tmp_path, clerk, municipality, document_types, media
):  # type: ignore[no-untyped-def]
    settings.LOKET_TOEZICHT_FORM = ""
    shutil.copy(V2_FILE, tmp_path / "20250101000000-forms.ttl")
    shutil.copy(V2_FILE, tmp_path / "20990101000000-forms.ttl")
    settings.LOKET_TOEZICHT_FORMS_DIR = str(tmp_path)
    assert toezicht_form.current_form_name() == "20990101000000-forms.ttl"
    concept = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    assert concept.form_version.startswith("20990101000000-forms.ttl@")
    assert len(toezicht_form.form_definition("toezicht-v1.ttl").fields) == 14  # the built-in versions stay
    settings.LOKET_TOEZICHT_FORMS_DIR = ""
    assert toezicht_form.current_form_name() == "toezicht-v2.ttl"


def test_decision_articles_must_each_refer_to_a_document():
    definition = load_form(V2_FILE)
    articles = [
        f for f in definition.fields.values() if f.display_type and str(f.display_type).endswith("decisionArticles")
    ]
    assert len(articles) == 2
    node, article = URIRef("http://x/doc"), URIRef("http://x/article")
    eli = "http://data.europa.eu/eli/ontology#"
    from loket.forms.constraints import check

    for field in articles:
        validator = next(c for c in field.constraints if str(c.type).endswith("DecisionArticlesValidator"))
        source = Graph()
        source.add((node, URIRef(eli + "has_part"), article))
        assert not check(validator, DataContext(source=source), node).valid
        source.add((article, URIRef(eli + "refers_to"), URIRef("http://x/earlier")))
        excludes = validator.param(toezicht_form.EXCLUDE_DOCUMENT_TYPE) is not None
        assert check(validator, DataContext(source=source), node).valid is excludes
        source.add((article, URIRef(eli + "type_document"), URIRef("http://x/type")))
        assert check(validator, DataContext(source=source), node).valid


# -- the clerk's pages ---------------------------------------------------------------------------------------------
def _name(submission: Submission, label: str, display: str) -> str:
    definition = toezicht_form.form_definition(submission.form_version)
    from loket.supervision.services import submission_context

    node = submission_form_node(submission)
    applicable = applicable_fields(definition, submission_context(submission), node, None)
    found = [f for f in applicable if f.label == label and display in str(f.display_type)]
    assert len(found) == 1, (label, [(f.label, str(f.display_type)[-12:]) for f in applicable])
    return field_name(found[0].node, node)


def test_a_v2_besluitenlijst_over_http_asks_the_organ_in_time_and_is_sent(
    client, current_form, clerk, municipality, document_types, media
):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = client.post("/toezicht/nieuw/", {"document_type": BESLUITENLIJST})
    submission = Submission.objects.get()
    url = response["Location"]
    body = client.get(url).content.decode()
    assert "Welk beslissingsorgaan nam het besluit?" in body and "Datum zitting/besluitenlijst" in body
    assert "Gemeenteraad (2024 - heden)" in body and "Gemeenteraad (2019 - 2024)" in body
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    organ = re.search(r'<option value="([^"]+)">Gemeenteraad \(2024 - heden\)</option>', body).group(1)
    announced = re.findall(r'name="__fields" value="([^"]+)"', body)
    data = {
        "__fields": announced,
        _name(submission, "Type dossier", "conceptSchemeSelector"): BESLUITENLIJST,
        _name(submission, "Welk beslissingsorgaan nam het besluit?", "bestuursorgaanSelector"): organ,
    }
    body = client.post(url, data).content.decode()
    announced = re.findall(r'name="__fields" value="([^"]+)"', body)
    data.update(
        {
            "__fields": announced,
            _name(submission, "Datum zitting/besluitenlijst", "dateTime"): "2026-10-14T20:00",
            _name(submission, "Datum van publicatie op webtoepassing", "date"): "2026-10-16",
        }
    )
    body = client.post(url, data).content.decode()
    assert "form-summary" not in body  # complete: nothing left to fix
    submission_send(submission=submission, actor=clerk)  # after the confirmation page (toezicht-pages' part)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SENT and submission.form_version.startswith("toezicht-v2.ttl@")
    assert submission.governing_body == council  # the organ in time leads back to the organ
    assert str(submission.session_date) == "2026-10-14"
    assert (
        f"<{organ}> <http://data.vlaanderen.be/ns/mandaat#isTijdspecialisatieVan> <{council.uri}> ."
        in submission.form_data_nt
    )


def test_english_labels_messages_and_a_marked_dutch_fallback(
    client, current_form, clerk, municipality, document_types, media
):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    url = client.post("/toezicht/nieuw/", {"document_type": BESLUITENLIJST})["Location"]
    body = client.get(url).content.decode()
    assert "Which governing body took the decision?" in body and "Type of dossier" in body
    assert "Welk beslissingsorgaan" not in body
    announced = re.findall(r'name="__fields" value="([^"]+)"', body)
    type_name = _name(Submission.objects.get(), "Type dossier", "conceptSchemeSelector")
    response = client.post(url, {"__fields": announced, type_name: BESLUITENLIJST, "send": "1"})
    body = response.content.decode()
    assert "This field is required." in body and "Dit veld is verplicht." not in body
    assert "(required)" in body
    # a help text the form has only in Dutch is shown in Dutch, marked as such
    definition = toezicht_form.form_definition(Submission.objects.get().form_version)
    assert any(
        f.help and not any(v.language == "en" for v in definition.graph.objects(f.node, URIRef(FORM + "help")))
        for f in definition.fields.values()
    )
    v1 = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    v1.form_version = toezicht_form.form_version("toezicht-v1.ttl")
    v1.save()
    body = client.post(f"/toezicht/{v1.uuid}/", {name_of(v1, "sessionDate"): "2026-13-45", "send": "1"}).content
    body = body.decode()
    assert "Date of the session" in body and "Give a valid date (YYYY-MM-DD)." in body
    assert "Choose the governing body." in body


def test_dutch_help_in_an_english_page_is_marked_lang_nl(current_form, clerk, municipality, document_types):  # type: ignore[no-untyped-def]
    from django.utils import translation

    from loket.forms.render import render_form
    from loket.supervision.services import submission_context

    concept = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    definition = toezicht_form.form_definition(concept.form_version)
    context = submission_context(concept)
    node = submission_form_node(concept)
    help_field = next(f for f in definition.fields.values() if f.label == "Bestanden" and f.help)
    context.source.add((node, URIRef("http://data.europa.eu/eli/ontology#passed_by"), URIRef("urn:x")))
    with translation.override("en"):
        from loket.forms.render import Texts

        texts = Texts(definition.graph)
        assert texts.html(help_field.node, URIRef(FORM + "help"), help_field.help).startswith('<div lang="nl">')
        assert texts.text(help_field.node, SKOS_NAME, help_field.label) == "Files"
        assert str(texts.message("Dit veld is verplicht.")) == "This field is required."
        html = render_form(definition, context, node)
        assert "Type of dossier" in html


@pytest.mark.skipif(not os.environ.get("LOKET_REAL_TOEZICHT_FORM"), reason="LOKET_REAL_TOEZICHT_FORM not set")
def test_the_real_loket_form_dropped_in_works_for_a_clerk(
    client, settings, tmp_path, clerk, municipality, document_types, media
):  # type: ignore[no-untyped-def]
    """The operator's way (README): the real file, unchanged, in LOKET_TOEZICHT_FORMS_DIR."""
    settings.LOKET_TOEZICHT_FORM = ""
    shutil.copy(os.environ["LOKET_REAL_TOEZICHT_FORM"], tmp_path / "20260713162414-forms.ttl")
    settings.LOKET_TOEZICHT_FORMS_DIR = str(tmp_path)
    client.force_login(clerk)
    url = client.post("/toezicht/nieuw/", {"document_type": BESLUITENLIJST})["Location"]
    submission = Submission.objects.get()
    assert submission.form_version.startswith("20260713162414-forms.ttl@")
    body = client.get(url).content.decode()
    assert "Welk beslissingsorgaan nam het besluit?" in body and "Gemeenteraad (2024 - heden)" in body
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
        }
    )
    assert "form-summary" not in client.post(url, data).content.decode()
    sent = submission_send(submission=submission, actor=clerk)
    assert sent.status == Submission.Status.SENT and sent.form_version.startswith("20260713162414-forms.ttl@")


def test_every_display_type_of_v2_has_a_widget_that_writes():
    from loket.forms.collect import WRITERS
    from loket.forms.render import _INPUT_TYPES, _WIDGETS
    from loket.forms.vocabulary import DECORATIVE_DISPLAY_TYPES

    used = {f.display_type for f in load_form(V2_FILE).fields.values() if f.display_type is not None}
    assert len(used) == 18
    assert used <= set(_WIDGETS) | set(_INPUT_TYPES)  # none is shown read-only
    assert used - DECORATIVE_DISPLAY_TYPES <= set(WRITERS)  # and every one that holds a value writes it
