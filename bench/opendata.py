"""Benchmark of the open data at issue 17's scale (prints numbers; not a timed test). See bench/README.md.

Run: `.venv/bin/python bench/opendata.py [--reset] [--only rebuild|conneg|ldes|dump|sparql] [--no-load]`. Uses the
PostgreSQL database `loket_bench_opendata` on 127.0.0.1 (created when missing; `DATABASE_URL` wins) and a store in
`var/bench/sparql-opendata`. Generates once (bulk inserts, about 2 min): the 3,737 real organisations, the decretal
organs of every unit, 60,000 holder versions, every body's leading functions with an official, 100,000 sent
submissions with form data of the real form's shape. Then measures:
1. `manage.py opendata rebuild` in a process of its own (seconds, peak RSS);
2. content negotiation of organisation, holder-version and submission URIs as Turtle: p50/p95;
3. the change feed: `--renames` organisation renames materialised as LDES versions, then LDES pages: p50/p95;
4. every dataset's dumps regenerated, each in a process of its own: seconds and peak RSS;
5. ten SPARQL queries over HTTP against our /sparql (gunicorn) and Virtuoso 7.2 (bench/virtuoso.sh) loaded with the
   same N-Triples dumps: 3 warm-ups, 20 runs, medians, ratio, results compared as multisets.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

from _postgres import prepare_database
from _stats import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_opendata")
os.environ.setdefault("LOKET_SIGNING_KEY_FILE", str(ROOT / "var" / "bench" / "ledger-ed25519.pem"))
os.environ.setdefault("LOKET_MEDIA_ROOT", str(ROOT / "var" / "bench" / "media-opendata"))
os.environ.setdefault("LOKET_SPARQL_STORE_DIR", str(ROOT / "var" / "bench" / "sparql-opendata"))

QUERIES = {
    "organisations with classification": (
        "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?b ?naam ?c WHERE { ?b a besluit:Bestuurseenheid ; skos:prefLabel ?naam ; besluit:classificatie ?c }"
    ),
    "governing bodies per organisation (count)": (
        "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> "
        "SELECT ?b (COUNT(?o) AS ?n) WHERE { ?o besluit:bestuurt ?b } GROUP BY ?b ORDER BY DESC(?n) LIMIT 20"
    ),
    "mandates of one council": (
        "PREFIX org: <http://www.w3.org/ns/org#> PREFIX mandaat: <http://data.vlaanderen.be/ns/mandaat#> "
        "SELECT ?m ?rol WHERE { ?o org:hasPost ?m . ?m org:role ?rol } LIMIT 100"
    ),
}


def setup() -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = os.environ["LOKET_MEDIA_ROOT"]
    settings.LOKET_OPENDATA_SETTLE_SECONDS = 0
    settings.LOKET_SPARQL_RATE_LIMIT = 10**6
    call_command("migrate", verbosity=0, interactive=False)
    ensure_data()


# Data at issue 17's scale ----------------------------------------------------------------------------------------

HOLDER_VERSIONS = 60_000
FORM_DATA_SQL = """
UPDATE supervision_submission AS s SET form_data_nt = concat_ws(E'\\n',
  format('<%1$s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <%2$s> .', f.node, t.uri),
  format('<%1$s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>'
         ' <https://data.vlaanderen.be/id/concept/BesluitType/bench-%2$s> .', f.node,
         get_byte(decode(md5(s.uuid::text || 'bt'), 'hex'), 0) % 24),
  format('<%1$s> <http://data.europa.eu/eli/ontology#passed_by> <%2$s/periode/2024> .', f.node, g.classification_uri),
  format('<%1$s> <http://data.europa.eu/eli/ontology#is_about> <%2$s> .', f.node, o.uri),
  format('<%1$s> <http://data.europa.eu/eli/ontology#date_publication>'
         ' "%2$s"^^<http://www.w3.org/2001/XMLSchema#date> .', f.node, s.session_date + 3),
  format('<%1$s> <http://data.europa.eu/eli/ontology#first_date_entry_in_force>'
         ' "%2$s"^^<http://www.w3.org/2001/XMLSchema#date> .', f.node, s.session_date + 10),
  format('<%1$s> <http://lblod.data.gift/vocabularies/besluit/chartOfAccount>'
         ' <http://lblod.data.gift/concepts/%2$s> .', f.node, substr(md5(s.uuid::text || 'ca'), 1, 8)),
  format('<%1$s> <http://www.w3.org/2000/01/rdf-schema#comment> "Opmerking voor de toezichthouder %2$s" .',
         f.node, left(s.uuid::text, 8)),
  (SELECT string_agg(concat_ws(E'\\n',
     format('<%1$s> <http://purl.org/dc/terms/hasPart> <%2$s> .', f.node, file.uri),
     format('<%1$s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>'
            ' <http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#FileDataObject> .', file.uri),
     format('<%1$s> <http://mu.semte.ch/vocabularies/core/uuid> "%2$s" .', file.uri, file.key),
     format('<%1$s> <http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#fileName> "besluit-%2$s.pdf" .',
            file.uri, file.n),
     format('<%1$s> <http://purl.org/dc/terms/format> "application/pdf" .', file.uri),
     format('<%1$s> <http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#fileSize>'
            ' "%2$s"^^<http://www.w3.org/2001/XMLSchema#integer> .', file.uri, 20000 + file.n * 7919),
     format('<%1$s> <http://purl.org/dc/terms/created> "%2$sT10:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .',
            file.uri, s.session_date + 1)), E'\\n')
   FROM (SELECT n, md5(s.uuid::text || n) AS key,
                'http://data.lblod.info/files/' || md5(s.uuid::text || n) AS uri
         FROM generate_series(1, 2 + get_byte(decode(md5(s.uuid::text), 'hex'), 0) % 5) AS n) AS file)
) || E'\\n'
FROM (SELECT id, 'URI_BASE' || '/form-data/' || uuid AS node FROM supervision_submission) AS f,
     supervision_documenttype AS t, organisations_organisation AS o, supervision_governingbody AS g
