"""A failure the Loket cannot handle (the database down, found by the PostgreSQL kill test) gets a page that says what
a clerk needs to know — nothing already sent is lost, check the list before sending again — in Dutch with English,
instead of Django's bare "Server Error (500)". It is a static page: it must render when nothing else works."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def broken(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("the database went away")


def session_lost(request):  # type: ignore[no-untyped-def]
    """Writes to the session, whose row is gone when the response saves it (the PostgreSQL kill test saw this when the
    database died between a send's commit and the end of its request)."""
    from django.contrib.sessions.models import Session
    from django.http import HttpResponse

    request.session["seen"] = True
    Session.objects.filter(session_key=request.session.session_key).delete()
    return HttpResponse("verstuurd")


def database_gone(request):  # type: ignore[no-untyped-def]
    from django.contrib.sessions.models import Session

    return Session.objects.count()


urlpatterns = [
    path("kapot/", broken),
    path("sessie-kwijt/", session_lost),
    path("database-weg/", database_gone),
    path("", include("loket.core.urls")),
]
handler400 = "loket.core.views.bad_request"  # as loket/urls.py names them
handler500 = "loket.core.views.server_error"


def context_processor_that_fails(request):  # type: ignore[no-untyped-def]
    raise OperationalError("the database went away")


def assert_footer(body: str) -> None:
    """The footer of every page: the helpdesk's address from the settings and the privacy notice."""
    footer = body[body.index("<footer") :]
    assert 'href="mailto:hulp@loket.example"' in footer
    assert '<a href="/privacyverklaring/">Privacyverklaring</a>' in footer


def test_a_server_error_page_tells_the_clerk_nothing_sent_is_lost(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/kapot/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Tijdelijke storing" in body and "blijft bewaard" in body and "opnieuw probeert" in body
    assert "Temporary failure" in body and "RuntimeError" not in body


def test_the_page_gives_an_incident_number_that_the_log_has_with_the_traceback(settings, caplog):  # type: ignore[no-untyped-def]
    import re

    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    with caplog.at_level("ERROR", logger="loket.incident"):
        first = Client(raise_request_exception=False).get("/kapot/").content.decode()
        second = Client(raise_request_exception=False).get("/kapot/").content.decode()
    numbers = [re.search(r"storingsnummer <strong>([0-9A-F]{8})</strong>", page)[1] for page in (first, second)]
    assert numbers[0] != numbers[1]
    assert f"incident number <strong>{numbers[0]}</strong>" in first
    logged = [record for record in caplog.records if record.name == "loket.incident"]
    assert [record.getMessage() for record in logged] == [f"Incident {n}: GET /kapot/" for n in numbers]
    assert logged[0].exc_info and "the database went away" in str(logged[0].exc_info[1])


def test_the_server_error_page_has_the_footer_when_the_database_and_the_request_context_are_broken(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    settings.LOKET_HELPDESK_EMAIL = "hulp@loket.example"
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [f"{__name__}.context_processor_that_fails"],
            },
        }
    ]

    def no_database(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("connection refused")

    from django.db.backends.base.base import BaseDatabaseWrapper

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", no_database)
        response = Client(raise_request_exception=False).get("/database-weg/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Tijdelijke storing" in body
    assert_footer(body)
    assert "LoketLokaalBestuur@vlaanderen.be" not in body  # the address is the setting, not a copy of its default


def test_the_project_names_the_incident_view_as_its_500_handler():  # type: ignore[no-untyped-def]
    from django.urls import get_resolver

    from loket.core.views import server_error

    assert get_resolver("loket.urls").resolve_error_handler(500) is server_error


def test_a_request_whose_session_was_lost_gets_a_page_that_says_what_was_sent_stays_sent(settings, django_user_model):  # type: ignore[no-untyped-def]
    # Django answers 400 when the session cannot be saved at the end of a request; the clerk whose send had committed
    # read "Bad Request (400)" and could think it failed.
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create(username="clara"))
    response = client.get("/sessie-kwijt/")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Vraag niet afgehandeld" in body and "blijft bewaard" in body and "Kijk dan eerst in de lijst" in body
    assert "Request not handled" in body and "Bad Request" not in body


def test_the_bad_request_page_has_the_footer_with_the_helpdesk_of_the_settings(settings, django_user_model):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    settings.LOKET_HELPDESK_EMAIL = "hulp@loket.example"
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create(username="clara"))
    body = client.get("/sessie-kwijt/").content.decode()
    assert 'Blijft het misgaan, mail dan de helpdesk:\n    <a href="mailto:hulp@loket.example">' in body
    assert_footer(body)


def test_the_project_names_its_bad_request_view_as_its_400_handler():  # type: ignore[no-untyped-def]
    from django.urls import get_resolver

    from loket.core.views import bad_request

    assert get_resolver("loket.urls").resolve_error_handler(400) is bad_request


def test_a_form_refused_by_the_csrf_check_says_what_to_do_in_both_languages(settings, client, django_user_model):  # type: ignore[no-untyped-def]
    # The form of another tab after signing in again (the token rotates at sign-in) got Django's English technical
    # "CSRF verification failed" page without the portal's footer.
    settings.DEBUG = False
    settings.LOKET_HELPDESK_EMAIL = "hulp@loket.example"
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(django_user_model.objects.create(username="clara"))
    response = strict.post("/mijn-gegevens/downloaden/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Het formulier was verlopen" in body and "The form had expired" in body and "CSRF" not in body
    assert_footer(body)
