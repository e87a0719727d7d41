"""The atheris harnesses (tests/fuzz/harnesses.py): the seed corpus and every crash found so far replayed on each
run (regression tests), and each harness fuzzed for LOKET_FUZZ_SECONDS (default 60) seconds, once per CI run: in
the PostgreSQL pass (the harnesses use no database), or wherever LOKET_FUZZ=1. `make fuzz FUZZ_SECONDS=600` runs
them longer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from loket.forms.errors import FormError
from loket.forms.loader import load_form_text
from loket.vendors.rdfa import RDFaUnreadable, rdfa_graph
from tests.fuzz import harnesses

REPO = Path(__file__).resolve().parents[2]
SECONDS = int(os.environ.get("LOKET_FUZZ_SECONDS", "60"))
ONCE_PER_CI_RUN = os.environ.get("LOKET_FUZZ") == "1" or os.environ.get("DATABASE_URL", "").startswith("postgres")


def _inputs(folder: Path) -> list[tuple[str, Path]]:
    return [
        (target, path)
        for target in harnesses.TARGETS
        for path in sorted((folder / target).iterdir())
        if path.is_file() and not path.name.startswith(".")
    ]


@pytest.mark.parametrize(("target", "path"), _inputs(harnesses.CORPUS) + _inputs(harnesses.CRASHES))
def test_seeds_and_earlier_crashes_pass_the_harness(target, path):
    harnesses.TARGETS[target](path.read_bytes())


@pytest.mark.parametrize("name", ["unknown-encoding.xml", "multibyte-encoding.xml"])
def test_an_xml_declaration_with_an_unreadable_encoding_is_a_finding(name):
    check = harnesses.check_path(harnesses.CRASHES / "xml" / name, label=name, is_xbrl=False)
    assert [item["code"] for item in check.findings] == ["not_well_formed"]
    assert "encoding" in check.findings[0]["params"]["reason"]


@pytest.mark.skipif(not ONCE_PER_CI_RUN, reason="fuzzed once per CI run: in the PostgreSQL pass, or LOKET_FUZZ=1")
@pytest.mark.timeout(SECONDS + 120)
@pytest.mark.parametrize("target", list(harnesses.TARGETS))
def test_fuzzing_finds_no_crash(target):
    pytest.importorskip("atheris", reason="atheris has wheels for Linux x86_64 only")
    before = set((harnesses.CRASHES / target).iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.run_atheris", target, "--seconds", str(SECONDS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=SECONDS + 100,
    )
    found = set((harnesses.CRASHES / target).iterdir()) - before
    assert result.returncode == 0 and not found, (
        f"crash written to {sorted(found)}; make it a regression test (keep the file, fix the code)\n"
        + result.stderr[-6000:]
    )


def test_a_quoted_triple_in_a_form_is_a_load_error_with_its_line():
    """Found by atheris: RDF-star `<< … >>` (pyoxigraph reads it, forms never use it) was an AssertionError."""
    text = (harnesses.CRASHES / "turtle" / "rdf-star-quoted-triple.ttl").read_bytes().decode("utf-8", "replace")
    with pytest.raises(FormError) as refused:
        load_form_text(text, source="form.ttl")
    assert "form.ttl" in str(refused.value)


def test_an_invalid_language_tag_makes_the_page_unreadable_with_a_message():
    """Found by atheris: lang="=…" made pyRdfa raise ValueError, which the vendor import did not catch."""
    html = '<div prefix="dct: http://purl.org/dc/terms/" resource="http://x/b"><p property="dct:title" lang="=x">t</p>'
    with pytest.raises(RDFaUnreadable) as refused:
        rdfa_graph(html, base="http://raadpleegomgeving.example.be/besluit")
    assert "niet als RDFa te lezen" in refused.value.message
