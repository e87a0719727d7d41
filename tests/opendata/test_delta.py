"""The real Loket's delta streams (`/sync/<stream>/files`, `/files/<id>/download`, the initial dump found by its
`dct:subject`), followed by a consumer written to the documented protocol of `lblod/delta-consumer` (that service is a
mu-semtech Docker container and cannot run here): initial sync from the dump, then poll `files?since=`, download each
file, apply each changeset's deletes then its inserts to an rdflib graph. After changes — a rename that reaches other
instances, a new mandate holder, a holder no longer public, deletions, a second holder of the same person deleted —
the consumer's graph equals the database's projection. The file format is checked against the documented shapes."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from rdflib import Graph, Literal, URIRef

from loket.mandates.codes import Publication, RoleCode
from loket.mandates.models import Holder
from loket.opendata import delta
from loket.opendata.models import DeltaFile
from loket.opendata.projection import dataset_instances
from loket.persons.services import person_create
from tests.mandates.conftest import mandate, rrn
from tests.opendata.test_channels import world  # noqa: F401 - the shared small world

pytestmark = pytest.mark.django_db

JSON_API = "application/vnd.api+json"


def expected(stream: str) -> Graph:
    """The database's projection of the stream's dataset, as the stream publishes it."""
    lines = set()
    for instance in dataset_instances(delta.STREAMS[stream].dataset):
        lines.update(delta.published_lines(instance))
    return Graph().parse(data="\n".join(sorted(lines)), format="nt")


def _node(term: dict):  # type: ignore[no-untyped-def, type-arg]
    assert set(term) <= {"type", "value", "datatype", "xml:lang"}, term
    if term["type"] == "uri":
        return URIRef(term["value"])
    assert term["type"] in ("literal", "typed-literal"), term
    if "xml:lang" in term:
        return Literal(term["value"], lang=term["xml:lang"])
    if "datatype" in term:
        return Literal(term["value"], datatype=URIRef(term["datatype"]))
    return Literal(term["value"])


class Consumer:
    """A delta consumer to the documented protocol: initial sync from the dump, then the files in order."""

    def __init__(self, client, stream: str) -> None:  # type: ignore[no-untyped-def]
        self.client, self.stream = client, stream
        self.graph = Graph()
        self.since: str | None = None
        self.files: list[str] = []

    def initial_sync(self) -> None:
        subject = delta.STREAMS[self.stream].subject
        found = self.client.get(
            f"/datasets?filter[subject]={subject}&filter[:has-no:next-version]=yes", HTTP_ACCEPT=JSON_API
        )
        assert found.status_code == 200 and found["Content-Type"] == JSON_API
        [dataset] = found.json()["data"]
        assert dataset["attributes"]["subject"] == subject
        related = dataset["relationships"]["distributions"]["links"]["related"]
        distribution = self.client.get(f"{related}?include=subject", HTTP_ACCEPT=JSON_API).json()
        file_id = distribution["data"][0]["relationships"]["subject"]["data"]["id"]
        body = self.client.get(f"/files/{file_id}/download")
        assert body.status_code == 200 and body["Content-Type"].startswith("text/turtle")
        self.graph.parse(data=b"".join(body.streaming_content).decode(), format="turtle")
        self.since = dataset["attributes"]["release-date"]

    def poll(self) -> int:
        applied = 0
        while True:
            query = f"?since={self.since}" if self.since else ""
            answer = self.client.get(f"/sync/{self.stream}/files{query}", HTTP_ACCEPT=JSON_API)
            assert answer.status_code == 200, answer.content
            files = answer.json()["data"]
            if not files:
                return applied
            created = [item["attributes"]["created"] for item in files]
            assert created == sorted(created)  # ascending
            for item in files:
                assert item["type"] == "files" and item["attributes"]["name"].endswith(".json")
                download = self.client.get(f"/files/{item['id']}/download")
                assert download.status_code == 200 and download["Content-Type"] == "application/json"
                changesets = json.loads(download.content)
                assert 1 <= len(changesets) <= delta.MAX_CHANGESETS_PER_FILE
                for changeset in changesets:
                    assert set(changeset) == {"inserts", "deletes"}
                    for key in ("deletes", "inserts"):  # deletes first
                        assert len(changeset[key]) <= delta.MAX_TRIPLES_PER_LIST
                        for triple in changeset[key]:
                            node = (_node(triple["subject"]), _node(triple["predicate"]), _node(triple["object"]))
                            (self.graph.remove if key == "deletes" else self.graph.add)(node)
                self.files.append(item["id"])
                self.since = item["attributes"]["created"]
                applied += 1


def test_a_consumer_follows_the_mandates_stream_to_the_projection(world, client, clerk, municipality):  # type: ignore[no-untyped-def]  # noqa: F811
    delta.publish_all()  # starts the streams: the initial dumps
    consumer = Consumer(client, "mandatarissen")
    consumer.initial_sync()
    assert len(consumer.graph) > 0
    assert set(consumer.graph) == set(expected("mandatarissen"))
    assert consumer.poll() == 0  # nothing changed yet

    jan = world["public_holder"]
    second = Holder.objects.create(  # the same person in a second mandate: his name is published twice
        person=jan.person,
        mandate=mandate(municipality, RoleCode.ALDERMAN),
        start=date_(2025, 1, 6),
        status="effectief",
        publication=Publication.NOT_RATIFIED,
    )
    piet = person_create(
        actor=clerk, given_names="Piet", family_name="Pieters", national_number=rrn(date_(1960, 5, 5), 3)
    )
    pieters = Holder.objects.create(
        person=piet,
        mandate=mandate(municipality, RoleCode.COUNCILLOR),
        start=date_(2025, 1, 6),
        status="effectief",
        publication=Publication.NOT_RATIFIED,
    )
    municipality.name = "Aalst-aan-de-Dender"  # reaches every organ's label
    municipality.save()
    assert delta.publish_all() >= 1
    assert consumer.poll() >= 1
    assert set(consumer.graph) == set(expected("mandatarissen"))
    assert (None, None, Literal("Pieters")) in consumer.graph

    second.delete()  # the person's name stays: the first mandate still publishes it
    pieters.publication = Publication.DRAFT  # no longer public
    pieters.save()
    delta.publish_all()
    consumer.poll()
    assert set(consumer.graph) == set(expected("mandatarissen"))
    assert (None, None, Literal("Peeters")) in consumer.graph
    assert (None, None, Literal("Pieters")) not in consumer.graph
    assert not list(consumer.graph.triples((URIRef(second.uri), None, None)))

    jan.delete()
    delta.publish_all()
    consumer.poll()
    assert set(consumer.graph) == set(expected("mandatarissen"))
    assert (None, None, Literal("Peeters")) not in consumer.graph

    late = Consumer(client, "mandatarissen")  # a late consumer: the dump made at the start, then every file
    late.initial_sync()
    late.poll()
    assert set(late.graph) == set(consumer.graph)


def date_(year: int, month: int, day: int):  # type: ignore[no-untyped-def]
    from datetime import date

    return date(year, month, day)


def test_files_strictly_after_since_at_most_ten_changesets_each(world, client, clerk, municipality):  # type: ignore[no-untyped-def]  # noqa: F811
    delta.publish_all()
    councillor = mandate(municipality, RoleCode.COUNCILLOR)
    for number in range(12):  # twelve changes in one run: two files (ten changesets, then two)
        person = person_create(
            actor=clerk,
            given_names="Lid",
            family_name=f"Nummer{number}",
            national_number=rrn(date_(1970, 1, 1), 20 + number),
        )
        Holder.objects.create(
            person=person,
            mandate=councillor,
            start=date_(2025, 1, 6),
            status="effectief",
            publication=Publication.NOT_RATIFIED,
        )
    assert delta.publish_all() == 2
    files = list(DeltaFile.objects.filter(stream="mandatarissen").order_by("created"))
    assert [len(json.loads(f.body)) for f in files] == [10, 2]
    listed = client.get("/sync/mandatarissen/files").json()["data"]
    assert [item["id"] for item in listed] == [str(f.id) for f in files]
    first = listed[0]["attributes"]["created"]
    after = client.get(f"/sync/mandatarissen/files?since={first}").json()["data"]
    assert [item["id"] for item in after] == [str(files[1].id)]  # strictly after
    assert client.get("/sync/leidinggevenden/files").json() == {"data": []}


def test_large_changes_are_split_deletes_first():  # type: ignore[no-untyped-def]
    deletes = [f'<http://e.x/s> <http://e.x/p> "d{n}" .' for n in range(250)]
    inserts = [f'<http://e.x/s> <http://e.x/p> "i{n}"@nl .' for n in range(130)]
    changesets = delta._changesets(deletes, inserts, "http://e.x/g")
    assert [(len(c["deletes"]), len(c["inserts"])) for c in changesets] == [
        (100, 0),
        (100, 0),
        (50, 0),
        (0, 100),
        (0, 30),
    ]
    term = changesets[3]["inserts"][0]["object"]
    assert term["type"] == "literal" and term["xml:lang"] == "nl"
    small = delta._changesets(deletes[:2], inserts[:1], "http://e.x/g")
    assert len(small) == 1 and small[0]["inserts"][0]["graph"] == {"type": "uri", "value": "http://e.x/g"}


def test_bad_input_is_a_clear_4xx(client):  # type: ignore[no-untyped-def]
    unknown = client.get("/sync/bestaatniet/files")
    assert unknown.status_code == 404 and "mandatarissen" in unknown.json()["errors"][0]["title"]
    for since in ("gisteren", "2026-13-45T00:00:00Z", "", "1' OR 1=1"):
        answer = client.get("/sync/mandatarissen/files", {"since": since})
        assert answer.status_code == 400, since
        assert "ISO 8601" in answer.json()["errors"][0]["title"]
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    answer = client.get("/sync/mandatarissen/files", {"since": future})
    assert answer.status_code == 400 and "toekomst" in answer.json()["errors"][0]["title"]
    assert client.get("/sync/mandatarissen/files", {"since": "2020-01-01T00:00:00+02:00"}).status_code == 200
    assert client.get("/files/00000000-0000-0000-0000-000000000000/download").status_code == 404
    assert client.get("/datasets?filter[subject]=http://e.x/none", HTTP_ACCEPT=JSON_API).json() == {"data": []}
    assert client.get("/datasets/geen-uuid/distributions").status_code == 404


def test_the_submissions_and_leidinggevenden_streams_follow_the_demo_data(client):  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from loket.accounts.models import User
    from loket.organisations.models import Organisation
    from loket.supervision.demo import demo_submissions_create
    from loket.supervision.models import Submission
    from loket.supervision.services import submission_deliver

    call_command("load_demo", submissions=1, stdout=open("/dev/null", "w"))
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from loket.opendata.tasks import rebuild_store

    # The demo's bulk loads bypass the feed: the worker is given a first rebuild of the store (once).
    call_command("load_demo", stdout=open("/dev/null", "w"))
    queued = DBTaskResult.objects.filter(task_path=rebuild_store.module_path, status=TaskResultStatus.READY)
    assert queued.count() == 1
    streams = [delta.STREAMS[name] for name in ("submissions", "leidinggevenden")]
    for stream in streams:  # (not mandatarissen: the demo's organs are many, and the other test follows that one)
        delta.publish(stream)
    consumers = {name: Consumer(client, name) for name in ("submissions", "leidinggevenden")}
    for name, consumer in consumers.items():
        consumer.initial_sync()
        assert set(consumer.graph) == set(expected(name)), name
    [first] = Submission.objects.filter(status="sent", is_public=True)
    assert (URIRef(first.uri), None, None) in consumers["submissions"].graph
    aalst = Organisation.objects.get(name="Aalst", kind__category="municipality")
    [second] = demo_submissions_create(
        organisation=aalst, actor=User.objects.get(username="dev:gert-gemeente"), count=1
    )
    assert second.is_public
    submission_deliver(submission_id=second.pk)  # the worker's delivery writes the feed entry that publishes it
    assert sum(delta.publish(stream) for stream in streams) >= 1
    consumers["submissions"].poll()
    assert set(consumers["submissions"].graph) == set(expected("submissions"))
    assert (URIRef(second.uri), None, None) in consumers["submissions"].graph
    assert consumers["leidinggevenden"].poll() == 0


def test_the_worker_writes_the_files_after_a_change(world, client, run_worker, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]  # noqa: F811
    delta.publish_all()  # the streams have started
    jan = world["public_holder"]
    with django_capture_on_commit_callbacks(execute=True):  # the change's commit queues the worker's sync
        jan.start = date_(2025, 1, 9)
        jan.save()
    assert client.get("/sync/mandatarissen/files").json() == {"data": []}
    run_worker()  # the real worker: store sync, versions, delta files
    [listed] = client.get("/sync/mandatarissen/files").json()["data"]
    body = json.loads(client.get(f"/files/{listed['id']}/download").content)
    changed = [
        (t["object"]["value"][:10], key) for changeset in body for key in ("deletes", "inserts") for t in changeset[key]
    ]
    assert ("2025-01-06", "deletes") in changed and ("2025-01-09", "inserts") in changed
