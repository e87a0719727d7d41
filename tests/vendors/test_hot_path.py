"""The cost of POST /melding: queries pinned, remembered grants that are forgotten on every change that matters,
and the lean request path the vendor API gets beside the site's full one."""

import io
import json
import time
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

from loket.organisations.models import Channel
from loket.organisations.services import organisation_switch_channel
from loket.vendors.keys import key_generate, key_hash, key_id_of
from loket.vendors.models import Job
from loket.vendors.services import vendor_key_reset
from loket.vendors.wsgi import is_vendor_api_path
from loket.wsgi import application
from tests.vendors.conftest import KEY, body_for, post

pytestmark = pytest.mark.django_db


def _resource(number: int) -> str:
    return f"http://data.example.be/besluiten/{number}"


# --- Queries ------------------------------------------------------------------------------------------------


def test_an_accepted_melding_takes_few_queries(client, vendor, municipality, django_assert_num_queries):
    # authorisation (vendor + organisation + listing in one), duplicate check, the body's storage quota in the
    # window (core.quota), then one transaction (here a savepoint and its release, inside the test's transaction):
    # job, tasks, audit entry, background task
    with django_assert_num_queries(9):
        assert post(client, "/melding", body_for(municipality, resource=_resource(1))).status_code == 201
    # the grant is remembered: no query to authorise the next one
    with django_assert_num_queries(8):
        assert post(client, "/melding", body_for(municipality, resource=_resource(2))).status_code == 201


def test_without_remembering_every_request_is_authorised_by_one_query(
    client, vendor, municipality, settings, django_assert_num_queries
):
    settings.LOKET_VENDOR_ACCESS_CACHE_SECONDS = 0
    for number in (1, 2):
        with django_assert_num_queries(9):
            assert post(client, "/melding", body_for(municipality, resource=_resource(number))).status_code == 201


# --- Remembered grants are forgotten on every change --------------------------------------------------------


def _accepted_then(client, municipality, change) -> int:  # type: ignore[no-untyped-def]
    """Accept one melding (the grant is now remembered), apply `change`, and answer the status of the next one."""
    assert post(client, "/melding", body_for(municipality, resource=_resource(1))).status_code == 201
    change()
    return post(client, "/melding", body_for(municipality, resource=_resource(2))).status_code


def test_a_deactivated_vendor_is_refused_at_once(client, vendor, municipality):
    def deactivate() -> None:
        vendor.is_active = False
        vendor.save()

    assert _accepted_then(client, municipality, deactivate) == 401
    assert Job.objects.count() == 1


def test_an_organisation_taken_off_the_vendors_list_is_refused_at_once(client, vendor, municipality):
    assert _accepted_then(client, municipality, lambda: vendor.organisations.remove(municipality)) == 401


def test_a_switch_to_a_platform_is_enforced_at_once(client, vendor, municipality, religiopoint, admin_user):
    def switch() -> None:
        organisation_switch_channel(
            organisation=municipality,
            channel=Channel.PLATFORM,
            platform=religiopoint,
            actor=admin_user,
            reason="overstap",
            confirmed=True,
        )

    assert _accepted_then(client, municipality, switch) == 403


def test_a_reset_key_refuses_the_old_one_at_once(client, vendor, municipality, admin_user):
    new_key: list[str] = []
    status = _accepted_then(client, municipality, lambda: new_key.append(vendor_key_reset(vendor=vendor, actor=None)))
    assert status == 401
    body = body_for(municipality, resource=_resource(3), key=new_key[0])
    assert post(client, "/melding", body).status_code == 201


def test_a_wrong_key_is_refused_even_when_the_grant_is_remembered(client, vendor, municipality):
    assert post(client, "/melding", body_for(municipality, resource=_resource(1))).status_code == 201
    response = post(client, "/melding", body_for(municipality, resource=_resource(2), key=KEY + "-fout"))
    assert response.status_code == 401
    assert Job.objects.count() == 1


def test_a_remembered_grant_expires(client, vendor, municipality, settings):
    settings.LOKET_VENDOR_ACCESS_CACHE_SECONDS = 0.3
    assert post(client, "/melding", body_for(municipality, resource=_resource(1))).status_code == 201
    # a change that sends no signal (a bulk update) is seen once the grant has expired
    type(vendor).objects.filter(pk=vendor.pk).update(is_active=False)
    assert post(client, "/melding", body_for(municipality, resource=_resource(2))).status_code == 201
    time.sleep(0.4)
    assert post(client, "/melding", body_for(municipality, resource=_resource(3))).status_code == 401


