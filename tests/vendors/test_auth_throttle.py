"""Throttles are not spent before authentication (issue 11, item 4): wrong keys are counted per client address and
per claimed vendor, apart from the vendor's quota; once a failure budget is spent, keys are refused before any
Argon2 check, yet the real vendor keeps working."""

import pytest

from loket.vendors import keys
from loket.vendors.models import Job
from tests.vendors.conftest import KEY, VENDOR_URI, body_for

pytestmark = pytest.mark.django_db
ATTACKER = "203.0.113.66"
VENDOR_HOST = "198.51.100.7"


@pytest.fixture
def argon2_checks(monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Counts the real Argon2 verifications (the real one runs; only counted)."""
    calls: list[int] = []
    real = keys._hasher

    class Counting:
        def verify(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(1)
            return real.verify(*args, **kwargs)

        def hash(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return real.hash(*args, **kwargs)

    monkeypatch.setattr(keys, "_hasher", Counting())
    return calls


def _post(client, path: str, body: dict, address: str):  # type: ignore[no-untyped-def]
    import json

    return client.post(path, data=json.dumps(body), content_type="application/json", REMOTE_ADDR=address)


def _melding(client, organisation, number: int, key: str = KEY, address: str = VENDOR_HOST):  # type: ignore[no-untyped-def]
    body = body_for(organisation, resource=f"http://data.example.be/besluiten/q{number}", key=key)
    return _post(client, "/melding", body, address)


def test_wrong_keys_never_spend_the_vendors_quota(client, vendor, municipality, settings):
    settings.LOKET_VENDOR_THROTTLE = 3
    assert [_melding(client, municipality, n, key="fout", address=ATTACKER).status_code for n in range(10)] == (
        [401] * 10
    )
    codes = [_melding(client, municipality, n).status_code for n in range(10, 14)]
    assert codes == [201, 201, 201, 429]
    assert Job.objects.count() == 3


def test_an_address_that_spent_its_failures_is_refused_before_hashing(
    client, vendor, municipality, settings, argon2_checks
):
    settings.LOKET_VENDOR_AUTH_FAILURES_PER_ADDRESS = 5
    codes = [_melding(client, municipality, n, key=f"fout-{n}", address=ATTACKER).status_code for n in range(8)]
    assert codes == [401] * 5 + [429] * 3
    assert len(argon2_checks) == 5
    refused = _melding(client, municipality, 99, address=ATTACKER)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json() == {
        "errors": [{"title": "Too many failed authentications from this address; try again later."}]
    }
    assert _melding(client, municipality, 100).status_code == 201  # another address is not affected


def test_wrong_keys_from_many_addresses_cap_argon2_and_spare_the_real_vendor(
    client, vendor, municipality, settings, argon2_checks
):
    settings.LOKET_VENDOR_AUTH_FAILURES_PER_VENDOR = 5
    assert _melding(client, municipality, 0).status_code == 201  # the vendor worked before the attack
    argon2_checks.clear()
    codes = [
        _melding(client, municipality, n, key=f"fout-{n}", address=f"203.0.113.{n}").status_code for n in range(1, 9)
    ]
    assert codes == [401] * 5 + [429] * 3
    assert len(argon2_checks) == 5
    assert _melding(client, municipality, 20).status_code == 201  # its known address
    assert _melding(client, municipality, 21, address="192.0.2.200").status_code == 201  # a new address, its key
    assert _melding(client, municipality, 22, key="nog-fout", address="192.0.2.201").status_code == 429


def test_status_requests_with_wrong_keys_do_not_block_the_vendors_status(client, vendor, municipality, settings):
    settings.LOKET_VENDOR_STATUS_THROTTLE = 2
    assert _melding(client, municipality, 1).status_code == 201
    submission = Job.objects.get().submission_uri
    wrong = {"submission": submission, "organization": municipality.uri, "publisher": {"uri": VENDOR_URI, "key": "x"}}
    assert {_post(client, "/status", wrong, ATTACKER).status_code for _ in range(6)} == {401}
    right = {**wrong, "publisher": {"uri": VENDOR_URI, "key": KEY}}
    assert [_post(client, "/status", right, VENDOR_HOST).status_code for _ in range(3)] == [200, 200, 429]


def test_wrong_bearer_tokens_are_throttled_per_address(client, vendor, settings, argon2_checks):
    settings.LOKET_VENDOR_AUTH_FAILURES_PER_ADDRESS = 3
    token = "0123456789abcdef.geraden"
    codes = [
        client.get("/api/vendor/submissions/x", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=ATTACKER).status_code
        for _ in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]
