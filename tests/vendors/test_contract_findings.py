"""What Schemathesis found where the vendor API and its OpenAPI description disagreed, each pinned (issue 18,
item 2). The real Loket decides what is accepted: it puts in the default context when `@context` is falsy (absent
or null) and otherwise expands the body with the context given, which drops keys a context does not define."""

import json

import pytest

from loket.vendors.api import openapi_document
from loket.vendors.keys import key_generate, key_hash, key_id_of
from loket.vendors.models import Job
from loket.vendors.payload import DEFAULT_CONTEXT_URL
from tests.vendors.conftest import body_for, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "context", [None, DEFAULT_CONTEXT_URL, [DEFAULT_CONTEXT_URL], [DEFAULT_CONTEXT_URL, DEFAULT_CONTEXT_URL]]
)
def test_no_context_or_the_default_one_is_read_by_its_keys(client, vendor, municipality, context):
    response = post(client, "/melding", {**body_for(municipality), "@context": context})
    assert response.status_code == 201, response.content
    submission = response.json()["submission"]
    for endpoint in ("/status", "/delete-melding"):
        body = {
            "@context": context,
            "submission": submission,
            "organization": municipality.uri,
            "publisher": body_for(municipality)["publisher"],
        }
        assert post(client, endpoint, body).status_code == 200, endpoint


@pytest.mark.parametrize("context", [{}, {"x": "http://example.org/x"}])
def test_a_context_that_defines_none_of_the_keys_is_a_400_and_outside_the_schema(client, vendor, municipality, context):
    response = post(client, "/melding", {**body_for(municipality), "@context": context})
    assert response.status_code == 400
    assert not Job.objects.exists()
    described = json.loads(openapi_document())["paths"]["/melding"]["post"]["requestBody"]["content"]
    allowed = described["application/json"]["schema"]["properties"]["@context"]["anyOf"]
    assert {"type": "object"} not in allowed and all(option.get("type") != "object" for option in allowed)


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": 6.5e63, "password": "geheim"},  # a number is no text (it was read as "6.5e+63")
        {"username": "gebruiker", "password": 12},
        {"username": "", "password": "geheim"},
    ],
)
def test_basic_credentials_must_be_texts(client, vendor, municipality, credentials):
    authentication = {"configuration": {"scheme": "basic"}, "credentials": credentials}
    response = post(client, "/melding", {**body_for(municipality), "authentication": authentication})
    assert response.status_code == 400
    assert response.json()["errors"][0]["title"].startswith("Invalid authentication")


def test_a_numeric_key_is_no_key(client, vendor, municipality):
    body = body_for(municipality)
    body["publisher"]["key"] = 86
    assert post(client, "/melding", body).status_code == 400


def test_an_oauth2_token_address_in_capitals_is_an_http_address(client, vendor, municipality):
    authentication = {
        "configuration": {"scheme": "oauth2", "token": "HTTPS://login.example.be/token", "flow": 5},
        "credentials": {"clientId": "loket", "clientSecret": "geheim"},
    }
    response = post(client, "/melding", {**body_for(municipality), "authentication": authentication})
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("params", [{}, {"sinds": "2026-01-01"}, {"organisatie": "http://example.org/x"}])
def test_a_missing_query_parameter_is_a_400_in_the_api_error_shape(client, vendor, params):
    response = client.get(
        "/api/vendor/berichtencentrum/berichten", params, HTTP_AUTHORIZATION="Bearer 0123456789abcdef.x"
    )
    assert response.status_code == 400  # django-ninja's own answer would be an undocumented 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"].startswith("Ongeldige of ontbrekende parameters")
    assert set(error["fields"]) <= {"organisatie", "sinds"} and error["fields"]


def test_status_is_described_as_json_ld():
    answer = json.loads(openapi_document())["paths"]["/status"]["post"]["responses"]["200"]
    assert list(answer["content"]) == ["application/ld+json"]


@pytest.mark.parametrize(
    "since", ["1963-09-10T10:46:04.34+16:54", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-12:00"]
)
def test_any_iso_moment_is_read_or_refused_with_a_400(client, vendor, municipality, since):
    """Found by Schemathesis on PostgreSQL: an offset past ±15:59 (valid ISO 8601) was a 500 (DataError)."""
    key = key_generate()
    vendor.key_id, vendor.key_hash = key_id_of(key), key_hash(key)
    vendor.save()
    response = client.get(
        "/api/vendor/berichtencentrum/berichten",
        {"organisatie": municipality.uri, "sinds": since},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        assert response.json() == {"messages": [], "next": None}


def test_a_null_authentication_or_status_counts_as_absent_and_the_schema_says_so(client, vendor, municipality):
    """Schemathesis (seed 1811) sent `"authentication": null`: the API took it as absent (JSON-LD: null is no value),
    as it does a null `@context`, while the description allowed only the two credential objects; `status` likewise
    (null: the default, Concept) while the description allowed only the two status texts."""
    response = post(client, "/melding", {**body_for(municipality), "authentication": None, "status": None})
    assert response.status_code == 201, response.content
    assert Job.objects.get().requested_status == Job.RequestedStatus.CONCEPT
    for path in ("/melding", "/vendor/berichtencentrum/melding"):  # the two take the same body
        described = json.loads(openapi_document())["paths"][path]["post"]["requestBody"]["content"]
        properties = described["application/json"]["schema"]["properties"]
        assert {"type": "null"} in properties["authentication"]["oneOf"]
        assert None in properties["status"]["enum"] and "null" in properties["status"]["type"]
