"""Rendering every display type as accessible HTML, and the form through HTTP without JavaScript."""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef

from loket.forms.loader import load_form_text
from loket.forms.names import FIELDS_MARKER, field_name
from loket.forms.paths import DataContext
from loket.forms.render import render_form
from loket.forms.validate import validate_form

from . import views
from .conftest import DOC, PREFIXES, turtle

EX = "http://example.org/"


def f(name: str) -> URIRef:
    return URIRef(EX + "fields/" + name)


def test_render_besluit(mini_form, context_for):
    context = context_for(
        'ex:doc\\/1 a ex:types\\/besluit ; <http://purl.org/dc/terms/title> "<b>x</b>" ; ext:articleCount -1 .'
    )
    report = validate_form(mini_form, context, DOC)
    html = render_form(mini_form, context, DOC, report)
    type_id = "id-" + field_name(f("type"), DOC)
    assert f'<label for="{type_id}">Type dossier' in html
    assert '<option value="http://example.org/types/besluit" selected>Besluit</option>' in html
    assert "<p>Kies het <strong>soort</strong> dossier.</p>" in html  # help is the definition's HTML
    assert "&lt;b&gt;x&lt;/b&gt;" in html  # data is escaped
    assert '<h3 class="form-heading"' in html
    assert 'class="form-alert form-alert-warning" role="note"' in html
    assert 'type="date"' in html
    assert 'type="number"' in html and 'step="any"' in html
    assert 'type="file"' in html and 'type="url"' in html
    assert "Algemene informatie" in html and "Details" in html
    count_id = "id-" + field_name(f("count"), DOC)
    assert f'aria-describedby="{count_id}-errors"' in html and 'aria-invalid="true"' in html
    assert "Geef een positief getal op." in html
    assert 'role="alert"' in html and f'href="#{count_id}"' in html  # summary links to the field
    assert "Link (verborgen)" not in html  # hidden fields are not rendered
    assert html.count(f'name="{FIELDS_MARKER}"') == 8


def test_render_reglement(mini_form, context_for):
    context = context_for(
        'ex:doc\\/1 a ex:types\\/reglement ; ext:agreed "1"^^xsd:boolean ; ext:theme ex:themes\\/a ; '
        'ext:sessionStart "2022-05-09T18:00:00.000Z"^^xsd:dateTime .'
    )
    html = render_form(mini_form, context, DOC)
    assert "<textarea" in html
    assert re.search(r'type="checkbox" id="[^"]+" name="[^"]+" value="1" checked', html)
    assert 'value="2022-05-09T20:00"' in html  # shown in Brussels time
    assert 'type="checkbox" id="' in html and 'value="http://example.org/themes/a" checked' in html
    radios = re.findall(r'type="radio"[^>]*value="([^"]+)"', html)
    assert radios == ["http://example.org/auth/herz", "http://example.org/auth/orig"]  # qb:order
    assert '<span class="form-prefix" aria-hidden="true">€</span>' in html
    assert "form-summary" not in html


def test_render_listing(v2_form, context_for):
    person = URIRef("http://example.org/p")
    context = context_for('ex:p <http://schema.org/contactPoint> ex:c1 . ex:c1 <http://schema.org/email> "x" .')
    html = render_form(v2_form, context, person, validate_form(v2_form, context, person))
    assert "Contactpunten" in html and "Contactpunt toevoegen" in html and "Contactpunt verwijderen" in html
    assert "Ongeldig e-mailadres." in html
    assert "<h2" in html and "Persoonsgegevens" in html


def test_render_read_only_and_language_fields():
    form = load_form_text(
        PREFIXES
        + """ex:f a form:Form ; form:hasFieldGroup ex:g . ex:g form:hasField ex:x, ex:y .
        ex:x sh:name "Artikels" ; sh:order 1 ; sh:path ex:p ; form:displayType displayTypes:decisionArticles .
        ex:y sh:name "Naam" ; sh:order 2 ; sh:path ex:n ; form:displayType displayTypes:defaultInput ;
          form:language "nl" ; form:defaultValue "standaard" ."""
    )
    context = DataContext(source=turtle('ex:doc ex:p ex:art1 ; ex:n "name"@en .'))
    html = render_form(form, context, URIRef(EX + "doc"))
    assert "http://example.org/art1" in html
    assert 'lang="nl"' in html and 'value="standaard"' in html


@pytest.mark.urls("tests.forms.urls")
def test_http_render_and_post(client):
    views.reset("<http://example.org/doc/1> a <http://xmlns.com/foaf/0.1/Document> .")
    page = client.get("/formulier/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Type dossier" in body and "csrfmiddlewaretoken" in body
    type_name = field_name(f("type"), DOC)
    title_name = field_name(f("title"), DOC)
    announced = re.findall(rf'name="{FIELDS_MARKER}" value="([^"]+)"', body)
    response = client.post("/formulier/", {FIELDS_MARKER: announced, type_name: EX + "types/besluit", title_name: ""})
    body = response.content.decode()
    assert "Geef een titel op." in body and "form-summary" in body
    assert "Datum van publicatie" in body  # conditional group now applies
    announced = re.findall(rf'name="{FIELDS_MARKER}" value="([^"]+)"', body)
    response = client.post(
        "/formulier/",
        {
            FIELDS_MARKER: announced,
            type_name: EX + "types/besluit",
            title_name: "Begroting",
            field_name(f("date"), DOC): "2024-01-31",
            field_name(f("links"), DOC): ["https://example.org/b.pdf", ""],
        },
    )
    body = response.content.decode()
    assert "form-summary" not in body
    assert 'id="saved"' in body
    source = views.STATE["source"]
    assert str(source.value(DOC, URIRef("http://purl.org/dc/terms/title"))) == "Begroting"
    # 2 types + title + date + hasPart + nie:url (hidden field)
    assert "Verzonden: 6 triples" in body