WHERE f.id = s.id AND t.id = s.document_type_id AND o.id = s.organisation_id AND g.id = s.governing_body_id
"""


def ensure_data() -> None:
    """The real organisations (3,737), their decretal organs, 60,000 holder versions (bench/mandates.py), every
    body's leading functions with an official each, 100,000 sent submissions (bench/toezicht.py) with form data of
    the real form's shape (document and decision type, passed by, about, dates, 2-6 attached files with their
    metadata, a remark that is never public), all bulk-inserted once."""
    from django.conf import settings
    from django.db import connection

    from loket.mandates.codes import RoleCode, Status
    from loket.mandates.models import Holder
    from loket.officials.models import Official, OfficialFunction
    from loket.officials.services import functions_create
    from loket.persons.models import Person
    from loket.supervision.models import Submission

    if Submission.objects.count() >= 100_000:
        return
    started = time.perf_counter()
    import toezicht as toezicht_bench

    import mandates as mandates_bench

    mandates_bench.load(HOLDER_VERSIONS)
    # A mayor also sits in the council (and so has other mandates): the consumer query "the mayor's other mandates".
    mayors = list(
        Holder.objects.filter(mandate__role=RoleCode.MAYOR, end__isnull=True).select_related("mandate__term__organ")
    )
    from loket.mandates.models import Mandate

    councils = {
        (m.term.organ.organisation_id, m.term.period): m
        for m in Mandate.objects.filter(role=RoleCode.COUNCILLOR).select_related("term__organ")
    }
    Holder.objects.bulk_create(
        [
            Holder(person_id=h.person_id, mandate=council, start=h.start, status=Status.EFFECTIVE)
            for h in mayors
            if (council := councils.get((h.mandate.term.organ.organisation_id, h.mandate.term.period)))
        ],
        batch_size=5000,
    )
    functions_create()
    functions = list(OfficialFunction.objects.order_by("pk"))
    people = range(len(functions))
    people = Person.objects.bulk_create(
        [Person(given_names=f"L{i}", used_given_name=f"L{i}", family_name=f"Leiding{i}") for i in range(len(people))],
        batch_size=5000,
    )
    Official.objects.bulk_create(
        [
            Official(function=function, person=person, start=mandates_bench.START)
            for function, person in zip(functions, people, strict=True)
        ],
        batch_size=5000,
    )
    from loket.supervision.codelists import document_types_load

    document_types_load()
    toezicht_bench.generate_submissions()
    with connection.cursor() as cursor:
        cursor.execute(FORM_DATA_SQL.replace("URI_BASE", settings.LOKET_URI_BASE.replace("'", "")))
    print(f"data: generated in {time.perf_counter() - started:.0f} s")


def measure_rebuild() -> None:
    """`manage.py opendata rebuild` in a process of its own, as an operator runs it: wall time and peak RSS."""
    import resource

    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "opendata", "rebuild"], cwd=ROOT, check=True, env=dict(os.environ))
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    import pyoxigraph as ox

    from loket.opendata import store

    found = ox.Store.read_only(str(store.store_dir())).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    triples = int(next(iter(found))["n"].value)  # type: ignore[index]
    print(
        f"rebuild: manage.py opendata rebuild: {triples:,} public triples in {elapsed:.0f} s, peak RSS {peak} MB "
        "(goal < 600 s)"
    )


def measure_conneg(runs: int) -> None:
    """In-process (the full middleware stack, no network): organisations, holder versions and public submissions,
    each as Turtle, in turns."""
    from django.test import Client

    from loket.mandates.models import Holder
    from loket.mandates.rdf import public_holders
    from loket.organisations.models import Organisation
    from loket.supervision.models import Submission

    uris = list(Organisation.objects.order_by("?").values_list("uri", flat=True)[: runs // 3])
    uris += [h.uri for h in public_holders(Holder.objects.order_by("?"))[: runs // 3]]
    uris += [s.uri for s in Submission.objects.filter(is_public=True).order_by("?")[: runs // 3]]
    client = Client()
    samples = []
    for uri in uris * 2:
        path = "/" + uri.split("/", 3)[3]
        started = time.perf_counter()
        response = client.get(path, HTTP_ACCEPT="text/turtle")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples = samples[len(uris) :]  # the second round: warm
    print(
        f"conneg: {len(samples)} URIs (organisations, holder versions, submissions) as Turtle: "
        f"p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms (goal p95 < 20 ms)"
    )


def measure_ldes(renames: int, runs: int) -> None:
    from django.test import Client

    from loket.opendata.ldes import materialize
    from loket.opendata.models import FeedEntry
    from loket.organisations.models import Organisation

    for organisation in Organisation.objects.order_by("pk")[:renames]:
        organisation.name = organisation.name.split(" ·")[0] + f" · {int(time.time()) % 1000}"
        organisation.save()
    started = time.perf_counter()
    while materialize():
        pass
    elapsed = time.perf_counter() - started
    total = FeedEntry.objects.count()
    starts = list(
        FeedEntry.objects.filter(dataset="organisaties").order_by("position").values_list("position", flat=True)[::250]
    )
    client = Client()
    samples = []
    for index in range(runs):
        start = starts[index % len(starts)]
        t = time.perf_counter()
        response = client.get(f"/streams/ldes/organisaties?vanaf={start}", HTTP_ACCEPT="text/turtle")
        samples.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    # The first visit of a full page builds it; later ones are served from the cache (opendata/views.py), the last
    # page is always built. Both are printed.
    cold, warm = samples[: len(starts)], samples[len(starts) :] or samples
    print(
        f"ldes: {total:,} feed entries materialised in {elapsed:.1f} s; pages of 250 ({len(starts)} pages): "
        f"first visits p50 {statistics.median(cold):.1f} ms, p95 {percentile(cold, 0.95):.1f} ms; "
        f"later visits p50 {statistics.median(warm):.1f} ms, p95 {percentile(warm, 0.95):.1f} ms"
    )


def measure_dump(dataset: str) -> None:
    """Regenerate one dataset's dumps in a process of its own: seconds and that process's peak RSS."""
    script = (
        "import os, sys, time, resource; sys.path.insert(0, 'src'); sys.path.insert(0, '.');"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'loket.settings');"
        "import django; django.setup();"
        "from django.conf import settings; settings.MEDIA_ROOT = os.environ['LOKET_MEDIA_ROOT'];"
        "from loket.opendata.dumps import dump_dataset;"
        "t = time.perf_counter(); r = dump_dataset(os.environ['DUMP_DATASET']);"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024;"
        "print(r.triples, round(time.perf_counter() - t, 1), peak)"
    )
    environment = {**os.environ, "DUMP_DATASET": dataset}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=environment)
    if out.returncode:
        print(out.stderr[-1500:])
        return
    triples, seconds, peak = out.stdout.split()[-3:]
    print(f"dump: {dataset}, {int(triples):,} triples, {seconds} s, process peak RSS {peak} MB (goal < 300 MB)")


# SPARQL: our /sparql (gunicorn) against Virtuoso 7.2 loaded with the same N-Triples dumps ----------------------

OUR_PORT = 18917
VIRTUOSO_URL = "http://127.0.0.1:18891/sparql"
VIRTUOSO_GRAPH = "http://data.lblod.info/bench"  # bench/virtuoso.sh loads the dumps there; its own graphs stay out
PREFIXES = (
    "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> PREFIX mandaat: <http://data.vlaanderen.be/ns/mandaat#> "
    "PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX persoon: <http://data.vlaanderen.be/ns/persoon#> "
    "PREFIX meb: <http://rdf.myexperiment.org/ontologies/base/> "
    "PREFIX nmo: <http://www.semanticdesktop.org/ontologies/2007/03/22/nmo#> "
    "PREFIX lblodlg: <http://data.lblod.info/vocabularies/leidinggevenden/> "
    "PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
)


def comparison_queries() -> dict[str, str]:
    """Ten queries: the issue's kinds (GROUP BY count, OPTIONAL-heavy join, DESCRIBE, ORDER BY + LIMIT paging,
    property path) and the typical consumer queries of item 4, on concrete resources of the generated data."""
    from loket.mandates.codes import RoleCode
    from loket.mandates.models import Holder

    mayor = (
        Holder.objects.filter(mandate__role=RoleCode.MAYOR, end__isnull=True)
        .select_related("mandate__term__organ__organisation")
        .order_by("pk")
        .first()
    )
    city = mayor.mandate.term.organ.organisation.uri  # type: ignore[union-attr]
    mayor_role = mayor.mandate.role_uri  # type: ignore[union-attr]
    return {
        "group by: instances per class": "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type",
        "optional-heavy: every holder version": (
            "SELECT ?h ?start ?einde ?rang ?fractie ?status WHERE { ?h a mandaat:Mandataris ; mandaat:start ?start . "
            "OPTIONAL { ?h mandaat:einde ?einde } OPTIONAL { ?h mandaat:rangorde ?rang } "
            "OPTIONAL { ?h org:hasMembership ?l . ?l org:organisation ?fractie } "
            "OPTIONAL { ?h mandaat:status ?status } }"
        ),
        "describe: a city": f"DESCRIBE <{city}>",
        "order by + limit: submissions page 51": (
            "SELECT ?s ?sent WHERE { ?s a meb:Submission ; nmo:sentDate ?sent } ORDER BY DESC(?sent) ?s "
            "LIMIT 100 OFFSET 5000"
        ),
        "property path: mandate → its body's name": (
            "SELECT ?m ?naam WHERE { ?m a mandaat:Mandaat ; "
            "^org:hasPost/mandaat:isTijdspecialisatieVan/besluit:bestuurt/skos:prefLabel ?naam }"
        ),
        "consumer: organisations, classification, werkingsgebied": (
            "SELECT ?b ?naam ?classificatie ?gebied WHERE { ?b a besluit:Bestuurseenheid ; skos:prefLabel ?naam ; "
            "besluit:classificatie ?classificatie . OPTIONAL { ?b besluit:werkingsgebied ?gebied } }"
        ),
        "consumer: governing bodies of a city": (
            f"SELECT ?orgaan ?label ?tijd ?start WHERE {{ ?orgaan besluit:bestuurt <{city}> ; skos:prefLabel ?label . "
            "OPTIONAL { ?tijd mandaat:isTijdspecialisatieVan ?orgaan ; mandaat:bindingStart ?start } }"
        ),
        "consumer: mandates of a city with persons": (
            f"SELECT ?mandaat ?rol ?h ?voornaam ?naam WHERE {{ ?orgaan besluit:bestuurt <{city}> . "
            "?tijd mandaat:isTijdspecialisatieVan ?orgaan ; org:hasPost ?mandaat . ?mandaat org:role ?rol . "
            "?h org:holds ?mandaat ; mandaat:isBestuurlijkeAliasVan ?p . "
            "?p persoon:gebruikteVoornaam ?voornaam ; foaf:familyName ?naam }"
        ),
        "consumer: leading officials per role": (
            "SELECT ?rol (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a lblodlg:Functionaris ; org:holds ?functie ; "
            "mandaat:isBestuurlijkeAliasVan ?p . ?functie org:role ?rol } GROUP BY ?rol"
        ),
        "consumer: the current mayor and his other mandates": (
            f"SELECT ?p ?voornaam ?naam ?ander ?rol WHERE {{ ?orgaan besluit:bestuurt <{city}> . "
            "?tijd mandaat:isTijdspecialisatieVan ?orgaan ; org:hasPost ?m . "
            f"?m org:role <{mayor_role}> . ?h org:holds ?m ; mandaat:isBestuurlijkeAliasVan ?p . "
            "FILTER NOT EXISTS { ?h mandaat:einde ?e } "
            "?p persoon:gebruikteVoornaam ?voornaam ; foaf:familyName ?naam . "
            "?h2 mandaat:isBestuurlijkeAliasVan ?p ; org:holds ?ander . ?ander org:role ?rol . FILTER(?h2 != ?h) }"
        ),
    }


def _norm_term(term: dict[str, str]) -> tuple[str, str, str]:
    """A SPARQL JSON term compared by value: `typed-literal` is a literal, xsd:string is no datatype, a typed
    literal's lexical form is its canonical one (Virtuoso writes "2024-12-02T00:00:00Z" its own way), blank nodes
    are equal to one another (labels are each store's own)."""
    from rdflib import XSD, Literal

    kind = term["type"]
    if kind == "bnode":
        return ("bnode", "", "")
    if kind == "uri":
        return ("uri", term["value"], "")
    datatype = term.get("datatype", "")
    if datatype == str(XSD.string):
        datatype = ""
    value = term["value"]
    if datatype:
        try:
            value = str(Literal(value, datatype=datatype).toPython())
        except Exception:
            pass
    return ("literal", value, datatype or term.get("xml:lang", ""))


def _norm_triple(line: str) -> tuple:  # type: ignore[type-arg]
    from rdflib import BNode, Literal
    from rdflib.util import from_n3

    parts = []
    for node in _nt_terms(line):
        term = from_n3(node)
        if isinstance(term, BNode):
            parts.append(("bnode", "", ""))
        elif isinstance(term, Literal):
            found = {"type": "literal", "value": str(term)}
            if term.datatype:
                found["datatype"] = str(term.datatype)
            if term.language:
                found["xml:lang"] = term.language
            parts.append(_norm_term(found))
        else:
            parts.append(("uri", str(term), ""))
    return tuple(parts)


def _nt_terms(line: str) -> list[str]:
    import re

    return re.findall(r'(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:\^\^<[^>]*>|@[\w-]+)?)', line)[:3]


def _result(response) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    """(rows, a multiset of normalised rows or triples)."""
    from collections import Counter

    kind = response.headers.get("content-type", "")
    if "json" in kind and "ld+json" not in kind:
        data = response.json()
        if "boolean" in data:
            return 1, Counter([data["boolean"]])
        variables = data["head"]["vars"]
        rows = Counter(
            tuple(_norm_term(b[v]) if v in b else None for v in variables) for b in data["results"]["bindings"]
        )
        return sum(rows.values()), rows
    lines = [line for line in response.text.splitlines() if line.strip() and not line.startswith("#")]
    triples = Counter(_norm_triple(line) for line in lines)
    return sum(triples.values()), triples


def _timed(client, url: str, query: str, runs: int, warmups: int) -> tuple[list[float], object]:  # type: ignore[no-untyped-def]
    accept = "application/n-triples" if query.startswith("DESCRIBE") else "application/sparql-results+json"
    params = {"query": PREFIXES + query}
    if url == VIRTUOSO_URL:
        params["default-graph-uri"] = VIRTUOSO_GRAPH
    samples, response = [], None
    for index in range(warmups + runs):
        started = time.perf_counter()
        response = client.get(url, params=params, headers={"Accept": accept})
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if index == 0:
            _first_run_ms[url] = elapsed  # the first time this server saw the query (a result cache is cold)
        if index >= warmups:
            samples.append(elapsed)
    return samples, response


_first_run_ms: dict[str, float] = {}


def prepare_virtuoso() -> None:
    """Virtuoso started (bench/virtuoso.sh) and loaded with the latest N-Triples dump of every dataset."""
    import shutil

    from django.core.files.storage import default_storage

    from loket.core.linkeddata import datasets
    from loket.opendata.dumps import latest

    folder = ROOT / "var" / "bench" / "virtuoso-load"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for dataset in datasets():
        dump = latest(dataset.name, "nt")
        if dump is None:
            sys.exit(f"no N-Triples dump of {dataset.name}: run the dumps first")
        os.link(default_storage.path(dump.storage_name), folder / f"{dataset.name}.nt.gz")
    script = str(ROOT / "bench" / "virtuoso.sh")
    subprocess.run([script, "reset"], check=True)
    subprocess.run([script, "start"], check=True)
    started = time.perf_counter()
    out = subprocess.run([script, "load", str(folder)], check=True, capture_output=True, text=True)
    print(f"virtuoso: loaded the dumps in {time.perf_counter() - started:.0f} s")
    if "NULL" not in out.stdout:
        print(out.stdout[-1500:])


def compare_with_virtuoso(runs: int, warmups: int, *, load: bool) -> None:
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)

    from loket.opendata.store import sync

    # The worker keeps the store at the change feed; here no worker runs, and the LDES step's renames are already in
    # the dumps Virtuoso loads: bring the store to the same point first, else the two answer over different data.
    report = sync()
    print(f"sparql: store synced with the change feed ({report.applied} instances applied, at #{report.position})")
    # The worker compacts the store at most LOKET_SPARQL_COMPACT_INTERVAL after such writes (store.compact_if_due):
    # measure the store as it is then, not in the minutes in between.
    from loket.opendata.store import open_store, store_dir
    from loket.opendata.storelock import exclusive

    started = time.perf_counter()
    with exclusive(store_dir()), open_store() as store:
        store.compact()
    print(f"sparql: store compacted as the worker does, in {time.perf_counter() - started:.1f} s")
    if load:
        prepare_virtuoso()
    # Twice: the engine alone (every run evaluates the query), then as deployed, where a query asked again while the
    # store has not changed is answered from the server process's result cache (LOKET_SPARQL_RESULT_CACHE_MB).
    _compare_passes = [("the engine alone, result cache off", "0"), ("as deployed, result cache on", "64")]
    for label, cache_mb in _compare_passes:
        _compare(label, cache_mb, runs, warmups)


