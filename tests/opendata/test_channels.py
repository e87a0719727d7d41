"""The four channels over one small world: the SPARQL store follows the change feed (save, rename, delete, no longer
public), dumps parse back to the projection and give the same bytes for the same data, the DCAT catalogue describes
them, and no private marker (a national register number, a concept, a message, a Draft mandate holder) appears in
any channel."""

import gzip
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from rdflib import Graph
from rdflib.compare import isomorphic

from loket.core.linkeddata import datasets
from loket.mandates.codes import Publication, RoleCode
from loket.mandates.models import Holder, Organ
from loket.mandates.organs import decretal_organs_create
from loket.opendata import store
from loket.opendata.dumps import dump_dataset, latest
from loket.opendata.models import Dump, FeedEntry
from loket.opendata.projection import dataset_instances, stable_graph
from loket.opendata.sparql import run_query
from loket.persons.services import person_create
from tests.mandates.conftest import mandate, rrn

pytestmark = pytest.mark.django_db

RRN = rrn(date(1970, 3, 4), 1)
MESSAGE_MARKER = "GEHEIM-BERICHT-7Q2"
DRAFT_MARKER = "Draftmarkerfamilie"


@pytest.fixture
def world(municipality, other_municipality, clerk, agency, uploader):  # type: ignore[no-untyped-def]
    decretal_organs_create(organisations=[municipality])
    councillor = mandate(municipality, RoleCode.COUNCILLOR)
    jan = person_create(actor=clerk, given_names="Jan", family_name="Peeters", national_number=RRN)
    public_holder = Holder.objects.create(
        person=jan, mandate=councillor, start=date(2025, 1, 6), status="effectief", publication=Publication.NOT_RATIFIED
    )
    drafted = person_create(
        actor=clerk, given_names="Dirk", family_name=DRAFT_MARKER, national_number=rrn(date(1980, 1, 2), 7)
    )
    draft_holder = Holder.objects.create(
        person=drafted, mandate=councillor, start=date(2025, 1, 6), status="effectief", publication=Publication.DRAFT
    )
    from loket.messaging.services import ConversationDraft, attachments_store, conversation_start

    conversation_start(
        actor=None,
        organisation=municipality,
        draft=ConversationDraft(dossier_number="OD.1", subject=MESSAGE_MARKER, kind="Opvraging", text=MESSAGE_MARKER),
        blobs=attachments_store([SimpleUploadedFile("b.pdf", b"%PDF-1.4\n" + b"% x\n" * 400)], uploader=uploader),
    )
    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import DocumentType
    from loket.supervision.services import submission_create

    document_types_load()
    concept = submission_create(
        organisation=municipality, actor=clerk, document_type=DocumentType.objects.get(label="Besluitenlijst")
    )
    return {"public_holder": public_holder, "draft_holder": draft_holder, "concept": concept}


def _all_text() -> str:
    answer = run_query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", result_format="tsv")
    return answer.body.decode("utf-8")


def _markers(world) -> list[str]:  # type: ignore[no-untyped-def]
    return [RRN, MESSAGE_MARKER, DRAFT_MARKER, str(world["draft_holder"].uuid), str(world["concept"].uuid)]


def test_the_store_follows_the_feed(world, municipality):  # type: ignore[no-untyped-def]
    store.rebuild()
    text = _all_text()
    assert municipality.uri in text and str(world["public_holder"].uuid) in text and "Peeters" in text
    before = FeedEntry.objects.count()
    organs = Organ.objects.filter(organisation=municipality).count()
    municipality.name = "Aalst-aan-de-Dender"
    municipality.save()  # the organisation changed, and so did the labels of its organs ("Gemeenteraad Aalst…")
    assert FeedEntry.objects.count() == before + 1 + organs
    report = store.sync()
    assert report.applied == 1 + organs
    names = run_query(
        f"SELECT ?n WHERE {{ <{municipality.uri}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?n }}",
        result_format="csv",
    )
    assert names.body.decode().splitlines() == ["n", "Aalst-aan-de-Dender"]
    holder = world["public_holder"]
    holder.publication = Publication.DRAFT  # no longer public: gone from the store
    holder.save()
    store.sync()
    assert str(holder.uuid) not in _all_text()
    holder.publication = Publication.NOT_RATIFIED
    holder.save()
    store.sync()
    assert str(holder.uuid) in _all_text()
    assert store.check() == []


