"""The code lists as a public dataset (`codelijsten`): one instance per concept scheme of `data/codelists/*.ttl`,
loaded by the migration; its dump is the files' schemes and concepts; it is in the DCAT catalogue and the SPARQL
store; `manage.py opendata codelists` brings the rows up to date (through the change feed)."""

import gzip

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS

from loket.opendata import store
from loket.opendata.codelists import codelists_sync, schemes_from_files
from loket.opendata.dumps import dump_dataset, latest
from loket.opendata.models import CodeList, FeedEntry
from loket.opendata.sparql import run_query

pytestmark = pytest.mark.django_db

MUNICIPALITY = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000001"


def test_the_dump_is_every_scheme_of_the_files(client):  # type: ignore[no-untyped-def]
    files = schemes_from_files()
    assert len(files) >= 30 and CodeList.objects.count() == len(files)
    assert codelists_sync() == (0, 0, 0)  # the migration loaded what the files say
    dump_dataset("codelijsten")
    with default_storage.open(latest("codelijsten", "nt").storage_name, "rb") as stream:
        dumped = Graph().parse(data=gzip.decompress(stream.read()), format="nt")
    expected = Graph()
    for _label, content in files.values():
        expected.parse(data=content, format="nt")
    assert set(dumped) == set(expected)
    assert (URIRef(MUNICIPALITY), SKOS.prefLabel, Literal("Gemeente")) in dumped
    assert (URIRef(MUNICIPALITY), SKOS.inScheme, None) in dumped
    catalogue = Graph().parse(data=client.get("/datasets", HTTP_ACCEPT="text/turtle").content, format="turtle")
    [dataset] = catalogue.subjects(DCTERMS.identifier, Literal("codelijsten"))
    assert (dataset, RDF.type, DCAT.Dataset) in catalogue
    assert len(list(catalogue.objects(dataset, DCAT.distribution))) == 2


def test_the_store_answers_and_a_changed_file_reaches_the_feed(settings):  # type: ignore[no-untyped-def]
    store.rebuild()
    answer = run_query(
        f"SELECT DISTINCT ?label WHERE {{ <{MUNICIPALITY}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}",
        result_format="csv",
    )
    assert answer.body.decode().splitlines() == ["label", "Gemeente"]
    row = CodeList.objects.order_by("uri").first()
    row.content = row.content.splitlines()[0] + "\n"  # as if the file had changed since
    row.save()
    before = FeedEntry.objects.filter(dataset="codelijsten").count()
    call_command("opendata", "codelists")
    assert FeedEntry.objects.filter(dataset="codelijsten").count() == before + 1
    assert codelists_sync() == (0, 0, 0)
