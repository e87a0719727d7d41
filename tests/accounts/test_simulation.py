""" "Simuleer een bestuur" (issue 18 item 5): an agency admin acts as one body with its module roles, for at most
LOKET_SIMULATION_MINUTES; a banner on every page; every action audited with both identities; a send needs the
admin's confirmation and its receipt names the admin; never an agency role, never nested."""

from datetime import datetime, timedelta

import pytest

from loket.accounts.simulation import SESSION_KEY
from loket.core.audit import Simulation, audit_simulating
from loket.core.errors import DomainError
from loket.core.ledger import ledger_append
from loket.core.models import AuditEvent
from loket.supervision.models import Submission
from loket.supervision.services import submission_update
from tests.supervision.conftest import BESLUITENLIJST
from tests.supervision.test_toezicht import _complete_post, _council

pytestmark = pytest.mark.django_db

BANNER = "U bekijkt het Loket als Aalst"


def _start(client, organisation):  # type: ignore[no-untyped-def]
    return client.post("/simulatie/", {"organisation": organisation.key})


def test_only_agency_staff_may_simulate_and_the_search_finds_a_body_by_name_or_kbo(
    client, clerk, helpdesk, municipality
):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    assert client.get("/simulatie/").status_code == 403
    assert _start(client, municipality).status_code == 403
    assert SESSION_KEY not in client.session
    client.force_login(helpdesk)
    for query in ("Aals", "0207451227", "0207.451.227"):
        page = client.get("/simulatie/", {"q": query}).content.decode()
        assert "Aalst" in page and 'name="organisation"' in page, query


def test_a_simulation_gives_the_body_s_module_roles_a_banner_and_no_agency_role(  # type: ignore[no-untyped-def]
    client, helpdesk, municipality, other_municipality
):
    from tests.conftest import grant

    grant(helpdesk, other_municipality, [])  # a second membership: the organisation switch shows
    client.force_login(helpdesk)
    assert 'action="/bestuur-wisselen/"' in client.get("/").content.decode()
    response = _start(client, municipality)
    assert response.status_code == 302
    home = client.get("/")
    page = home.content.decode()
    assert BANNER in page and "Simulatie stoppen" in page
    roles = home.wsgi_request.roles
    assert {"toezicht", "bbcdr", "mandaten", "berichten"} <= roles
    assert not {"toezichthouder", "berichten-abb", "toegangsbeheer"} & roles
    assert home.wsgi_request.organisation == municipality
    assert 'action="/bestuur-wisselen/"' not in page  # no switching underneath a simulation
    assert BANNER in client.get("/toezicht/").content.decode()  # every page, the modules' too
    assert client.get("/toezichthouder/inzendingen/").status_code == 403  # the admin's own agency role is gone
    assert client.get("/toegangsbeheer/").status_code == 403
    started = AuditEvent.objects.get(action="simulation.started")
    assert started.actor == helpdesk and started.organisation == municipality


def test_never_nested_never_the_agency(client, helpdesk, municipality, other_municipality, agency):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = _start(client, agency)
    assert response.status_code == 400 and "nooit rechten van het agentschap" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert _start(client, municipality).status_code == 302
    response = _start(client, other_municipality)
    assert response.status_code == 400 and "U simuleert al een bestuur" in response.content.decode()
    assert client.session[SESSION_KEY]["organisation_id"] == municipality.pk
    assert AuditEvent.objects.filter(action="simulation.started").count() == 1
    assert client.post("/simulatie/", {"organisation": "geen-bestuur"}).status_code == 400


def test_every_action_while_simulating_names_the_admin_and_the_body(client, helpdesk, municipality):  # type: ignore[no-untyped-def]
    from loket.supervision.codelists import document_types_load

    document_types_load()
    client.force_login(helpdesk)
    _start(client, municipality)
    response = client.post("/toezicht/nieuw/", {"document_type": BESLUITENLIJST})
    assert response.status_code == 302, response.content.decode()[:500]
    concept = Submission.objects.get(organisation=municipality)
    assert client.post(f"/toezicht/{concept.uuid}/verwijderen/").status_code == 302
    assert not Submission.objects.filter(pk=concept.pk).exists()
    event = AuditEvent.objects.filter(organisation=municipality).exclude(action__startswith="simulation").latest("pk")
    assert event.actor == helpdesk
    assert event.details["simulatie"] == {
        "beheerder_id": helpdesk.pk,
        "beheerder": helpdesk.get_full_name(),
        "bestuur_id": municipality.pk,
        "bestuur": municipality.display_name,
    }
    assert event.action == "submission.deleted"


