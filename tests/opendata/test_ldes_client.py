"""The npm `ldes-client` (TREEcg, pinned in package.json, installed by `make node` into var/node) follows our change
feed over HTTP: it replicates `organisaties` from a running server, the latest version of every member equals the
database's projection; after 50 changes (one a deletion) it resumes from its saved state and receives exactly those 50.

Needs Node and `make node`; skipped without them, except under CI (`CI=true`), where the test must run."""

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from loket.opendata.ldes import materialize
from tests.opendata.test_ldes import assert_latest_versions_are_the_database, passing_organisation, rename

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "var" / "node" / "node_modules" / ".bin" / "ldes-client"
AS_TOMBSTONE = URIRef("https://www.w3.org/ns/activitystreams#Tombstone")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client_cli() -> Path:
    if shutil.which("node") is None or not CLIENT.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("the ldes-client test must run under CI: install Node and run `make node`")
        pytest.skip("Node or var/node (make node) missing: the ldes-client is not installed")
    return CLIENT


def _log_level() -> dict[str, str]:
    return {**os.environ, "LOG_LEVEL": os.environ.get("LOKET_LDES_CLIENT_LOG", "warn")}


def _versions(output: str) -> Graph:
    graph = Graph()
    graph.parse(data=output, format="turtle")
    return graph


def replicate(cli: Path, url: str, state: Path) -> Graph:
    """The first run, without --follow: the client reads the stream to its end, prints every member and saves its state
    (the pages it read, immutable ones to skip, mutable ones to poll again) in `state`."""
    done = subprocess.run(
        [str(cli), url, "--save", str(state), "--ordered", "ascending"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=state.parent,
        env=_log_level(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return _versions(done.stdout)


def resume(cli: Path, url: str, state: Path, *, expect: int, quiet_seconds: float = 3.0) -> Graph:
    """A later run from the saved state. The client re-reads the mutable pages only when it follows (`--follow`: a
    run without it ends after the immutable root page, which it skips), so it follows until `expect` members have
    arrived and then for `quiet_seconds` more (several poll cycles), to see that nothing else comes; then it is
    stopped."""
    process = subprocess.Popen(
        [str(cli), url, "--save", str(state), "--ordered", "ascending", "--follow", "--poll-interval", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=state.parent,
        env=_log_level(),
    )
    chunks: list[str] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(process.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                arrived = len(set(_versions("".join(chunks)).subjects(DCTERMS.isVersionOf, None)))
            except Exception:  # a member half printed: look again
                arrived = 0
            if arrived >= expect:
                break
            time.sleep(0.3)
        time.sleep(quiet_seconds)
        assert process.poll() is None, process.stderr.read()[-2000:]  # type: ignore[union-attr]
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=10)
    return _versions("".join(chunks))


def test_the_ldes_client_replicates_then_resumes_with_exactly_the_new_changes(
    live_server, settings, tmp_path, client_cli, municipality, other_municipality, target_group
):  # type: ignore[no-untyped-def]
    settings.LOKET_SITE_URL = live_server.url
    settings.LOKET_LDES_PAGE_SIZE = 7
    passing = passing_organisation(target_group)
    for round_ in range(5):
        for organisation in (municipality, other_municipality):
            rename(organisation, round_)
    materialize()
    url = f"{live_server.url}/streams/ldes/organisaties"
    state = tmp_path / "state"
    first = replicate(client_cli, url, state)
    versions = set(first.subjects(DCTERMS.isVersionOf, None))
    assert len(versions) >= 13
    assert_latest_versions_are_the_database(first, "organisaties")

    for round_ in range(49):  # 49 changes …
        organisation = municipality if round_ % 2 else other_municipality
        organisation.name = f"{organisation.name.split(' #')[0]} #{round_ + 10}"
        organisation.save()
    passing.delete()  # … and a deletion: 50
    materialize()
    second = resume(client_cli, url, state, expect=50)
    received = set(second.subjects(DCTERMS.isVersionOf, None))
    assert len(received) == 50
    assert not received & versions
    tombstones = [m for m in received if (m, RDF.type, AS_TOMBSTONE) in second]
    assert len(tombstones) == 1 and second.value(tombstones[0], DCTERMS.isVersionOf) == URIRef(passing.uri)
    assert not set(
        resume(client_cli, url, state, expect=0, quiet_seconds=5).subjects(DCTERMS.isVersionOf, None)
    )  # nothing new
