"""Public pages of the open data: the DCAT catalogue, the dumps, and the SPARQL endpoint (with an HTML form that
works without JavaScript)."""

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from loket.core.access import public
from loket.core.linkeddata import (
    HTML,
    NotAcceptable,
    alternate_links,
    choose,
    datasets,
    etag_matches,
    graph_response,
)
from loket.core.security import file_download
from loket.core.throttle import client_ip, throttle_hit, throttle_retry_after
from loket.opendata import sparql
from loket.opendata.catalogue import catalogue_graph
from loket.opendata.dumps import latest
from loket.opendata.models import Dump

RESULT_ACCEPT = {media_type: name for name, media_type in sparql.RESULT_TYPES.items()}
GRAPH_ACCEPT = {media_type: name for name, media_type in sparql.GRAPH_TYPES.items()}
GRAPH_ACCEPT["application/x-turtle"] = "turtle"


@public
def catalogue(request: HttpRequest) -> HttpResponse:
    if "filter[subject]" in request.GET:  # a delta consumer asks for a stream's initial dump (JSON:API)
        from loket.opendata.sync_views import datasets as delta_datasets

        return delta_datasets(request)
    rows = []
    for dataset in datasets():
        rows.append({"dataset": dataset, "dumps": [latest(dataset.name, kind) for kind in Dump.Kind.values]})
    return graph_response(request, graph=catalogue_graph, template="opendata/catalogue.html", context={"rows": rows})


@public
def dump(request: HttpRequest, dataset: str, dump_kind: str) -> HttpResponse | FileResponse:
    if dump_kind == "distributions":  # a delta stream's dump: /datasets/<id>/distributions (JSON:API)
        from loket.opendata.sync_views import distributions

        return distributions(request, dataset)
    kind = dump_kind
    found = latest(dataset, kind) if kind in Dump.Kind.values else None
    if found is None:
        raise Http404
    response = file_download(
        default_storage.open(found.storage_name, "rb"),
        filename=f"{dataset}.{kind}.gz",
        content_type="application/gzip",
    )
    response["ETag"] = f'"{found.sha256}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@public
def stream(request: HttpRequest, dataset: str) -> HttpResponse:
    from loket.opendata import ldes

    if dataset not in {d.name for d in datasets()}:
        raise Http404
    start = request.GET.get("vanaf", "0")
    if not (start.isascii() and start.isdigit()) or len(start) > 18:  # "²" is a digit to isdigit, not to int()
        return _plain(_("'vanaf' is een positie in de wijzigingen (een geheel getal)."), 400)
    # A page's RDF renderings are kept in the cache (Redis in production) under a key derived from its rows, so a
    # page is built once, not per consumer: a full page for good, the last one until a member is added or pruned
    # (HTML is not kept: it carries a per-request CSP nonce and the live "what points here"). What names the page is
    # its position alone: the Link header is made from it, never from the visitor's other parameters, kept or not.
    parameters = {"vanaf": str(int(start))}
    key = None
    try:
        wanted = choose(request)
    except NotAcceptable:
        wanted = HTML
    if wanted != HTML:
        key, _full = ldes.page_key(dataset, int(start))
        if key is not None and (kept := cache.get(f"{key}:{wanted.name}")) is not None:  # type: ignore[union-attr]
            return _kept_page(request, kept, alternate_links(request.path, parameters))
    built, full, _first = ldes.page(dataset, int(start))
    response = graph_response(
        request,
        graph=lambda: built,
        template="opendata/stream.html",
        context={"dataset": dataset, "full": full, "start": int(start)},
        parameters=parameters,
    )
    if response.status_code in (200, 304):
        response["Cache-Control"] = "public, max-age=31536000, immutable" if full else "public, max-age=60"
    if key is not None and response.status_code == 200:
        headers = {name: response[name] for name in ("Content-Type", "ETag", "Vary", "Cache-Control")}
        kept_for = LDES_PAGE_CACHE_SECONDS if full else LDES_LAST_PAGE_CACHE_SECONDS
        kept = {"body": response.content, "headers": headers}
        cache.set(f"{key}:{wanted.name}", kept, timeout=kept_for)  # type: ignore[union-attr]
    return response


LDES_PAGE_CACHE_SECONDS = 7 * 24 * 3600  # a week: the key changes with the content, this only bounds the memory
LDES_LAST_PAGE_CACHE_SECONDS = 3600  # the last page's key changes with its next member; an hour bounds the memory


