"""Vendors of the tests: meeting software acting for the municipality (the key of the real Loket's examples),
and Religiopoint as a platform. Example pages are served from loopback."""

import json

import pytest
from django.utils import timezone

from loket.organisations.models import Channel, Organisation
from loket.supervision.codelists import document_types_load
from loket.supervision.models import GoverningBody
from loket.vendors.access import access_cache_clear
from loket.vendors.guard import guard_memory_clear
from loket.vendors.keys import key_cache_clear
from loket.vendors.models import Vendor
from loket.vendors.services import vendor_create
from tests.vendors.pages import BODIES, page_server

KEY = "AE86-GT86"
VENDOR_URI = "http://data.lblod.info/vendors/cipal-schaubroeck"
PLATFORM_KEY = "religio-secret"
PLATFORM_URI = "http://data.lblod.info/vendors/religiopoint"
BODY_F7460 = (
    "http://data.lblod.info/id/bestuursorganen/f7460afee3759df859b3e42f2b108909d2f657726f884427ee0fc915cac45388"
)
BODY_52CDC = (
    "http://data.lblod.info/id/bestuursorganen/52cdc35f6895723507a37553aae95759f9d7b3992568ca1fbecc85b9e4fab690"
)
GEMEENTERAAD = "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/5ab0e9b8a3b2ca7c5e000005"
COLLEGE = "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/5ab0e9b8a3b2ca7c5e000006"
SUBMITTABLE = "http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff"
CONCEPT = "http://lblod.data.gift/concepts/79a52da4-f491-4e2f-9374-89a13cde8ecd"


@pytest.fixture(autouse=True)
def _vendor_settings(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_ALLOW_PRIVATE_FETCH = ["127.0.0.1/32"]
    settings.LOKET_VENDOR_BACKOFF_SECONDS = 0.001
    key_cache_clear()
    from django.core.cache import cache

    cache.clear()
    access_cache_clear()
    guard_memory_clear()


@pytest.fixture
def vendor(municipality) -> Vendor:  # type: ignore[no-untyped-def]
    return vendor_create(uri=VENDOR_URI, name="Cipal Schaubroeck", organisations=[municipality], key=KEY).vendor


@pytest.fixture
def platform_vendor(religiopoint) -> Vendor:  # type: ignore[no-untyped-def]
    return vendor_create(
        uri=PLATFORM_URI, name="Religiopoint", organisations=[], platform=religiopoint, key=PLATFORM_KEY
    ).vendor


@pytest.fixture
def worship_on_platform(worship_board, religiopoint) -> Organisation:  # type: ignore[no-untyped-def]
    worship_board.channel = Channel.PLATFORM
    worship_board.platform = religiopoint
    worship_board.channel_since = timezone.make_aware(timezone.datetime(2024, 3, 1, 12))
    worship_board.save()
    return worship_board


@pytest.fixture
def codelists(db):  # type: ignore[no-untyped-def]
    document_types_load()


@pytest.fixture
def mechelen_bodies(municipality) -> list[GoverningBody]:  # type: ignore[no-untyped-def]
    """The governing bodies the example pages name, registered as the municipality's own."""
    return [
        GoverningBody.objects.create(
            organisation=municipality, uri=BODY_F7460, classification_uri=GEMEENTERAAD, label="Gemeenteraad"
        ),
        GoverningBody.objects.create(
            organisation=municipality,
            uri=BODY_52CDC,
            classification_uri=COLLEGE,
            label="College van Burgemeester en Schepenen",
        ),
    ]


@pytest.fixture
def pages():  # type: ignore[no-untyped-def]
    with page_server() as server:
        yield server


def example_body(name: str) -> dict:
    return json.loads((BODIES / name).read_text(encoding="utf-8"))


def body_for(
    organisation: Organisation,
    *,
    href: str = "http://raadpleegomgeving.example.be/besluit",
    resource: str = "http://data.example.be/besluiten/1",
    status: str | None = None,
    key: str = KEY,
    vendor_uri: str = VENDOR_URI,
    **extra,
) -> dict:  # type: ignore[no-untyped-def]
    body = {
        "href": href,
        "organization": organisation.uri,
        "publisher": {"uri": vendor_uri, "key": key},
        "submittedResource": resource,
        **extra,
    }
    if status is not None:
        body["status"] = status
    return body


def post(client, url: str, body, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(url, data=data, content_type=content_type)