def test_check_names_what_bypassed_the_feed(world, municipality):  # type: ignore[no-untyped-def]
    store.rebuild()
    type(municipality).objects.filter(pk=municipality.pk).update(name="Stiekem")  # no signal: the feed misses it
    differences = store.check()
    assert f"different in the store: urn:loket:organisations.Organisation:{municipality.pk}" in differences
    store.rebuild()
    assert store.check() == []


def test_data_loaded_around_the_feed_reaches_the_store_by_one_queued_first_rebuild(world, municipality):  # type: ignore[no-untyped-def]
    """Regression (the Chromium walk of `make run`): the demo loaders bulk-write organs and mandates without the
    feed, so the SPARQL store answered the usual consumer queries with nothing."""
    from loket.opendata.tasks import rebuild_store, schedule_first_rebuild

    type(municipality).objects.filter(pk=municipality.pk).update(name="Bulkgeladen")  # as a bulk load does
    assert schedule_first_rebuild() is True
    assert schedule_first_rebuild() is False  # one is waiting already
    rebuild_store.call()
    assert "Bulkgeladen" in _all_text() and store.check() == []
    assert schedule_first_rebuild() is False  # rebuilt once: from now on the feed keeps it up to date


def test_no_private_marker_in_any_channel(world, client, municipality):  # type: ignore[no-untyped-def]
    store.rebuild()
    text = _all_text()
    dumps = ""
    for dataset in datasets():
        dump_dataset(dataset.name)
        for kind in (Dump.Kind.NTRIPLES, Dump.Kind.TURTLE):
            with default_storage.open(latest(dataset.name, kind).storage_name, "rb") as stream:
                dumps += gzip.decompress(stream.read()).decode("utf-8")
    public_holder = world["public_holder"]
    holder_page = client.get(f"/id/mandatarissen/{public_holder.uuid}", HTTP_ACCEPT="text/turtle")
    pages = (
        holder_page.content.decode()
        + client.get("/" + municipality.uri.split("/", 3)[3], HTTP_ACCEPT="text/turtle").content.decode()
        + client.get(f"/id/mandaten/{public_holder.mandate.uuid}", HTTP_ACCEPT="text/html").content.decode()
    )  # the HTML page of the mandate lists what points to it: its holders, from the public store only
    from loket.opendata.delta import STREAMS, publish_all
    from loket.opendata.models import DeltaDump, DeltaFile

    publish_all()  # the delta streams start (their dumps) …
    draft = world["draft_holder"]
    draft.start = date(2025, 2, 1)  # … and a private instance's change gives no file
    draft.save()
    jan = world["public_holder"]
    jan.start = date(2025, 1, 7)  # … a public one's does
    jan.save()
    publish_all()
    deltas = "".join(found.body for found in DeltaFile.objects.all())
    assert "2025-01-07" in deltas
    for found in DeltaDump.objects.all():
        with default_storage.open(found.storage_name, "rb") as stream:
            deltas += stream.read().decode("utf-8")
    for name in STREAMS:
        deltas += client.get(f"/sync/{name}/files").content.decode()
    assert f"/id/mandatarissen/{public_holder.uuid}" in pages  # the public holder points to its mandate …
    assert "Peeters" in text and "Peeters" in dumps and "Peeters" in deltas  # the public holder is there, by name …
    for marker in _markers(world):  # … and nothing private in any channel
        assert marker not in text, f"{marker} in the SPARQL store"
        assert marker not in dumps, f"{marker} in a dump"
        assert marker not in pages, f"{marker} on a public page"
        assert marker not in deltas, f"{marker} in a delta file or its dump"
    assert client.get(f"/id/mandatarissen/{world['draft_holder'].uuid}", HTTP_ACCEPT="text/turtle").status_code == 404