def _kept_page(request: HttpRequest, kept: dict, links: str) -> HttpResponse:  # type: ignore[type-arg]
    """A page from the cache, with its Link header made anew (an entry kept before it was left out of the cache
    still carries the first visitor's)."""
    headers = kept["headers"]
    if etag_matches(request, headers["ETag"]):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(kept["body"], content_type=headers["Content-Type"])
    for name in ("ETag", "Vary", "Cache-Control"):
        response[name] = headers[name]
    response["Link"] = links
    return response


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def _formats(request: HttpRequest) -> tuple[str, str, bool]:
    """(result format, graph format, wants HTML) from `?format=` or Accept."""
    requested = (request.GET.get("format") or request.POST.get("format") or "").lower()
    if requested in sparql.RESULT_TYPES:
        return requested, "turtle", False
    if requested in sparql.GRAPH_TYPES:
        return "json", requested, False
    if requested == "html":
        return "json", "turtle", True
    accept = request.headers.get("Accept", "")
    result, graph, html = "json", "turtle", False
    best_result = best_graph = 0.0
    for part in accept.split(","):
        media_type, _sep, params = part.strip().partition(";")
        media_type = media_type.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_type in RESULT_ACCEPT and quality > best_result:
            result, best_result = RESULT_ACCEPT[media_type], quality
        if media_type in GRAPH_ACCEPT and quality > best_graph:
            graph, best_graph = GRAPH_ACCEPT[media_type], quality
        if media_type == "text/html" and quality > 0 and quality >= max(best_result, best_graph):
            html = True
    if best_result or best_graph:
        html = (
            html
            and "text/html" in accept
            and accept.find("text/html")
            < min((accept.find(t) for t in (*RESULT_ACCEPT, *GRAPH_ACCEPT) if t in accept), default=len(accept))
        )
    return result, graph, html


@csrf_exempt  # the SPARQL protocol: machines POST queries without a session; nothing is ever changed
@public
def endpoint(request: HttpRequest) -> HttpResponse:
    if request.method not in {"GET", "POST", "HEAD"}:
        return _plain(_("Enkel GET en POST (SPARQL 1.1-queryprotocol)."), 405)
    content_type = request.content_type or ""
    if "update" in request.GET or "update" in request.POST or content_type == "application/sparql-update":
        return _plain(_("Dit endpoint aanvaardt geen updates: de gegevens worden enkel door het Loket gewijzigd."), 403)
    query: str | None
    if request.method == "POST" and content_type == "application/sparql-query":
        query = request.body.decode("utf-8", "replace")
    else:
        query = request.POST.get("query") if request.method == "POST" else request.GET.get("query")
    result_format, graph_format, html = _formats(request)
    if not query:
        if request.method == "POST":
            return _plain(_("Geef een query mee (parameter query)."), 400)
        return render(request, "opendata/sparql.html", {"query": _example_query(), "answer": None})
    if len(query) > 100_000:
        return _plain(_("De query is te lang."), 400)
    if not throttle_hit(key=f"sparql:{client_ip(request)}", limit=settings.LOKET_SPARQL_RATE_LIMIT, window_seconds=60):
        response = _plain(_("Te veel queries na elkaar; probeer binnen een minuut opnieuw."), 429)
        response["Retry-After"] = str(throttle_retry_after(window_seconds=60))
        return response
    key = None if html or request.method == "POST" else sparql.result_key(query, result_format, graph_format)
    etag = sparql.result_etag(key) if key is not None else None
    if etag is not None and etag_matches(request, etag):  # the store has not changed since the client's copy
        response = HttpResponse(status=304)
        response["ETag"] = etag
        response["Vary"] = "Accept"
        return response
    try:
        answer = sparql.run_query(query, result_format=result_format, graph_format=graph_format)
    except sparql.QueryFailed as failed:
        if html:
            response = render(
                request, "opendata/sparql.html", {"query": query, "error": failed.message}, status=failed.status
            )
        else:
            response = _plain(failed.message, failed.status)
        if failed.retry_after is not None:
            response["Retry-After"] = str(failed.retry_after)
        return response
    if html:
        response = render(request, "opendata/sparql.html", {"query": query, "answer": answer})
    else:
        response = HttpResponse(answer.body, content_type=f"{answer.content_type}; charset=utf-8")
    response["X-Loket-Row-Limit"] = str(settings.LOKET_SPARQL_MAX_ROWS)
    response["X-Loket-Truncated"] = "true" if answer.truncated else "false"
    response["Vary"] = "Accept"
    if etag is not None:
        response["ETag"] = etag
    return response


def _example_query() -> str:
    return (
        "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?bestuur ?naam ?classificatie WHERE {\n"
        "  ?bestuur a besluit:Bestuurseenheid ; skos:prefLabel ?naam ; besluit:classificatie ?classificatie .\n"
        "} ORDER BY ?naam LIMIT 20"
    )
