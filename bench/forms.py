"""Benchmark of the semantic form engine on a generated form of the real toezicht form's size.

Run: `.venv/bin/python bench/forms.py` (prints numbers; not a timed test). Budget: decide + validate under
20 ms median per submission, render under 30 ms, after the definition is loaded and cached.
"""

from __future__ import annotations

import os
import statistics
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

from rdflib import Graph, URIRef  # noqa: E402

from loket.forms.decide import applicable_fields  # noqa: E402
from loket.forms.loader import clear_cache, load_form  # noqa: E402
from loket.forms.paths import DataContext  # noqa: E402
from loket.forms.rdfio import parse_turtle_text  # noqa: E402
from loket.forms.render import render_form  # noqa: E402
from loket.forms.select import form_data_triples  # noqa: E402
from loket.forms.synthetic import SUBMISSION, build_submission, generate  # noqa: E402
from loket.forms.validate import validate_form  # noqa: E402


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name:<34} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms   (n={len(samples)})")


def main() -> None:
    synthetic = generate()
    graph = Graph()
    graph.parse(data=synthetic.form_ttl, format="turtle")
    with tempfile.TemporaryDirectory() as folder:
        form_path = Path(folder) / "synthetic-form.ttl"
        form_path.write_text(synthetic.form_ttl)
        clear_cache()
        start = time.perf_counter()
        definition = load_form(form_path)
        first_load = (time.perf_counter() - start) * 1000
        cached = timed(lambda: load_form(form_path), 200)
    meta = parse_turtle_text(synthetic.meta_ttl, source="<meta>")
    source = build_submission(definition, meta)
    node = URIRef(SUBMISSION)
    print(
        f"form: {len(graph)} triples, {len(definition.fields)} fields, "
        f"{synthetic.conditional_group_count} conditional groups; submission: {len(source)} triples"
    )
    print(f"{'load + parse (first, uncached)':<34} {first_load:7.2f} ms")
    report("load (cached)", cached)

    def decide_and_validate() -> None:
        context = DataContext(source=source, meta=meta)
        applicable_fields(definition, context, node)
        validate_form(definition, context, node)

    def render() -> None:
        context = DataContext(source=source, meta=meta)
        render_form(definition, context, node, validate_form(definition, context, node))

    context = DataContext(source=source, meta=meta)
    print(
        f"applicable fields: {len(applicable_fields(definition, context, node))}; "
        f"form data: {len(form_data_triples(definition, context, node))} triples; "
        f"valid: {validate_form(definition, context, node).valid}"
    )
    for _ in range(5):
        decide_and_validate()
        render()
    report("decide + validate (per submission)", timed(decide_and_validate, 300))
    report("render (incl. validate)", timed(render, 100))
    report("select form data", timed(lambda: form_data_triples(definition, DataContext(source, meta), node), 300))


if __name__ == "__main__":
    main()
