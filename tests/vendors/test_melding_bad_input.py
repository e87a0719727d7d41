"""Bad bodies on /melding get a 400 in the API's error shape, never a 500 (issue 11, items 8 and 12): deeply
nested JSON, an unparseable href, an href over 2,000 characters; and a hypothesis fuzz test over the body."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loket.vendors.models import Job
from tests.vendors.conftest import body_for, post

pytestmark = pytest.mark.django_db
HREF_INVALID = 'Invalid JSON-LD payload: property "href" is missing or invalid.'


def _errors(response) -> list:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "application/json"
    return response.json()["errors"]


@pytest.mark.parametrize("depth", [40, 5_000, 45_000])
def test_deeply_nested_json_is_a_400(client, vendor, municipality, depth):
    body = '{"href": ' + "[" * depth + "]" * depth + "}"
    response = post(client, "/melding", body)
    assert response.status_code == 400
    assert _errors(response)[0]["title"] in (
        "Invalid JSON payload, the body is nested more than 32 levels deep.",
        "Invalid JSON payload, the body could not be parsed as JSON.",
    )
    assert Job.objects.count() == 0


def test_nesting_inside_a_context_is_a_400(client, vendor, municipality):
    nested: dict = {}
    inner = nested
    for _ in range(60):
        inner["x"] = {}
        inner = inner["x"]
    body = {**body_for(municipality), "@context": {"@vocab": "http://example.org/"}, "extra": nested}
    response = post(client, "/melding", body)
    assert response.status_code == 400
    assert _errors(response) == [{"title": "Invalid JSON payload, the body is nested more than 32 levels deep."}]


@pytest.mark.parametrize(
    "href",
    [
        "http://[::1:18803/p/x",  # unclosed IPv6 literal: urlsplit raises ValueError
        "http://[::1]:99999/p/x",  # port out of range
        "http://pagina.example.be:poort/x",
        "https://[not-an-address]/x",
    ],
)
def test_unparseable_href_is_a_400(client, vendor, municipality, href):
    response = post(client, "/melding", body_for(municipality, href=href))
    assert response.status_code == 400
    assert _errors(response) == [{"title": HREF_INVALID}]
    assert Job.objects.count() == 0


def test_href_over_2000_characters_is_refused_not_cut(client, vendor, municipality):
    href = "http://raadpleegomgeving.example.be/besluit?" + "a" * 2000
    response = post(client, "/melding", body_for(municipality, href=href))
    assert response.status_code == 400
    assert _errors(response) == [
        {
            "title": f'Invalid JSON-LD payload: property "href" is longer than 2000 characters ({len(href)}); give '
            "the address of the published page."
        }
    ]
    assert Job.objects.count() == 0
    exactly = "http://raadpleegomgeving.example.be/besluit?" + "a" * (2000 - 44)
    assert len(exactly) == 2000
    assert post(client, "/melding", body_for(municipality, href=exactly)).status_code == 201
    assert Job.objects.get().href == exactly


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30,
)
HREFS = st.builds(
    lambda scheme, start, rest: f"{scheme}://{start}{rest}",
    st.sampled_from(["http", "https", "HTTP", "ftp"]),
    st.sampled_from(["[", "[::1", "[::1]:", "host:", "user@", "a:b@", "", "%", "[fe80::1%25eth0]"]),
    st.text(max_size=30),
)
KEYS = st.sampled_from(
    ["href", "organization", "publisher", "submittedResource", "status", "authentication", "@context", "@id"]
)


def test_fuzzed_bodies_never_give_a_500(client, vendor, municipality):
    """Arbitrary JSON, the melding's own keys with arbitrary values, arbitrary bytes: 201 or a 4xx in the shape
    {"errors": [...]}."""
    valid = body_for(municipality)
    count = iter(range(100_000))

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.one_of(
            JSON.map(json.dumps),
            st.dictionaries(KEYS, JSON, max_size=6).map(lambda d: json.dumps({**valid, **d})),
            st.dictionaries(KEYS, st.text(max_size=3000), max_size=4).map(lambda d: json.dumps({**valid, **d})),
            st.binary(max_size=200),
            HREFS.map(lambda href: json.dumps({**valid, "href": href})),
            st.integers(1, 20_000).map(lambda n: json.dumps(valid)[:-1] + ', "x": ' + "[" * n + "]" * n + "}"),
        )
    )
    def check(body) -> None:  # type: ignore[no-untyped-def]
        if isinstance(body, str) and '"submittedResource"' in body:  # no 409 from an earlier example
            body = body.replace(
                "http://data.example.be/besluiten/1", f"http://data.example.be/besluiten/f{next(count)}"
            )
        response = post(client, "/melding", body)
        assert response.status_code in (201, 400, 401, 403, 409, 413, 429), (response.status_code, body)
        if response.status_code != 201:
            errors = response.json()["errors"]
            assert isinstance(errors, list) and errors and set(errors[0]) <= {"title", "message"}

    check()


@pytest.mark.parametrize(
    "change",
    [
        {"href": "http://user@\x00"},  # found by the fuzzer on PostgreSQL: a 500 (text cannot hold NUL)
        {"href": "http://example.be/besluit\x00.html"},
        {"href": "http://example.be/met spatie"},
        {"submittedResource": "http://data.example.be/besluiten/\x00"},
        {"x-extra": "tekst met \x00"},
    ],
)
def test_control_characters_in_a_body_are_refused_with_a_message(client, vendor, municipality, change):
    response = post(client, "/melding", json.dumps({**body_for(municipality), **change}))
    assert response.status_code == 400, response.content
    message = response.json()["errors"][0]
    assert "NUL" in str(message) or "invalid" in str(message)
    assert not Job.objects.exists()