def _compare(label: str, cache_mb: str, runs: int, warmups: int) -> None:
    import math

    import httpx

    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "LOKET_SPARQL_RATE_LIMIT": "1000000",
        "LOKET_SPARQL_RESULT_CACHE_MB": cache_mb,
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "loket.wsgi:application", "-b", f"127.0.0.1:{OUR_PORT}",
         "-w", "2", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=environment,
    )  # fmt: skip
    ours = f"http://127.0.0.1:{OUR_PORT}/sparql"
    try:
        with httpx.Client(timeout=120) as client:
            for _ in range(60):
                try:
                    client.get(f"http://127.0.0.1:{OUR_PORT}/datasets")
                    break
                except httpx.TransportError:
                    time.sleep(1)
            ratios = []
            print(f"sparql ({label}): {warmups} warm-ups and {runs} runs each, over HTTP on loopback; median ms")
            print(f"  {'query':55} {'rows':>7} {'ours':>8} {'virtuoso':>9} {'ratio':>6} {'1st ours':>9}  same")
            for name, query in comparison_queries().items():
                our_samples, our_response = _timed(client, ours, query, runs, warmups)
                their_samples, their_response = _timed(client, VIRTUOSO_URL, query, runs, warmups)
                our_rows, our_result = _result(our_response)
                their_rows, their_result = _result(their_response)
                ratio = statistics.median(our_samples) / statistics.median(their_samples)
                ratios.append(ratio)
                same = "yes" if our_result == their_result else f"NO ({our_rows} vs {their_rows} rows)"
                print(
                    f"  {name:55} {our_rows:>7} {statistics.median(our_samples):>8.1f} "
                    f"{statistics.median(their_samples):>9.1f} {ratio:>6.2f} {_first_run_ms[ours]:>9.1f}  {same}"
                )
            geometric = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            print(
                f"sparql ({label}): geometric mean of the ratios {geometric:.2f} (goal ≤ 1.0), "
                f"highest {max(ratios):.2f} (≤ 3)"
            )
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--renames", type=int, default=600)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--only", choices=["rebuild", "conneg", "ldes", "dump", "sparql"], action="append")
    parser.add_argument("--no-load", action="store_true", help="Virtuoso is already loaded with the dumps")
    options = parser.parse_args()
    prepare_database(reset=options.reset, script="bench/opendata.py")
    setup()
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2 cores, shared)")
    steps = options.only or ["rebuild", "conneg", "ldes", "dump", "sparql"]
    if "rebuild" in steps:
        measure_rebuild()
    if "conneg" in steps:
        measure_conneg(options.runs)
    if "ldes" in steps:
        measure_ldes(options.renames, options.runs)
    if "dump" in steps:
        from loket.core.linkeddata import datasets

        for dataset in datasets():
            measure_dump(dataset.name)
    if "sparql" in steps:
        compare_with_virtuoso(20, 3, load=not options.no_load)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
