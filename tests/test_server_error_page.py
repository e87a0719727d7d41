"""A failure the Loket cannot handle (the database down, found by the PostgreSQL kill test) gets a page that says what
a clerk needs to know — nothing already sent is lost, check the list before sending again — in Dutch with English,
instead of Django's bare "Server Error (500)". It is a static page: it must render when nothing else works."""

import pytest
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db


def broken(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("the database went away")


urlpatterns = [path("kapot/", broken)]


def test_a_server_error_page_tells_the_clerk_nothing_sent_is_lost(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/kapot/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Tijdelijke storing" in body and "blijft bewaard" in body and "opnieuw probeert" in body
    assert "Temporary failure" in body and "RuntimeError" not in body