def test_a_send_while_simulating_needs_the_admin_s_confirmation_and_the_receipt_names_the_admin(  # type: ignore[no-untyped-def]
    client, helpdesk, clerk, municipality
):
    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import DocumentType
    from loket.supervision.receipts import submission_receipt
    from loket.supervision.services import submission_create

    document_types_load()
    kind = DocumentType.objects.get(uri=BESLUITENLIJST)
    concept = submission_create(organisation=municipality, document_type=kind, actor=clerk)
    assert submission_update(
        submission=concept, actor=clerk, data=_complete_post(concept, body_uri=_council(municipality).uri)
    ).valid
    client.force_login(helpdesk)
    _start(client, municipality)
    page = client.get(f"/toezicht/{concept.uuid}/versturen/")
    assert 'name="simulatie_bevestigd"' in page.content.decode()
    fingerprint = page.context["fingerprint"]
    refused = client.post(f"/toezicht/{concept.uuid}/versturen/", {"fingerprint": fingerprint})
    assert refused.status_code == 400 and "Bevestig dat u als medewerker van het agentschap" in refused.content.decode()
    assert Submission.objects.get(pk=concept.pk).status == "concept"  # nothing sent, nothing half-written
    sent = client.post(f"/toezicht/{concept.uuid}/versturen/", {"fingerprint": fingerprint, "simulatie_bevestigd": "1"})
    assert sent.status_code == 302
    concept.refresh_from_db()
    assert concept.status == "sent"
    receipt = submission_receipt(concept)
    assert helpdesk.get_full_name() in receipt["sender"] and "simulatie van Aalst" in receipt["sender"]
    assert clerk.get_full_name() not in receipt["sender"]


def test_the_ledger_refuses_an_unconfirmed_send_in_a_simulation():  # type: ignore[no-untyped-def]
    from django.db import transaction

    simulation = Simulation(admin_id=1, admin_label="Hilde", organisation_id=2, organisation_label="Aalst")
    with audit_simulating(simulation), pytest.raises(DomainError), transaction.atomic():
        ledger_append(
            kind="sent",
            subject_uri="urn:x",
            organisation_uri="urn:o",
            actor_label="x",
            content_hash="0" * 64,
            payload={},
            stored_files=(),
        )


def test_a_simulation_ends_after_its_time_limit_and_says_so(client, helpdesk, municipality, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SIMULATION_MINUTES = 60
    client.force_login(helpdesk)
    _start(client, municipality)
    session = client.session
    started = datetime.fromisoformat(session[SESSION_KEY]["started_at"])
    session[SESSION_KEY]["started_at"] = (started - timedelta(minutes=61)).isoformat()
    session.save()
    page = client.get("/")
    body = page.content.decode()
    assert BANNER not in body and "duurde de toegestane 60 minuten" in body
    assert "toezicht" not in page.wsgi_request.roles  # back to the admin's own roles
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="simulation.expired", actor=helpdesk, organisation=municipality).exists()


def test_a_request_after_the_time_limit_is_not_carried_out_as_the_admin_s_own_body(
    client, helpdesk, municipality, settings
):  # type: ignore[no-untyped-def]
    """A form sent (or a module page opened) in the simulated body's name once the hour is over goes to the home page
    with the reason, instead of running as the agency (for which the admin was refused the Toezicht role, and told to
    ask the agency for it)."""
    settings.LOKET_SIMULATION_MINUTES = 60
    client.force_login(helpdesk)
    _start(client, municipality)
    session = client.session
    started = datetime.fromisoformat(session[SESSION_KEY]["started_at"])
    session[SESSION_KEY]["started_at"] = (started - timedelta(minutes=61)).isoformat()
    session.save()
    events = AuditEvent.objects.exclude(action="simulation.expired").count()
    response = client.post("/toezicht/nieuw/", {"type": "x"}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "duurde de toegestane 60 minuten" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.exclude(action="simulation.expired").count() == events  # no refusal, nothing done
    assert client.get("/toezicht/").status_code == 403  # afterwards the admin's own roles, as before


def test_stopping_ends_it_and_another_user_s_session_value_is_ignored(client, helpdesk, clerk, municipality):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    _start(client, municipality)
    response = client.post("/simulatie/stoppen/")
    assert response.status_code == 302
    assert BANNER not in client.get("/").content.decode()
    assert AuditEvent.objects.filter(action="simulation.stopped", actor=helpdesk).exists()
    # A non-admin whose session somehow holds a simulation gets nothing from it.
    client.force_login(clerk)
    session = client.session
    session[SESSION_KEY] = {
        "organisation_id": municipality.pk,
        "started_at": "2026-01-01T00:00:00+00:00",
        "admin_id": clerk.pk,
    }
    session.save()
    page = client.get("/")
    assert BANNER not in page.content.decode() and page.wsgi_request.simulation is None


def test_the_back_office_stays_the_admin_s_own(client, helpdesk, municipality):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    _start(client, municipality)
    response = client.get("/helpdesk/")
    assert response.status_code == 200 and response.wsgi_request.simulation is None
    assert "toezichthouder" in response.wsgi_request.roles  # the admin's own roles there
    assert client.get("/").wsgi_request.simulation is not None  # the simulation itself goes on
