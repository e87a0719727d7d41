"""A delta file's JSON is written by `delta.file_body`, not by `json.dumps(..., indent=2)` (which encodes in Python,
call by call): its bytes must stay exactly those of `json.dumps(changesets, indent=2, ensure_ascii=False)`, the format
consumers already read."""

import json
import random

import pytest

from loket.opendata.delta import file_body

AWKWARD = ["", "é", '"', "\\", "\n", "\r", "\t", "\x00", "\x01", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "😀",
           "\ud800", "</script>", "a b", "http://x/y#z", "ß"]  # fmt: skip


def _term(rng: random.Random) -> dict[str, str]:
    value = "".join(rng.choice(AWKWARD) for _ in range(rng.randrange(0, 6)))
    return rng.choice(
        [
            {"type": "uri", "value": value},
            {"type": "literal", "value": value, "xml:lang": "nl-BE"},
            {"type": "typed-literal", "value": value, "datatype": "http://www.w3.org/2001/XMLSchema#string"},
            {"type": "literal", "value": value},
        ]
    )


def _changesets(rng: random.Random) -> list[dict[str, list]]:  # type: ignore[type-arg]
    def triples() -> list[dict[str, dict[str, str]]]:
        return [
            {"subject": _term(rng), "predicate": _term(rng), "object": _term(rng), "graph": _term(rng)}
            for _ in range(rng.randrange(0, 4))
        ]

    return [{"inserts": triples(), "deletes": triples()} for _ in range(rng.randrange(0, 4))]


@pytest.mark.parametrize("seed", range(200))
def test_the_bytes_are_those_of_json_dumps_with_an_indent(seed: int) -> None:
    changesets = _changesets(random.Random(seed))
    assert file_body(changesets) == json.dumps(changesets, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [[], [{}], [[]], [{"inserts": [], "deletes": []}], [[["x"]], {"a": {"b": []}}]])
def test_empty_and_nested_containers(value: list) -> None:  # type: ignore[type-arg]
    assert file_body(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_other_values_are_refused() -> None:
    with pytest.raises(TypeError):
        file_body([{"count": 1}])  # type: ignore[list-item]
