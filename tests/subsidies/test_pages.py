"""Subsidiebeheer through HTTP: the clerk's list, starting, saving, sending and the next step; expired steps; the
agency's overview, CSV and actions; the public linked data."""

import pytest
import time_machine
from django.urls import reverse

from loket.subsidies import services
from loket.subsidies.models import ApplicationForm, Dossier, ProceduralStep
from loket.subsidies.terms import DossierStatus, FormStatus
from tests.subsidies.conftest import brussels, names, valid_data

pytestmark = pytest.mark.django_db

NOW = brussels(2026, 6, 1, 10, 0)


def _started(client, call):  # type: ignore[no-untyped-def]
    response = client.post(reverse("subsidies:start", args=[call.uuid]))
    assert response.status_code == 302
    return Dossier.objects.get(call=call)


def test_the_clerk_applies_and_sees_the_next_step(client, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    client.force_login(subsidies_clerk)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("subsidies:list"))
        assert "Fietsinfrastructuur" in page.content.decode() and "Aanvraag starten" in page.content.decode()
        dossier = _started(client, call)
        first = call.flow.steps.get(order=0)
        url = reverse("subsidies:step", args=[dossier.uuid, first.uuid])
        page = client.get(url)
        assert page.status_code == 200 and "Naam van het project" in page.content.decode()
        form = ApplicationForm.objects.get(dossier=dossier) if ApplicationForm.objects.exists() else None
        form = form or services.form_for(dossier=dossier, step=first)
        refused = client.post(url, {"actie": "versturen", names(form)["projectName"]: "Fietspad"})
        assert refused.status_code == 400
        assert "Kan dossier niet versturen" in refused.content.decode()
        assert "Fietspad" in refused.content.decode()  # what was typed is shown again
        form.refresh_from_db()
        assert form.status != FormStatus.SENT and "Fietspad" not in form.source_ttl  # all or nothing
        sent = client.post(url, {"actie": "versturen", **valid_data(form)})
    second = call.flow.steps.get(order=1)
    assert sent.status_code == 302 and sent["Location"] == reverse("subsidies:step", args=[dossier.uuid, second.uuid])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    with time_machine.travel(NOW, tick=False):
        page = client.get(sent["Location"]).content.decode()
        receipt = client.get(reverse("subsidies:receipt", args=[dossier.uuid, first.uuid, "json"]))
        sent_page = client.get(reverse("subsidies:step", args=[dossier.uuid, first.uuid])).content.decode()
    assert "<fieldset disabled>" in sent_page and "Verstuurd op" in sent_page
    assert "Bewaar als concept" not in sent_page
    assert "Aanvraag ingediend - Opvolging" in page and "Stand van zaken" in page
    assert receipt.status_code == 200 and receipt.json()["subject_uri"] == ApplicationForm.objects.get(step=first).uri


