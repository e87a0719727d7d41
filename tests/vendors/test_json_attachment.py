"""ASVS 14.4.2: every JSON answer of the APIs is an attachment, so a browser tricked into opening one never renders
it as a page; HTML pages are not touched."""

import pytest

from tests.vendors.conftest import body_for, post

pytestmark = pytest.mark.django_db


def test_json_answers_are_attachments_so_a_browser_never_renders_one(client, vendor, municipality):  # type: ignore[no-untyped-def]
    accepted = post(client, "/melding", body_for(municipality))
    refused = post(client, "/melding", "{not json")
    for response in (accepted, refused):
        assert response["Content-Type"].startswith("application/json"), response.status_code
        assert response["Content-Disposition"] == 'attachment; filename="api.json"'
        assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"  # as every download
    assert accepted.status_code == 201 and refused.status_code == 400
    page = client.get("/")
    assert "Content-Disposition" not in page
