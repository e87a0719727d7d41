"""docs/security/asvs-l2.md: every OWASP ASVS 4.0.3 Level 2 requirement once, with a verdict and, when met, evidence
that exists in the repository; the summary table at the top matches the rows."""

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST = ROOT / "docs" / "security" / "asvs-l2.md"
VERDICTS = ("met", "n.v.t.", "gap")


def _ids(section: str, numbers: str) -> list[str]:
    """'1-7' -> section.1 .. section.7; '1,4,5' -> those."""
    found = []
    for part in numbers.split(","):
        first, _, last = part.partition("-")
        found += [f"{section}.{n}" for n in range(int(first), int(last or first) + 1)]
    return found


# ASVS 4.0.3, every requirement marked L1 or L2 (L3-only and deleted numbers left out).
LEVEL_2 = {
    "1.1": "1-7", "1.2": "1-4", "1.4": "1,4,5", "1.5": "1-4", "1.6": "1-4", "1.7": "1-2", "1.8": "1-2",
    "1.9": "1-2", "1.10": "1", "1.11": "1-2", "1.12": "2", "1.14": "1-6",
    "2.1": "1-12", "2.2": "1-3", "2.3": "1-3", "2.4": "1-5", "2.5": "1-7", "2.6": "1-3", "2.7": "1-6",
    "2.8": "1-6", "2.9": "1-3", "2.10": "1-4",
    "3.1": "1", "3.2": "1-4", "3.3": "1-4", "3.4": "1-5", "3.5": "1-3", "3.7": "1",
    "4.1": "1-3,5", "4.2": "1-2", "4.3": "1-3",
    "5.1": "1-5", "5.2": "1-8", "5.3": "1-10", "5.4": "1-3", "5.5": "1-4",
    "6.1": "1-3", "6.2": "1-6", "6.3": "1-2", "6.4": "1-2",
    "7.1": "1-4", "7.2": "1-2", "7.3": "1,3,4", "7.4": "1-3",
    "8.1": "1-4", "8.2": "1-3", "8.3": "1-8",
    "9.1": "1-3", "9.2": "1-4",
    "10.2": "1-2", "10.3": "1-3",
    "11.1": "1-8",
    "12.1": "1-3", "12.2": "1", "12.3": "1-6", "12.4": "1-2", "12.5": "1-2", "12.6": "1",
    "13.1": "1-5", "13.2": "1-3,5,6", "13.3": "1-2", "13.4": "1-2",
    "14.1": "1-5", "14.2": "1-6", "14.3": "2-3", "14.4": "1-7", "14.5": "1-4",
}  # fmt: skip
REQUIRED = [i for section, numbers in LEVEL_2.items() for i in _ids(section, numbers)]
ROW = re.compile(r"^\| (\d+\.\d+\.\d+) \| (.+?) \| (.+?) \| (.*) \|$")


def _rows() -> list[tuple[str, str, str, str]]:
    return [m.groups() for line in CHECKLIST.read_text().splitlines() if (m := ROW.match(line))]


def test_every_level_2_requirement_appears_exactly_once():
    counts = Counter(row[0] for row in _rows())
    assert len(REQUIRED) == len(set(REQUIRED))
    assert sorted(set(REQUIRED) - set(counts)) == []
    assert sorted(set(counts) - set(REQUIRED)) == []
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_row_has_a_verdict_and_a_reason():
    for number, _text, verdict, evidence in _rows():
        assert verdict in VERDICTS, number
        assert evidence.strip(), number


def test_every_met_row_names_paths_that_exist():
    for number, _text, verdict, evidence in _rows():
        if verdict != "met":
            continue
        named = re.findall(r"`([\w./-]+)(?:::\w+)?`", evidence)
        paths = [p for p in named if "/" in p or p.endswith((".toml", ".md")) or p == "Makefile"]
        assert paths, f"{number} names no file"
        missing = [p for p in paths if not (ROOT / p).exists()]
        assert missing == [], number


def test_named_test_functions_exist():
    for number, _text, _verdict, evidence in _rows():
        for path, name in re.findall(r"`([\w./-]+\.py)::(\w+)`", evidence):
            assert f"def {name}(" in (ROOT / path).read_text(), f"{number}: {path}::{name}"


def test_the_summary_table_matches_the_rows():
    rows = _rows()
    text = CHECKLIST.read_text()
    for chapter in range(1, 15):
        verdicts = Counter(v for n, _t, v, _e in rows if n.split(".")[0] == str(chapter))
        counts = f"{verdicts['met']} | {verdicts['n.v.t.']} | {verdicts['gap']} | {sum(verdicts.values())}"
        expected = f"| V{chapter} | {counts} |"
        assert expected in text, expected
    total = Counter(v for _n, _t, v, _e in rows)
    assert f"| Total | {total['met']} | {total['n.v.t.']} | {total['gap']} | {len(rows)} |" in text
