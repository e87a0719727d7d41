"""The vendor's credentials for a private page go to that page's origin only (issue 11, item 2): two loopback
servers, the page on the first links attachments on both; the second never sees an Authorization header."""

import pytest

from loket.vendors.models import Job
from tests.vendors.conftest import body_for, post
from tests.vendors.pages import PAGES, page_server
from tests.vendors.test_pipeline import BUDGET

pytestmark = pytest.mark.django_db


def _authentication(scheme: str, pages) -> dict:  # type: ignore[no-untyped-def]
    if scheme == "basic":
        return {"configuration": {"scheme": "basic"}, "credentials": {"username": "foo", "password": "bar"}}
    return {
        "configuration": {"scheme": "oauth2", "flow": "client", "token": pages.url("/oauth2/token")},
        "credentials": {"clientId": "foo", "clientSecret": "bar"},
    }


@pytest.mark.parametrize("scheme", ["basic", "oauth2", "in-address"])
def test_credentials_reach_only_the_pages_origin(
    client, vendor, municipality, codelists, mechelen_bodies, pages, run_worker, scheme
):
    guard = {"bearer": "tok-123"} if scheme == "oauth2" else {"basic": ("foo", "bar")}
    with page_server() as elsewhere:
        own = pages.serve("/eigen-bijlage.pdf", b"%PDF-1.7\neigen", "application/pdf", **guard)
        foreign = elsewhere.serve("/andere-bijlage.pdf", b"%PDF-1.7\nander", "application/pdf")
        html = (
            (PAGES / "voorbeeld-budget.html")
            .read_text()
            .replace(
                '<span property="eli:title"',
                f'<a property="dct:source" href="{own}">eigen</a>'
                f'<a property="eli:related_to" href="{foreign}">ander</a><span property="eli:title"',
            )
        )
        href = pages.serve("/privaat", html, **guard)
        extra = {}
        if scheme == "in-address":
            href = href.replace("http://", "http://foo:bar@")
        else:
            extra["authentication"] = _authentication(scheme, pages)
        response = post(client, "/melding", body_for(municipality, href=href, resource=BUDGET, **extra))
        assert response.status_code == 201, response.content
        run_worker()
        job = Job.objects.get()
        assert job.status == "success", job.error_message
        assert [path for _m, path, _h in elsewhere.requests] == ["/andere-bijlage.pdf"]
        assert "authorization" not in elsewhere.requests[0][2]
        assert elsewhere.token_requests == []
        own_requests = {path: headers for _m, path, headers in pages.requests}
        expected = "Bearer tok-123" if scheme == "oauth2" else "Basic Zm9vOmJhcg=="
        assert own_requests["/privaat"]["authorization"] == expected
        assert own_requests["/eigen-bijlage.pdf"]["authorization"] == expected
        assert job.tasks.get(operation="import").message == ""
