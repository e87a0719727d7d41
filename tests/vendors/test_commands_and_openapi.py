"""vendor_create from the shell, keys stored only hashed; the committed OpenAPI file matches the code."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from loket.vendors.api import openapi_document
from loket.vendors.keys import key_verify
from loket.vendors.models import Vendor

pytestmark = pytest.mark.django_db


def test_vendor_create_prints_the_key_alone_on_the_last_line(municipality, other_municipality):
    out = StringIO()
    call_command(
        "vendor_create",
        "--uri",
        "http://example.org/vendors/acme",
        "--name",
        "Acme",
        "--organisation",
        municipality.uri,
        "--organisation",
        other_municipality.uri,
        stdout=out,
    )
    key = out.getvalue().strip().splitlines()[-1]
    vendor = Vendor.objects.get(uri="http://example.org/vendors/acme")
    assert vendor.kind == "meeting_software" and set(vendor.organisations.all()) == {municipality, other_municipality}
    assert key not in vendor.key_hash and vendor.key_hash.startswith("$argon2")
    assert key_verify(vendor_id=vendor.pk, stored_hash=vendor.key_hash, key=key)
    assert vendor.key_id == key.split(".")[0]


def test_vendor_create_platform(religiopoint):
    out = StringIO()
    call_command(
        "vendor_create", "--uri", "http://example.org/vendors/rp", "--name", "Religiopoint", "--platform", stdout=out
    )
    vendor = Vendor.objects.get(uri="http://example.org/vendors/rp")
    assert vendor.kind == "platform" and vendor.platform == religiopoint


def test_vendor_create_refuses_unknown_organisations_and_duplicates(municipality):
    with pytest.raises(CommandError, match="Onbekende besturen"):
        call_command(
            "vendor_create",
            "--uri",
            "http://example.org/v",
            "--name",
            "V",
            "--organisation",
            "http://example.org/none",
            stdout=StringIO(),
        )
    call_command("vendor_create", "--uri", "http://example.org/v", "--name", "V", stdout=StringIO())
    with pytest.raises(CommandError, match="bestaat al"):
        call_command("vendor_create", "--uri", "http://example.org/v", "--name", "V", stdout=StringIO())


def test_committed_openapi_matches_the_code():
    committed = (settings.REPO_DIR / "docs" / "openapi-vendor.json").read_text(encoding="utf-8")
    assert committed == openapi_document(), "regenerate with: manage.py vendor_openapi"