def test_save_as_concept_and_an_expired_step_offers_no_buttons(client, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    client.force_login(subsidies_clerk)
    with time_machine.travel(NOW, tick=False):
        dossier = _started(client, call)
        first = call.flow.steps.get(order=0)
        url = reverse("subsidies:step", args=[dossier.uuid, first.uuid])
        client.get(url)
        form = ApplicationForm.objects.get(dossier=dossier, step=first)  # opened with the page
        saved = client.post(url, {"actie": "bewaren", names(form)["projectName"]: "Concept"})
        assert saved.status_code == 302
    form.refresh_from_db()
    assert form.status == FormStatus.CONCEPT and "Concept" in form.source_ttl
    with time_machine.travel(brussels(2027, 4, 1, 0, 0, 0), tick=False):
        client.force_login(subsidies_clerk)
        page = client.get(url).content.decode()
        assert "De deadline voor deze stap is verstreken (31-03-2027 23:59:59)" in page
        assert "Bewaar als concept" not in page and "Verstuur naar de Vlaamse overheid" not in page
        late = client.post(url, {"actie": "versturen", **valid_data(form)})
    assert late.status_code == 400 and "verstreken" in late.content.decode()
    form.refresh_from_db()
    assert form.status == FormStatus.CONCEPT and "Fietspad" not in form.source_ttl


def test_another_bodys_dossier_is_404(client, call, subsidies_clerk, stranger):  # type: ignore[no-untyped-def]
    client.force_login(subsidies_clerk)
    with time_machine.travel(NOW, tick=False):
        dossier = _started(client, call)
    client.force_login(stranger)
    assert client.get(reverse("subsidies:dossier", args=[dossier.uuid])).status_code == 404
    assert client.post(reverse("subsidies:delete", args=[dossier.uuid])).status_code == 404
    assert Dossier.objects.count() == 1


def test_the_agency_overview_csv_and_an_extension_without_reason(client, call, subsidies_clerk, agency_staff):  # type: ignore[no-untyped-def]
    client.force_login(subsidies_clerk)
    with time_machine.travel(NOW, tick=False):
        dossier = _started(client, call)
    client.force_login(agency_staff)
    page = client.get(reverse("subsidies:agency-call", args=[call.uuid]))
    assert page.status_code == 200 and dossier.organisation.display_name in page.content.decode()
    csv = b"".join(client.get(reverse("subsidies:agency-csv", args=[call.uuid])).streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("bestuur;bestuur_uri;kbo;dossier_uri;status;actieve_stap")
    assert dossier.uri in csv and ";Concept;Aanvraag;" in csv
    first = call.flow.steps.get(order=0)
    before = ProceduralStep.objects.get(pk=first.procedural_step_id).end
    refused = client.post(
        reverse("subsidies:agency-extend", args=[call.uuid]),
        {"stap": str(first.uuid), "einde": "2027-04-30T23:59:59", "voor": "alle", "reden": ""},
    )
    assert refused.status_code == 400 and "Geef een reden op" in refused.content.decode()
    assert ProceduralStep.objects.get(pk=first.procedural_step_id).end == before
    done = client.post(
        reverse("subsidies:agency-extend", args=[call.uuid]),
        {
            "stap": str(first.uuid),
            "einde": "2027-04-30T23:59:59",
            "voor": "selectie",
            "bestuur": [str(dossier.uuid)],
            "reden": "Storing",
        },
    )
    assert done.status_code == 302
    history = client.get(reverse("subsidies:agency-dossier", args=[dossier.uuid])).content.decode()
    assert "Deadline verlengd" in history and "Storing" in history and "30-04-2027 23:59:59" in history


def test_a_clerk_is_not_the_agency(client, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    client.force_login(subsidies_clerk)
    assert client.get(reverse("subsidies:agency")).status_code == 404
    assert client.get(reverse("subsidies:agency-call", args=[call.uuid])).status_code == 404


def test_linked_data_has_definitions_and_status_never_form_content(client, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    client.force_login(subsidies_clerk)
    with time_machine.travel(NOW, tick=False):
        dossier = _started(client, call)
        first = call.flow.steps.get(order=0)
        form = services.form_for(dossier=dossier, step=first)
        services.step_save_and_submit(dossier=dossier, step=first, actor=subsidies_clerk, data=valid_data(form))
    client.logout()
    turtle = client.get(reverse("subsidies:open-data") + "?format=turtle").content.decode()
    assert "Fietsinfrastructuur" in turtle and "Subsidieprocedurestap" in turtle
    assert str(dossier.uuid) in turtle and "2ea29fbf-6d46-4f08-9343-879282a9f484" in turtle  # Aanvraag ingediend
    assert "d8b8f3d1-7574-4baf-94df-188a7bd84a3a" in turtle  # participation as Aanvrager
    assert "Fietspad" not in turtle and "info@example.org" not in turtle and form.uri not in turtle
    assert "lblod.data.info" not in turtle


def _mails() -> list[dict]:  # type: ignore[type-arg]
    from django_tasks_db.models import DBTaskResult

    return [r.args_kwargs["kwargs"] for r in DBTaskResult.objects.filter(task_path="loket.core.tasks.send_email")]


def test_the_agency_reopens_a_sent_step_and_appends_one(client, call, subsidies_clerk, agency_staff):  # type: ignore[no-untyped-def]
    from loket.subsidies.models import DossierEvent, FormVersion, Step

    client.force_login(subsidies_clerk)
    with time_machine.travel(NOW, tick=False):
        dossier = _started(client, call)
        first = call.flow.steps.get(order=0)
        form = services.form_for(dossier=dossier, step=first)
        services.step_save_and_submit(dossier=dossier, step=first, actor=subsidies_clerk, data=valid_data(form))
    client.force_login(agency_staff)
    reopen = reverse("subsidies:agency-reopen", args=[dossier.uuid])
    refused = client.post(reopen, {"stap": str(first.uuid), "reden": " "})
    assert refused.status_code == 400 and "Geef een reden op" in refused.content.decode()
    assert client.post(reopen, {"stap": "geen-uuid", "reden": "x"}).status_code == 400
    assert ApplicationForm.objects.count() == 1
    assert client.post(reopen, {"stap": str(first.uuid), "reden": "Verkeerd bedrag"}).status_code == 302
    assert ApplicationForm.objects.filter(is_replaced=True, status=FormStatus.SENT).count() == 1
    assert ApplicationForm.objects.filter(is_replaced=False, status=FormStatus.CONCEPT).count() == 1
    assert "heropend" in _mails()[-1]["body"] and "Verkeerd bedrag" in _mails()[-1]["body"]

    append = reverse("subsidies:agency-append", args=[call.uuid])
    version = FormVersion.objects.order_by("pk").first()
    data = {"naam": "Saldo", "type": first.procedural_step.type, "formulier": str(version.uuid),
            "begin": "2026-06-01T00:00", "einde": "2027-12-31T23:59:59", "reden": ""}  # fmt: skip
    refused = client.post(append, data)
    assert refused.status_code == 400 and "Geef een reden op" in refused.content.decode()
    assert client.post(append, {**data, "reden": "x", "begin": "morgen"}).status_code == 400
    assert Step.objects.filter(flow__call=call).count() == 2
    assert client.post(append, {**data, "reden": "Saldo gevraagd"}).status_code == 302
    added = Step.objects.get(flow__call=call, order=2)
    assert added.procedural_step.end == brussels(2027, 12, 31, 23, 59, 59)
    history = client.get(reverse("subsidies:agency-dossier", args=[dossier.uuid])).content.decode()
    assert "Stap heropend" in history and "Verkeerd bedrag" in history
    assert DossierEvent.objects.filter(kind=DossierEvent.Kind.REOPENED).count() == 1


def test_an_extension_for_chosen_bodies_needs_a_body_and_a_moment(client, call, subsidies_clerk, agency_staff):  # type: ignore[no-untyped-def]
    client.force_login(subsidies_clerk)
    with time_machine.travel(NOW, tick=False):
        _started(client, call)
    client.force_login(agency_staff)
    first = call.flow.steps.get(order=0)
    url = reverse("subsidies:agency-extend", args=[call.uuid])
    base = {"stap": str(first.uuid), "einde": "2027-04-30T23:59:59", "voor": "selectie", "reden": "x"}
    assert "Kies minstens één bestuur" in client.post(url, base).content.decode()
    assert "Geef een geldig tijdstip op" in client.post(url, {**base, "einde": "31/04"}).content.decode()
    assert "Kies een stap" in client.post(url, {**base, "stap": ""}).content.decode()
    assert ProceduralStep.objects.get(pk=first.procedural_step_id).end == brussels(2027, 3, 31, 23, 59, 59)
    assert _mails() == []


def test_the_list_page_makes_the_same_queries_for_one_call_or_five(client, municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loket.subsidies.terms import StepType
    from tests.subsidies.conftest import GEMEENTE, make_call

    def queries() -> int:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("subsidies:list")).status_code == 200
        return len(captured)

    def a_call() -> None:
        call = make_call(kinds=[GEMEENTE], steps=[("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), None)])
        with time_machine.travel(NOW, tick=False):
            services.dossier_start(call=call, organisation=municipality, actor=subsidies_clerk)

    client.force_login(subsidies_clerk)
    a_call()
    make_call(kinds=[GEMEENTE], steps=[("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), None)])
    with time_machine.travel(NOW, tick=False):
        client.force_login(subsidies_clerk)
    queries()  # warm-up: the session and caches of the first request
    one = queries()
    for _ in range(4):
        a_call()
        make_call(kinds=[GEMEENTE], steps=[("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), None)])
    assert queries() == one


def test_the_agency_call_page_makes_the_same_queries_for_one_dossier_or_three(  # type: ignore[no-untyped-def]
    client, call, municipality, other_municipality, agency, subsidies_clerk, agency_staff
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("subsidies:agency-call", args=[call.uuid])).status_code == 200
        return len(captured)

    with time_machine.travel(NOW, tick=False):
        services.dossier_start(call=call, organisation=municipality, actor=subsidies_clerk)
    client.force_login(agency_staff)
    queries()
    one = queries()
    call.offer.bodies.add(agency)
    with time_machine.travel(NOW, tick=False):
        services.dossier_start(call=call, organisation=other_municipality, actor=subsidies_clerk)
        services.dossier_start(call=call, organisation=agency, actor=agency_staff)
    assert queries() == one


def test_every_published_uri_of_ours_dereferences(client, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    from rdflib import Graph, URIRef

    from loket.subsidies.rdf import public_graph

    with time_machine.travel(NOW, tick=False):
        dossier = services.dossier_start(call=call, organisation=dossier_body(subsidies_clerk), actor=subsidies_clerk)
        first = call.flow.steps.get(order=0)
        form = services.form_for(dossier=dossier, step=first)
        services.step_save_and_submit(dossier=dossier, step=first, actor=subsidies_clerk, data=valid_data(form))
    graph = public_graph()
    nodes = {str(node) for triple in graph for node in triple if isinstance(node, URIRef)}
    ours = sorted(
        uri for uri in nodes if uri.startswith("http://data.lblod.info/id/") and "bestuurseenheden" not in uri
    )
    assert len(ours) > 10
    for uri in ours:
        response = client.get(uri.removeprefix("http://data.lblod.info") + "?format=turtle")
        assert response.status_code == 200, uri
        if "subsidy-form-versions" not in uri:
            assert (URIRef(uri), None, None) in Graph().parse(data=response.content, format="turtle"), uri
    assert (
        "Fietspad" not in client.get(f"/id/subsidy-measure-consumptions/{dossier.uuid}?format=turtle").content.decode()
    )
    assert client.get(f"/id/subsidy-measure-consumptions/{form.uuid}").status_code == 404


def dossier_body(user):  # type: ignore[no-untyped-def]
    return user.memberships.get().organisation


def test_a_call_without_a_flow_yet_shows_and_gets_its_first_step(client, agency_staff):  # type: ignore[no-untyped-def]
    from loket.subsidies.models import Call, MeasureOffer
    from tests.subsidies.conftest import form_version

    call = Call.objects.create(offer=MeasureOffer.objects.create(title="Nieuw"), title="Leeg")
    client.force_login(agency_staff)
    assert client.get(reverse("subsidies:agency-call", args=[call.uuid])).status_code == 200
    assert client.get("/subsidiebeheer/open-data/").status_code == 200
    response = client.post(
        reverse("subsidies:agency-append", args=[call.uuid]),
        {"naam": "Aanvraag", "type": "http://lblod.data.gift/concepts/ee855aae-eb10-44aa-ae01-38c4f6cca0f6",
         "formulier": str(form_version().uuid), "begin": "2026-06-01T00:00", "einde": "", "reden": "Start"},
    )  # fmt: skip
    assert response.status_code == 302
    assert call.flow.steps.get().order == 0


def test_the_subsidies_dataset_is_declared_for_the_open_data_channels(call, municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    from loket.core.linkeddata import datasets, is_public, mapping_infos
    from loket.subsidies.models import ApplicationForm as Form

    with time_machine.travel(NOW, tick=False):
        dossier = services.dossier_start(call=call, organisation=municipality, actor=subsidies_clerk)
    assert "subsidies" in {d.name for d in datasets()}
    assert sorted(info.model.__name__ for info in mapping_infos("subsidies")) == [
        "Call",
        "Criterion",
        "Dossier",
        "MeasureOffer",
    ]
    assert is_public(dossier) and is_public(call)
    assert Form not in {info.model for info in mapping_infos()}  # form content has no mapping at all