def test_dumps_are_the_projection_sorted_and_stable(world):  # type: ignore[no-untyped-def]
    first = dump_dataset("mandatarissen")
    nt = next(d for d in first.files if d.kind == Dump.Kind.NTRIPLES)
    with default_storage.open(nt.storage_name, "rb") as stream:
        body = gzip.decompress(stream.read())
    lines = body.decode().splitlines()
    assert lines == sorted(lines) and len(lines) == first.triples == len(set(lines))
    expected = Graph()
    for instance in dataset_instances("mandatarissen"):
        expected += stable_graph(instance)
    assert isomorphic(Graph().parse(data=body, format="nt"), expected)
    ttl = next(d for d in first.files if d.kind == Dump.Kind.TURTLE)
    with default_storage.open(ttl.storage_name, "rb") as stream:
        assert isomorphic(Graph().parse(data=gzip.decompress(stream.read()), format="turtle"), expected)
    second = dump_dataset("mandatarissen")
    assert [d.sha256 for d in second.files] == [d.sha256 for d in first.files]  # same data, same bytes
    dump_dataset("mandatarissen")
    dump_dataset("mandatarissen")
    assert Dump.objects.filter(dataset="mandatarissen", kind=Dump.Kind.NTRIPLES).count() == 3  # the last three
    assert not default_storage.exists(nt.storage_name)


def test_the_catalogue_describes_each_dump(world, client):  # type: ignore[no-untyped-def]
    dump_dataset("organisaties")
    response = client.get("/datasets", HTTP_ACCEPT="text/turtle")
    catalogue = Graph().parse(data=response.content, format="turtle")
    text = response.content.decode()
    assert "dcat:Catalog" in text and "dcat:byteSize" in text and "spdx:checksumValue" in text
    assert "modellicentie-gratis-hergebruik" in text
    dump = latest("organisaties", Dump.Kind.NTRIPLES)
    assert dump.sha256 in text and str(dump.size) in text
    assert len(list(catalogue.subjects(predicate=None, object=None))) > 0
    download = client.get(f"/datasets/organisaties/{Dump.Kind.NTRIPLES}")
    body = b"".join(download.streaming_content)
    assert download.status_code == 200 and len(body) == dump.size
    assert client.get("/datasets/bestaatniet/nt").status_code == 404
    assert b"Besturen" in client.get("/datasets").content


