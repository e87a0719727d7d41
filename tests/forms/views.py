"""A test-only page that shows the example form for one document and accepts a POST (no JavaScript)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from rdflib import Graph, URIRef

from loket.forms.collect import collect_post
from loket.forms.loader import load_form
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_file, parse_turtle_text
from loket.forms.render import render_form
from loket.forms.select import select_form_data
from loket.forms.validate import validate_form

from .conftest import DATA, DOC

STATE: dict[str, Graph] = {}
PAGE = engines["django"].from_string(
    '<!doctype html><html lang="nl"><head><title>Formulier</title></head><body><main>'
    '<form method="post" enctype="multipart/form-data" novalidate>{% csrf_token %}{{ form_html }}'
    '<button type="submit">Bewaren</button></form>{% if saved %}<p id="saved">Verzonden: {{ saved }} triples</p>'
    "{% endif %}</main></body></html>"
)


def reset(data: str = "") -> Graph:
    STATE["source"] = parse_turtle_text(data, source="<test>")
    return STATE["source"]


def form_page(request: HttpRequest) -> HttpResponse:
    definition = load_form(DATA / "mini-form.ttl")
    source = STATE.get("source") or reset()
    context = DataContext(source=source, meta=parse_turtle_file(DATA / "meta.ttl"))
    report, saved = None, None
    if request.method == "POST":
        collect_post(definition, context, DOC, request.POST, request.FILES, lambda upload: URIRef("urn:f:1"))
        report = validate_form(definition, context, DOC)
        if report.valid:
            saved = len(select_form_data(definition, context, URIRef(DOC)))
    html = render_form(definition, context, DOC, report)
    return HttpResponse(PAGE.render({"form_html": html, "saved": saved}, request), status=200)
