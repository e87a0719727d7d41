"""Benchmark of the semantic form engine, side by side with the real library (@lblod/submission-form-helpers).

Run: `.venv/bin/python bench/forms.py` (prints numbers; not a timed test). The form is the real Loket's live
Toezicht form when LOKET_REAL_TOEZICHT_FORM names it, else a generated form of its size; the submission is a
realistic one for the document type with the most fields, filled in field by field as a clerk would.
The real library runs the same form, data and code lists in Node (tests/forms/real_library.mjs --repeat),
after `make node`. Budget: decide + validate + select at least 40x faster than the real library and under
5 ms median; the first (uncached) load of the form under 150 ms.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")

import django  # noqa: E402

django.setup()

from rdflib import Graph, Literal, URIRef  # noqa: E402

from loket.forms.decide import applicable_fields  # noqa: E402
from loket.forms.loader import clear_cache, load_form  # noqa: E402
from loket.forms.model import Field, FormDefinition  # noqa: E402
from loket.forms.paths import DataContext, ensure_path_parent  # noqa: E402
from loket.forms.rdfio import parse_turtle_text, to_turtle  # noqa: E402
from loket.forms.render import render_form  # noqa: E402
from loket.forms.select import form_data_triples  # noqa: E402
from loket.forms.synthetic import SUBMISSION, build_submission, generate  # noqa: E402
from loket.forms.validate import validate_form  # noqa: E402
from loket.forms.vocabulary import DISPLAY, FORM, NFO, NIE, RDF, SKOS, XSD  # noqa: E402

NODE_SCRIPT = ROOT / "tests" / "forms" / "real_library.mjs"
NODE_MODULES = Path(os.environ.get("LOKET_NODE_MODULES", ROOT / "var" / "node" / "node_modules"))
TYPE_SCHEME = "http://lblod.data.gift/concept-schemes/71e6455e-1204-46a6-abf4-87319f58eaa5"


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    median = statistics.median(samples)
    print(f"{name:<40} median {median:8.2f} ms   p95 {p95:8.2f} ms   (n={len(samples)})")
    return median


# -- the real form: a code list for what it names, and a realistic submission ----------------------------------
def constraints_of(definition: FormDefinition):
    for field in definition.fields.values():
        yield from field.constraints
        for group in field.conditional_groups:
            yield from group.conditions


def real_meta(definition: FormDefinition) -> Graph:
    meta = Graph()
    for constraint in constraints_of(definition):
        scheme, concept = constraint.param(FORM.conceptScheme), constraint.param(FORM.customValue)
        if scheme is not None:
            meta.add((concept if concept is not None else URIRef(f"{scheme}/x"), SKOS.inScheme, scheme))
    for field in definition.fields.values():
        if field.concept_scheme is not None:
            meta.add((URIRef(f"{field.concept_scheme}/x"), SKOS.inScheme, field.concept_scheme))
    return meta


def sample_value(field: Field, index: int) -> URIRef | Literal | None:
    display = field.display_type
    if field.concept_scheme is not None:
        return URIRef(f"{field.concept_scheme}/x")
    if display in {DISPLAY.date, DISPLAY.datePicker}:
        return Literal("2024-03-15", datatype=XSD.date)
    if display == DISPLAY.dateTime:
        return Literal("2024-03-15T10:30:00Z", datatype=XSD.dateTime)
    if display == DISPLAY.numericalInput:
        return Literal(str(index), datatype=XSD.integer)
    if display in {DISPLAY.defaultInput, DISPLAY.textArea, DISPLAY.caseNumber}:
        return Literal(f"Tekst {index}")
    if display == DISPLAY.checkbox:
        return Literal("1", datatype=XSD.boolean)
    if display is not None and "files" in str(display):
        return URIRef(f"http://data.lblod.info/files/bijlage-{index}")
    if display is not None and "remoteUrls" in str(display):
        return URIRef(f"http://data.lblod.info/remote-url/{index}")
    return None


def realistic_submission(definition: FormDefinition, meta: Graph, document_type: URIRef) -> Graph:
    """The document type, then — round by round, as conditional groups open — a value for every field."""
    node = URIRef(SUBMISSION)
    source = Graph()
    source.add((node, RDF.type, document_type))
    for _round in range(3):
        context = DataContext(source=source, meta=meta)
        for index, field in enumerate(applicable_fields(definition, context, node)):
            value = sample_value(field, index)
            if value is None or not field.path or field.scope is not None or context.values(node, field.path):
                continue
            parent = ensure_path_parent(source, node, field.path)[0]
            step = field.path[-1]
            source.add((value, step.predicate, parent) if step.inverse else (parent, step.predicate, value))
            if "files" in str(field.display_type):
                source.add((value, RDF.type, NFO.FileDataObject))
            elif "remoteUrls" in str(field.display_type):
                source.add((value, NIE.url, Literal(f"https://example.org/besluit-{index}.pdf")))
    return source


def busiest_document_type(definition: FormDefinition, meta: Graph) -> URIRef:
    types = {
        c.param(FORM.customValue)
        for c in constraints_of(definition)
        if str(c.param(FORM.conceptScheme)) == TYPE_SCHEME and c.param(FORM.customValue) is not None
    }
    node = URIRef(SUBMISSION)

    def size(document_type: URIRef) -> int:
        source = realistic_submission(definition, meta, document_type)
        return len(applicable_fields(definition, DataContext(source=source, meta=meta), node))

    return max(sorted(types, key=str), key=size)  # type: ignore[arg-type]


# -- the real library ----------------------------------------------------------------------------------------
def real_library_samples(form_path: Path, source: Graph, meta: Graph, repeat: int) -> list[float] | None:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "@lblod" / "submission-form-helpers").is_dir():
        print("real library: not run (needs node and `make node`)")
        return None
    with tempfile.TemporaryDirectory() as folder:
        data_path, meta_path = Path(folder) / "data.ttl", Path(folder) / "meta.ttl"
        data_path.write_text(to_turtle(source))
        meta_path.write_text(to_turtle(meta))
        command = [node, str(NODE_SCRIPT), "--form", str(form_path), "--data", str(data_path), "--meta", str(meta_path)]
        command += ["--node", SUBMISSION, "--repeat", str(repeat)]
        environment = {**os.environ, "LOKET_NODE_MODULES": str(NODE_MODULES)}
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment)
    output = json.loads(result.stdout)
    if "crash" in output:
        print(f"real library: crashed ({output['crash']})")
        return None
    return output["timings_ms"][3:]  # the first runs warm up V8


def main() -> None:
    real_form = os.environ.get("LOKET_REAL_TOEZICHT_FORM", "")
    folder = tempfile.TemporaryDirectory()
    if real_form and Path(real_form).is_file():
        form_path = Path(real_form)
        what = "the real Loket's Toezicht form"
    else:
        form_path = Path(folder.name) / "synthetic-form.ttl"
        form_path.write_text(generate().form_ttl)
        what = "a generated form of the real one's size"
    clear_cache()
    start, cpu_start = time.perf_counter(), time.process_time()
    definition = load_form(form_path)
    first_load = (time.perf_counter() - start) * 1000
    first_load_cpu = (time.process_time() - cpu_start) * 1000
    cached = timed(lambda: load_form(form_path), 200)
    if real_form and Path(real_form).is_file():
        meta = real_meta(definition)
        document_type = busiest_document_type(definition, meta)
        source = realistic_submission(definition, meta, document_type)
    else:
        meta = parse_turtle_text(generate().meta_ttl, source="<meta>")
        document_type = URIRef("http://lblod.data.gift/concepts/type-3")
        source = build_submission(definition, meta)
    node = URIRef(SUBMISSION)
    print(f"form: {what}, {len(definition.graph)} triples, {len(definition.fields)} fields, "
          f"{sum(len(f.conditional_groups) for f in definition.fields.values())} conditional groups")  # fmt: skip
    context = DataContext(source=source, meta=meta)
    print(
        f"submission: document type {document_type}, {len(source)} triples, "
        f"{len(applicable_fields(definition, context, node))} applicable fields, "
        f"{len(form_data_triples(definition, context, node))} form data triples, "
        f"valid: {validate_form(definition, context, node).valid}"
    )
    print(f"{'load + parse (first, uncached)':<40} {first_load:8.2f} ms   (CPU {first_load_cpu:.2f} ms)")
    report("load (cached)", cached)

    def decide_validate_select() -> None:
        fresh = DataContext(source=source, meta=meta)
        applicable_fields(definition, fresh, node)
        validate_form(definition, fresh, node)
        form_data_triples(definition, fresh, node)

    for _ in range(10):
        decide_validate_select()
    ours = report("decide + validate + select (ours)", timed(decide_validate_select, 300))
    report("render (incl. validate)", timed(lambda: render_form(definition, DataContext(source, meta), node), 50))
    theirs_samples = real_library_samples(form_path, source, meta, repeat=40)
    if theirs_samples:
        theirs = report("decide + validate + select (real library)", theirs_samples)
        print(f"ratio: ours is {theirs / ours:.1f}x faster than the real library")
    folder.cleanup()


if __name__ == "__main__":
    main()
