"""Every URI under our own base that a published graph points to dereferences: a walk from the demo data's public
graphs (one organisation of every kind, Aalst, and the decision lists load_demo sends) through every URI under
LOKET_URI_BASE they mention, recursively, each answered 200 with RDF (or a deliberate 410)."""

from collections import deque

import pytest
from django.conf import settings
from django.core.management import call_command
from rdflib import Graph, URIRef

from loket.accounts.models import User
from loket.organisations.models import Organisation
from loket.supervision.demo import DEMO_PDF, demo_submissions_top_up
from loket.supervision.models import Submission

pytestmark = pytest.mark.django_db

FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}


def start_uris() -> list[str]:
    # the current form (v2) and a concept kept on v1 (with a file and a link), two of each
    call_command("load_demo", submissions=4, stdout=open("/dev/null", "w"))
    aalst_body = Organisation.objects.get(name="Aalst", kind__category="municipality")
    # `make run` runs load_demo --submissions N on every start: it tops up to N, it does not send N more
    gert = User.objects.get(username="dev:gert-gemeente")
    assert demo_submissions_top_up(organisation=aalst_body, actor=gert, at_least=4) == []
    assert demo_submissions_top_up(organisation=aalst_body, actor=gert, at_least=3) == []
    one_per_kind = {}
    for organisation in Organisation.objects.select_related("kind").order_by("pk"):
        one_per_kind.setdefault(organisation.kind_id, organisation.uri)
    aalst = Organisation.objects.get(name="Aalst", kind__category="municipality").uri
    submissions = [s.uri for s in Submission.objects.filter(status="sent", is_public=True)]
    assert len(submissions) == 4 and len(one_per_kind) >= 10
    return [*one_per_kind.values(), aalst, *submissions]


def ours(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(settings.LOKET_URI_BASE + "/")


def test_every_uri_under_our_base_in_the_public_graphs_dereferences(client, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_TOEZICHT_FORM = ""  # new concepts on the current form
    queue = deque(start_uris())
    seen: dict[str, int] = {}
    kinds: set[str] = set()
    downloads = []
    while queue:
        uri = queue.popleft()
        if uri in seen:
            continue
        path = uri.removeprefix(settings.LOKET_URI_BASE)
        response = client.get(path, HTTP_ACCEPT="text/turtle")
        seen[uri] = response.status_code
        if response.status_code != 200:
            continue
        kinds.add(path.split("/")[1])
        media_type = response["Content-Type"].split(";")[0]
        assert media_type in FORMATS, (uri, media_type)
        if path.startswith("/loket/forms/"):
            continue  # the form definition: a specification, not data (its field URIs name form parts)
        graph = Graph().parse(data=response.content, format=FORMATS[media_type])
        assert (URIRef(uri), None, None) in graph, f"{uri} describes something else"
        for triple in graph:
            for term in triple:
                if ours(term) and str(term) not in seen:
                    queue.append(str(term))
        downloads += [str(o) for o in graph.objects(URIRef(uri), URIRef("http://www.w3.org/ns/dcat#downloadURL"))]
    assert {uri: status for uri, status in seen.items() if status not in (200, 410)} == {}
    # the walk reached every kind of resource a submission points to
    assert {"id", "submissions", "form-data", "submission-documents", "files", "remote-url", "loket"} <= kinds
    walked = [uri for uri, status in seen.items() if status == 200]
    assert any("/periode/" in uri for uri in walked) and any("/form-data/nodes/" in uri for uri in walked)  # v2
    assert downloads and all(b"".join(client.get(url).streaming_content) == DEMO_PDF for url in downloads)


def test_unpublished_and_outdated_resources(client, settings):  # type: ignore[no-untyped-def]
    assert client.get("/form-data/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/files/00000000-0000-0000-0000-000000000000/download").status_code == 404
    response = client.get("/loket/forms/toezicht-v1.ttl@0000000000000000")
    assert response.status_code == 410 and "toezicht-v1.ttl@" in response.content.decode()