# --- The lean request path ----------------------------------------------------------------------------------


@pytest.fixture
def wsgi() -> Iterator[None]:
    """Call the WSGI application itself, as gunicorn does; like Django's test client, keep the test's database
    connection open across requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _call(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "443",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
        **(headers or {}),
    }
    answer: list = []
    content = b"".join(
        application(environ, lambda status, response_headers, *_: answer.append((status, response_headers)))
    )
    status, response_headers = answer[0]
    return int(status.split()[0]), {k.lower(): v for k, v in response_headers}, content


def test_the_api_paths_are_exactly_the_vendor_endpoints() -> None:
    assert [is_vendor_api_path(p) for p in ["/melding", "/status", "/delete-melding", "/api/vendor/submissions/x"]] == [
        True
    ] * 4
    assert [is_vendor_api_path(p) for p in ["/", "/melding/", "/inzendingen/", "/helpdesk/", "/api/vendorx"]] == [
        False
    ] * 5


def test_melding_through_the_lean_path(wsgi, vendor, municipality):
    body = json.dumps(body_for(municipality)).encode()
    status, headers, content = _call("POST", "/melding", body, {"CONTENT_TYPE": "application/json"})
    assert status == 201, content
    job = Job.objects.get()
    assert json.loads(content) == {"uri": job.submission_uri, "submission": job.submission_uri, "job": job.uri}
    # the API's security headers stay; nothing about sessions, cookies or languages
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["strict-transport-security"].startswith("max-age=")
    assert "set-cookie" not in headers
    assert "vary" not in headers


def test_lean_path_errors_keep_the_original_shape(wsgi, vendor, municipality):
    status, _headers, content = _call("POST", "/melding", b"{}", {"CONTENT_TYPE": "text/plain"})
    assert status == 400
    assert json.loads(content)["errors"][0]["title"].startswith("Content-Type not valid")


def test_lean_path_answers_in_dutch_whatever_the_thread_spoke_before(wsgi, vendor, municipality, religiopoint):
    from django.utils import translation

    municipality.channel, municipality.platform = Channel.PLATFORM, religiopoint
    municipality.channel_since = timezone.now()
    municipality.save()
    translation.activate("en")
    try:
        body = json.dumps(body_for(municipality)).encode()
        status, _headers, content = _call(
            "POST", "/melding", body, {"CONTENT_TYPE": "application/json", "HTTP_COOKIE": "django_language=en"}
        )
    finally:
        translation.deactivate()
    assert status == 403
    assert (
        "Inzendingen voor dit bestuur komen alleen via dat platform binnen" in json.loads(content)["errors"][0]["title"]
    )


def test_pages_keep_the_full_middleware(wsgi, municipality):
    status, headers, _content = _call("GET", "/")
    assert "content-security-policy" in headers
    assert headers["x-frame-options"] == "DENY"
    # a form post without a CSRF token is still refused
    status, _headers, _content = _call(
        "POST", "/i18n/setlang/", b"language=en", {"CONTENT_TYPE": "application/x-www-form-urlencoded"}
    )
    assert status == 403


def test_the_lean_path_answers_nul_in_the_query_with_a_json_400(wsgi, vendor, municipality):
    """CI's Schemathesis run against gunicorn found `organisatie=e%00` a 500 on PostgreSQL: the production server
    sends `/api/vendor/` through this lean path, which the test client's handler does not take."""
    key = key_generate()
    vendor.key_id, vendor.key_hash = key_id_of(key), key_hash(key)
    vendor.save()
    status, headers, content = _call(
        "GET",
        "/api/vendor/berichtencentrum/berichten",
        headers={"QUERY_STRING": "sinds=2026-01-01&organisatie=e%00", "HTTP_AUTHORIZATION": f"Bearer {key}"},
    )
    assert status == 400, content
    assert json.loads(content)["error"]["code"] == "bad_request"
    assert headers["content-type"] == "application/json"
    status, _headers, content = _call(
        "GET",
        "/api/vendor/berichtencentrum/berichten",
        headers={
            "QUERY_STRING": f"sinds=2026-01-01&organisatie={municipality.uri}",
            "HTTP_AUTHORIZATION": f"Bearer {key}",
        },
    )
    assert status == 200 and json.loads(content) == {"messages": [], "next": None}