def test_sparql_protocol(world, client, settings):  # type: ignore[no-untyped-def]
    store.rebuild()
    query = "SELECT ?b WHERE { ?b a <http://data.vlaanderen.be/ns/besluit#Bestuurseenheid> } ORDER BY ?b"
    as_json = client.get("/sparql", {"query": query}, HTTP_ACCEPT="application/sparql-results+json")
    assert as_json.status_code == 200 and len(as_json.json()["results"]["bindings"]) >= 2
    as_xml = client.post("/sparql", {"query": query}, HTTP_ACCEPT="application/sparql-results+xml")
    assert b"<sparql" in as_xml.content and as_xml["Content-Type"].startswith("application/sparql-results+xml")
    direct = client.post("/sparql", data=query, content_type="application/sparql-query", HTTP_ACCEPT="text/csv")
    assert direct.content.decode().splitlines()[0] == "b"
    tsv = client.get("/sparql", {"query": query, "format": "tsv"})
    assert tsv.content.decode().splitlines()[0] == "?b"
    construct = "CONSTRUCT { ?b ?p ?o } WHERE { ?b a <http://data.vlaanderen.be/ns/besluit#Bestuurseenheid> ; ?p ?o }"
    for accept, parser in (
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ):
        graph = client.get("/sparql", {"query": construct}, HTTP_ACCEPT=accept)
        assert len(Graph().parse(data=graph.content, format=parser)) > 0
    ask = client.get("/sparql", {"query": "ASK { ?s ?p ?o }"})
    assert ask.json()["boolean"] is True
    refused = client.post("/sparql", {"update": "DROP ALL"})
    assert refused.status_code == 403 and "geen updates" in refused.content.decode()
    refused = client.post("/sparql", data="DROP ALL", content_type="application/sparql-update")
    assert refused.status_code == 403
    wrong = client.get("/sparql", {"query": "SELEKT ?x WHERE"})
    assert wrong.status_code == 400 and "geen geldige SPARQL" in wrong.content.decode()
    as_update = client.get("/sparql", {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert as_update.status_code == 400
    settings.LOKET_SPARQL_MAX_ROWS = 1
    capped = client.get("/sparql", {"query": query}, HTTP_ACCEPT="application/sparql-results+json")
    assert capped["X-Loket-Truncated"] == "true" and len(capped.json()["results"]["bindings"]) == 1
    page = client.get("/sparql")
    assert page.status_code == 200 and b"<textarea" in page.content
    html = client.get("/sparql", {"query": query, "format": "html"})
    assert html.status_code == 200 and b"<table" in html.content


def test_sparql_errors_are_in_the_requests_language_with_the_parsers_detail(  # type: ignore[no-untyped-def]
    client, settings, municipality, other_municipality
):
    """The messages of /sparql were Dutch whatever the language; the parser's own words stay as they are."""
    bad = "SELEKT ?x WHERE"
    not_built = {"query": "ASK { ?s ?p ?o }"}
    slow = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"}
    dutch, english = {}, {}
    for language, answers in (("nl", dutch), ("en", english)):
        client.cookies["django_language"] = language
        answers["not built"] = client.get("/sparql", not_built).content.decode()
    store.rebuild()
    settings.LOKET_SPARQL_TIMEOUT = 0.5
    for language, answers in (("nl", dutch), ("en", english)):
        client.cookies["django_language"] = language
        answers["bad"] = client.get("/sparql", {"query": bad}).content.decode()
        answers["bad page"] = client.get("/sparql", {"query": bad, "format": "html"}).content.decode()
        answers["slow"] = client.get("/sparql", slow).content.decode()

    dutch_sentence = "De query is geen geldige SPARQL 1.1-query: "
    english_sentence = "The query is not a valid SPARQL 1.1 query: "
    assert dutch["bad"].startswith(dutch_sentence) and english["bad"].startswith(english_sentence)
    detail = dutch["bad"].removeprefix(dutch_sentence)
    assert detail.strip() and english["bad"].removeprefix(english_sentence) == detail  # oxigraph's, unchanged
    assert escape(english_sentence + detail.strip()) in english["bad page"]
    assert escape(dutch_sentence + detail.strip()) in dutch["bad page"]
    assert dutch["slow"] == (
        "De query duurde langer dan 0.5 seconden en werd gestopt. Maak ze specifieker (LIMIT, meer voorwaarden).\n"
    )
    assert english["slow"] == (
        "The query took longer than 0.5 seconds and was stopped. Make it more specific (LIMIT, more conditions).\n"
    )
    assert dutch["not built"] == "De SPARQL-store is nog niet opgebouwd (manage.py opendata rebuild).\n"
    assert english["not built"] == "The SPARQL store has not been built yet (manage.py opendata rebuild).\n"


def test_a_construct_rdfxml_cannot_hold_is_a_406_naming_the_other_formats(client, municipality):  # type: ignore[no-untyped-def]
    """A CONSTRUCT may make any predicate; one that ends in no XML name made pyoxigraph write `<oxprefix:>`."""
    store.rebuild()
    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    odd = f"CONSTRUCT {{ ?b <http://example.org/veld/1> ?n }} WHERE {{ ?b {label} ?n }}"
    refused = client.get("/sparql", {"query": odd}, HTTP_ACCEPT="application/rdf+xml")
    assert refused.status_code == 406
    assert refused.content.decode() == (
        "RDF/XML kan deze gegevens niet weergeven: het predicaat <http://example.org/veld/1> eindigt niet op een naam "
        "die XML toelaat. Vraag een ander formaat: text/turtle (?format=turtle), application/ld+json "
        "(?format=jsonld), application/n-triples (?format=ntriples).\n"
    )
    turtle = client.get("/sparql", {"query": odd}, HTTP_ACCEPT="text/turtle")
    assert turtle.status_code == 200 and len(Graph().parse(data=turtle.content, format="turtle")) >= 1
    fine = client.get(
        "/sparql", {"query": f"CONSTRUCT {{ ?b {label} ?n }} WHERE {{ ?b {label} ?n }}", "format": "rdfxml"}
    )
    assert fine.status_code == 200 and len(Graph().parse(data=fine.content, format="xml")) >= 1


def test_a_query_that_runs_too_long_is_stopped(world, client, settings):  # type: ignore[no-untyped-def]
    store.rebuild()
    settings.LOKET_SPARQL_TIMEOUT = 0.5
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    response = client.get("/sparql", {"query": slow})
    assert response.status_code == 503 and "langer dan 0.5 seconden" in response.content.decode()
    settings.LOKET_SPARQL_TIMEOUT = 10
    again = client.get("/sparql", {"query": "ASK { ?s ?p ?o }"}, HTTP_ACCEPT="application/sparql-results+json")
    assert again.status_code == 200 and again.json()["boolean"] is True  # a new query process took over


def test_a_query_that_needs_too_much_memory_is_stopped(world, client, settings):  # type: ignore[no-untyped-def]
    """A sort over a cross product grew by about 220 MB a second until the time limit (6-7 GB in 30 s): stopped at
    LOKET_SPARQL_MAX_MEMORY_MB, long before the time limit, with a 503 that says why; the next query runs."""

    store.rebuild()
    settings.LOKET_SPARQL_MAX_MEMORY_MB = 256  # opening the store takes about 80 MB
    settings.LOKET_SPARQL_TIMEOUT = 20  # well past the memory limit: the 503 must say memory, not time
    greedy = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    response = client.get("/sparql", {"query": greedy})
    assert response.status_code == 503, response.content[:300]
    assert "meer dan 256 MB geheugen" in response.content.decode()
    again = client.get("/sparql", {"query": "ASK { ?s ?p ?o }"}, HTTP_ACCEPT="application/sparql-results+json")
    assert again.status_code == 200, again.content.decode()
    assert again.json()["boolean"] is True  # a new query process took over


def test_the_query_process_lives_on_and_sees_every_write(world, municipality):  # type: ignore[no-untyped-def]
    """Queries reuse one read-only child per server process (no fork and store opening per query, which was most of a
    small query's time against Virtuoso); it reopens the store when the writer marks a new generation."""
    import os

    from loket.opendata import sparql

    store.rebuild()
    name = f"SELECT ?n WHERE {{ <{municipality.uri}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?n }}"
    assert run_query(name, result_format="csv").body.decode().splitlines() == ["n", municipality.name]
    child = sparql._PROCESS[os.getpid()].process.pid
    municipality.name = "Aalst-Nieuw"
    municipality.save()
    store.sync()  # a write: the next query must see it
    assert run_query(name, result_format="csv").body.decode().splitlines() == ["n", "Aalst-Nieuw"]
    assert sparql._PROCESS[os.getpid()].process.pid == child  # the same child answered both


def test_too_many_queries_are_refused_for_a_while(world, client, settings):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    store.rebuild()
    cache.clear()
    settings.LOKET_SPARQL_RATE_LIMIT = 2
    answers = [client.get("/sparql", {"query": "ASK { ?s ?p ?o }"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_no_store_yet_is_a_503_that_says_what_to_do(client):  # type: ignore[no-untyped-def]
    response = client.get("/sparql", {"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 503 and "opendata rebuild" in response.content.decode()
