"""Running the real form library (Node) next to our engine on the same form + data + meta, and comparing.

`RealLibrary` keeps one `node tests/forms/real_library.mjs --serve` process for the whole test session and
sends it one case per line, so hundreds of generated cases cost one Node start-up. `summary()` reduces a
report (ours or theirs, same JSON) to what must agree: the verdict, the applicable fields, the fields with
errors and with warnings, listing items with the same per item, and the selected form data.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from loket.forms.cli import validation_report
from loket.forms.loader import load_form_text
from loket.forms.model import FormDefinition
from loket.forms.paths import DataContext
from loket.forms.rdfio import exact_literals, parse_turtle_text

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("real_library.mjs")
NODE_MODULES = Path(os.environ.get("LOKET_NODE_MODULES", REPO / "var" / "node" / "node_modules"))


def unavailable(why: str) -> None:
    """Skip locally; under CI the differential test must run, so a missing Node or npm install fails."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"differential test cannot run under CI: {why}")
    pytest.skip(why)


class RealLibrary:
    """One long-lived Node process answering one JSON case per line."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            unavailable("node is not installed")
        if not (NODE_MODULES / "@lblod" / "submission-form-helpers").is_dir():
            unavailable(f"@lblod/submission-form-helpers is not installed in {NODE_MODULES} (run `make node`)")
        self.process = subprocess.Popen(
            [str(node), str(SCRIPT), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "LOKET_NODE_MODULES": str(NODE_MODULES), "TZ": "UTC"},
        )

    def report(self, form: str, data: str = "", meta: str = "", node: str = "") -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"form": form, "data": data, "meta": meta, "node": node}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            error = self.process.stderr.read() if self.process.stderr else ""
            raise RuntimeError(f"the Node process stopped: {error}")
        return json.loads(line)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=10)


@functools.lru_cache(maxsize=64)
def _definition(form: str) -> FormDefinition:
    return load_form_text(form, source="<form>")


def our_report(form: str, data: str = "", meta: str = "", node: str = "") -> dict[str, Any]:
    """Our report in the real library's terms: form data as importTriplesForForm selects it (no listings)."""
    definition = _definition(form)
    context = DataContext(source=parse_turtle_text(data, source="<data>"), meta=parse_turtle_text(meta, source="<m>"))
    subject = URIRef(node)
    real_terms = validation_report(definition, context, subject, with_form_data=True, include_listings=False)
    with_listings = validation_report(definition, context, subject, with_form_data=True)
    assert set(real_terms["form_data"]) <= set(with_listings["form_data"])  # ours only ever adds listing data
    return real_terms


@dataclass(frozen=True)
class Summary:
    valid: bool
    fields: frozenset[str]
    errors: frozenset[str]
    warnings: frozenset[str]
    items: tuple[tuple[str, tuple[tuple[str, Summary], ...]], ...]
    form_data: frozenset


def _fields_summary(valid: bool, fields: list[dict], form_data: frozenset) -> Summary:
    listings = []
    for entry in sorted(fields, key=lambda e: e["field"]):
        if "items" in entry:
            items = tuple(
                (item["node"], _fields_summary(True, item["fields"], frozenset()))
                for item in sorted(entry["items"], key=lambda i: i["node"])
            )
            listings.append((entry["field"], items))
    return Summary(
        valid=valid,
        fields=frozenset(e["field"] for e in fields),
        errors=frozenset(e["field"] for e in fields if e["errors"]),
        warnings=frozenset(e["field"] for e in fields if e["warnings"]),
        items=tuple(listings),
        form_data=form_data,
    )


def summary(report: dict[str, Any]) -> Summary:
    graph = Graph()
    with exact_literals():
        graph.parse(data="\n".join(report["form_data"]), format="nt")
    return _fields_summary(report["valid"], report["fields"], frozenset(graph))


def differences(real: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """What differs, in words (empty when the engines agree)."""
    if "crash" in real:
        return [f"the real library crashed: {real['crash']}"]
    return _compare(summary(real), summary(ours), "")


def _compare(real: Summary, ours: Summary, where: str) -> list[str]:
    found = []
    if real.valid != ours.valid:
        found.append(f"{where}valid: real {real.valid}, ours {ours.valid}")
    for name in ("fields", "errors", "warnings", "form_data"):
        theirs, mine = getattr(real, name), getattr(ours, name)
        if theirs != mine:
            only_real, only_ours = sorted(map(str, theirs - mine)), sorted(map(str, mine - theirs))
            found.append(f"{where}{name}: only real {only_real}, only ours {only_ours}")
    real_items, our_items = dict(real.items), dict(ours.items)
    for listing in sorted(set(real_items) | set(our_items)):
        theirs, mine = dict(real_items.get(listing, ())), dict(our_items.get(listing, ()))
        if set(theirs) != set(mine):
            found.append(f"{where}{listing} items: real {sorted(theirs)}, ours {sorted(mine)}")
        for item in sorted(set(theirs) & set(mine)):
            found.extend(_compare(theirs[item], mine[item], f"{where}{listing} [{item}] "))
    return found
