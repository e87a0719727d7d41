"""The RDF Data Cube passes the W3C integrity constraints IC-1 … IC-21 (run as SPARQL ASK by Oxigraph), over two
bodies and two periods with empty cells; breaking the cube is caught (the check can fail). Content negotiation
gives the cube to the body and the agency; public only when the agency publishes, and then only confirmed figures."""

import pytest
from django.urls import reverse
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from loket.core.linkeddata import graph_for
from loket.personnel.models import EmployeePeriodSlice, PersonnelPeriod
from loket.personnel.rdf import QB, SDMX_DIMENSION, cube_graph, period_graph
from loket.personnel.services import figures_save, period_confirm, period_open
from tests.personnel.conftest import full_entries
from tests.personnel.qb_constraints import store_of, violations

pytestmark = pytest.mark.django_db


@pytest.fixture
def cube(municipality, other_municipality, clerk, period) -> Graph:  # type: ignore[no-untyped-def]
    period_open(year=2025)
    last = PersonnelPeriod.objects.get(year=2025)
    figures_save(actor=clerk, organisation=municipality, period=last, entries=full_entries(heads=3, fte="2.25"))
    entries = full_entries()
    del entries[("koppen", 40)], entries[("vte", 47)]  # not filled: no observation
    figures_save(actor=clerk, organisation=municipality, period=period, entries=entries)
    figures_save(actor=clerk, organisation=other_municipality, period=period, entries={("koppen", 0): "1"})
    graph = cube_graph(EmployeePeriodSlice.objects.select_related("dataset__organisation", "period"))
    return graph


def _ntriples(graph: Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


def test_the_cube_passes_ic_1_to_21(cube):  # type: ignore[no-untyped-def]
    observations = set(cube.subjects(RDF.type, QB.Observation))
    assert len(observations) == 96 + 94 + 1
    assert violations(store_of(_ntriples(cube), normalise=False)) == []
    assert violations(store_of(_ntriples(cube))) == []
    one = next(iter(observations))
    assert set(cube.objects(one, RDF.type)) == {
        QB.Observation,
        URIRef("http://lblod.data.gift/vocabularies/employee/EmployeeObservation"),
    }
    assert str(one).startswith("http://data.lblod.info/employee-observations/")


@pytest.mark.parametrize(
    ("break_it", "violated"),
    [
        (lambda g, o: g.remove((o, QB.dataSet, None)), "IC-1 Unique DataSet"),
        (lambda g, o: g.remove((o, SDMX_DIMENSION.sex, None)), "IC-11 All dimensions required"),
        (
            lambda g, o: g.remove((o, URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue"), None)),
            "IC-14 All measures present",
        ),
        (
            lambda g, o: g.remove((o, URIRef("http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"), None)),
            "IC-13 Required attributes",
        ),
        (
            lambda g, o: g.set(
                (o, SDMX_DIMENSION.sex, URIRef("http://publications.europa.eu/resource/authority/human-sex/NKN"))
            ),
            "IC-19 Codes from code list",
        ),
    ],
)
def test_a_broken_cube_is_caught(cube, break_it, violated):  # type: ignore[no-untyped-def]
    observation = sorted(cube.subjects(RDF.type, QB.Observation))[0]
    break_it(cube, observation)
    assert violated in violations(store_of(_ntriples(cube)))


def test_duplicate_observations_are_caught(cube):  # type: ignore[no-untyped-def]
    # two observations of one slice (same dataset and period), chosen in a fixed order: the first observation in
    # sorted order can be alone in a slice, which made this test fail with an IndexError now and then
    slices = sorted(set(cube.subjects(QB.observation, None)))
    first, second = next(
        sorted(cube.objects(node, QB.observation))[:2]
        for node in slices
        if len(set(cube.objects(node, QB.observation))) >= 2
    )
    dataset = cube.value(first, QB.dataSet)
    for predicate, value in list(cube.predicate_objects(first)):
        if predicate != QB.dataSet:
            cube.set((second, predicate, value))
    cube.set((second, QB.dataSet, dataset))
    assert "IC-12 No duplicate observations" in violations(store_of(_ntriples(cube)))


def test_the_slice_mapping_and_the_agency_period_pass_too(municipality, clerk, period):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries=full_entries())
    s = EmployeePeriodSlice.objects.get(dataset__organisation=municipality, dataset__unit="vte")
    assert violations(store_of(_ntriples(graph_for(s)))) == []
    assert violations(store_of(_ntriples(period_graph(period)))) == []


def test_content_negotiation_for_the_body_and_the_agency(client, clerk, agency_clerk, stranger, municipality, period):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 0): "7"})
    client.force_login(clerk)
    response = client.get(reverse("personnel:table", args=[2026]), HTTP_ACCEPT="text/turtle")
    assert response["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content, format="turtle")
    assert len(set(graph.subjects(RDF.type, QB.Observation))) == 1
    client.force_login(stranger)  # their own body: no values of Aalst
    graph = Graph().parse(
        data=client.get(reverse("personnel:table", args=[2026]), {"format": "turtle"}).content, format="turtle"
    )
    assert len(set(graph.subjects(RDF.type, QB.Observation))) == 0
    client.force_login(agency_clerk)
    response = client.get(reverse("personnel:agency-period", args=[2026]), HTTP_ACCEPT="application/n-triples")
    assert response.status_code == 200 and b"employee-observations" in response.content


def test_not_public_unless_the_agency_publishes_and_then_only_confirmed(client, clerk, municipality, period, settings):  # type: ignore[no-untyped-def]
    figures_save(actor=clerk, organisation=municipality, period=period, entries=full_entries())
    url = reverse("personnel:open-data", args=[2026])
    settings.LOKET_PERSONNEL_PUBLISH_CONFIRMED = False
    assert client.get(url).status_code == 404
    settings.LOKET_PERSONNEL_PUBLISH_CONFIRMED = True
    graph = Graph().parse(data=client.get(url).content, format="turtle")
    assert len(set(graph.subjects(RDF.type, QB.Observation))) == 0  # nothing confirmed yet
    period_confirm(actor=clerk, organisation=municipality, period=period)
    figures_save(actor=clerk, organisation=municipality, period=period, entries={("koppen", 0): "9"})  # not confirmed
    graph = Graph().parse(data=client.get(url).content, format="turtle")
    assert len(set(graph.subjects(RDF.type, QB.Observation))) == 96
    values = {str(v) for v in graph.objects(None, URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue"))}
    assert "9" not in values
    assert violations(store_of(_ntriples(graph))) == []
