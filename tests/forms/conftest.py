"""Fixtures for the semantic form engine tests: the test forms, their code lists and data helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from loket.forms.loader import load_form
from loket.forms.model import FormDefinition
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_file, parse_turtle_text

DATA = Path(__file__).parent / "data"
DOC = URIRef("http://example.org/doc/1")
PREFIXES = """
@prefix form: <http://lblod.data.gift/vocabularies/forms/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix displayTypes: <http://lblod.data.gift/display-types/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ext: <http://mu.semte.ch/vocabularies/ext/> .
@prefix ex: <http://example.org/> .
"""


def turtle(text: str) -> Graph:
    return parse_turtle_text(PREFIXES + text, source="<test>")


@pytest.fixture
def mini_form() -> FormDefinition:
    return load_form(DATA / "mini-form.ttl")


@pytest.fixture
def v2_form() -> FormDefinition:
    return load_form(DATA / "v2-form.ttl")


@pytest.fixture
def meta() -> Graph:
    return parse_turtle_file(DATA / "meta.ttl")


@pytest.fixture
def context_for(meta: Graph):
    def make(data: str = "") -> DataContext:
        return DataContext(source=turtle(data), meta=meta)

    return make
