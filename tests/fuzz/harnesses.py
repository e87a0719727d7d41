"""The fuzzing targets: each takes bytes and may raise only the error its code documents for bad input; anything
else is a crash. Used by the atheris runner (tests/fuzz/run_atheris.py, `make fuzz`) and by the replay test of
the seed corpus and of the crashes found (tests/fuzz/test_atheris.py).

- turtle: a form definition in Turtle (`load_form_text`), then what the engine does with it (decide the
  applicable fields, validate, on empty data and on the same Turtle read as data): FormError only.
- rdfa: a published decision page (`rdfa_graph`, what the vendor import reads): RDFaUnreadable only.
- melding: a `/melding`, `/status` or `/delete-melding` body (`parse_melding`, `parse_submission_request`):
  PayloadError only.
- xml: the BBC-DR pre-checks of an uploaded XML or XBRL file (`checks.check_path`, without Arelle): never an
  exception (bad files become findings).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
django.setup()

from rdflib import Graph, URIRef  # noqa: E402

from loket.forms.decide import applicable_fields  # noqa: E402
from loket.forms.errors import FormError  # noqa: E402
from loket.forms.loader import load_form_text  # noqa: E402
from loket.forms.paths import DataContext  # noqa: E402
from loket.forms.rdfio import parse_turtle_text  # noqa: E402
from loket.forms.validate import validate_form  # noqa: E402
from loket.reports.checks import check_path  # noqa: E402
from loket.vendors.payload import PayloadError, parse_melding, parse_submission_request  # noqa: E402
from loket.vendors.rdfa import RDFaUnreadable, rdfa_graph  # noqa: E402

DOC = URIRef("http://example.org/doc")
_TEMPORARY = Path(tempfile.mkdtemp(prefix="loket-fuzz-"))
atexit.register(shutil.rmtree, _TEMPORARY, ignore_errors=True)


def turtle(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        definition = load_form_text(text, source="<fuzz>")
    except FormError:
        return
    try:
        source = parse_turtle_text(text, source="<fuzz-data>")
    except FormError:
        source = Graph()
    for graph in (Graph(), source):
        context = DataContext(source=graph, meta=Graph())
        applicable_fields(definition, context, DOC)
        validate_form(definition, context, DOC)


def rdfa(data: bytes) -> None:
    try:
        rdfa_graph(data.decode("utf-8", errors="replace"), base="http://raadpleegomgeving.example.be/besluit")
    except RDFaUnreadable:
        return


def melding(data: bytes) -> None:
    for parse in (parse_melding, parse_submission_request):
        try:
            parse(data)
        except PayloadError:
            pass


def xml(data: bytes) -> None:
    path = _TEMPORARY / "upload"
    path.write_bytes(data)
    for is_xbrl in (False, True):
        check = check_path(path, label="upload.xml", is_xbrl=is_xbrl, arelle=False)
        assert isinstance(check.findings, list)


TARGETS: dict[str, Callable[[bytes], None]] = {"turtle": turtle, "rdfa": rdfa, "melding": melding, "xml": xml}
CORPUS = Path(__file__).resolve().parent / "corpus"
CRASHES = Path(__file__).resolve().parent / "crashes"
