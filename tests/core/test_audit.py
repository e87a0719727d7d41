"""The audit trail in words: every action the code records is registered with a label and a sentence, the back
office and the CSV show those (Dutch, or English when chosen), never keys and JSON."""

import ast
import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from loket.core.audit import audit_action_label, audit_actions, audit_describe, audit_record
from loket.core.models import AuditEvent
from loket.organisations.services import organisation_switch_channel

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "loket"


def recorded_actions() -> dict[str, str]:
    """Every action code written by a call of audit_record(action=...) in the source, with where."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit_record"):
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    for constant in ast.walk(keyword.value):
                        if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                            found[constant.value] = f"{path.relative_to(SRC)}:{node.lineno}"
    return found


def test_every_recorded_action_is_registered_with_words():  # type: ignore[no-untyped-def]
    recorded = recorded_actions()
    assert len(recorded) >= 19  # the scan finds the calls (a broken scan would pass vacuously)
    registered = {action.code for action in audit_actions()}
    missing = {code: where for code, where in recorded.items() if code not in registered}
    assert missing == {}, "register these in the module's audit_actions.py"


def test_every_registered_sentence_formats_without_details_and_in_english():  # type: ignore[no-untyped-def]
    for action in audit_actions():
        event = AuditEvent(action=action.code, details={})
        dutch = (str(action.label), audit_describe(event))
        assert "%(" not in dutch[1]
        with translation.override("en"):
            english = (str(action.label), audit_describe(event))
        assert english[0] != dutch[0] and english[1] != dutch[1], f"{action.code}: no English in the catalogue"
        assert "%(" not in english[1]


def test_channel_switch_in_dutch_and_english(helpdesk, worship_board, religiopoint):  # type: ignore[no-untyped-def]
    organisation_switch_channel(
        organisation=worship_board,
        channel="platform",
        platform=religiopoint,
        reason="Beslissing van de kerkraad",
        actor=helpdesk,
        confirmed=True,
    )
    event = AuditEvent.objects.get(action="organisation.channel_switched")
    assert audit_action_label(event.action) == "Kanaal gewijzigd"
    assert audit_describe(event) == (
        "Kanaal gewijzigd van Loket naar Religiopoint, reden: Beslissing van de kerkraad (lidmaatschappen beëindigd: 0)"
    )
    with translation.override("en"):
        assert audit_action_label(event.action) == "Channel changed"
        assert audit_describe(event) == (
            "Channel changed from Loket to Religiopoint, reason: Beslissing van de kerkraad (memberships ended: 0)"
        )


def test_details_are_worded(municipality, helpdesk):  # type: ignore[no-untyped-def]
    granted = audit_record(
        action="access.granted",
        actor=helpdesk,
        organisation=municipality,
        user="dev:gert",
        roles=["toezicht", "toegangsbeheer"],
        source="request",
    )
    assert audit_describe(granted) == (
        "Toegang verleend aan dev:gert met de rollen Toezicht, Toegangsbeheer (via goedgekeurde aanvraag)."
    )
    changed = audit_record(
        action="organisation.changed", actor=helpdesk, organisation=municipality, fields=["kbo", "access_manager"]
    )
    assert audit_describe(changed) == "Gewijzigd: KBO-nummer, toegangsbeheerder."
    unpublished = audit_record(
        action="document_type.publication_changed",
        actor=helpdesk,
        document_type="http://example.org/type/1",
        is_public=False,
    )
    assert audit_describe(unpublished) == (
        "Inzendingen van type http://example.org/type/1 worden voortaan niet meer gepubliceerd."
    )
    unknown = audit_record(action="something.new", organisation=municipality, count=3, names=["a", "b"])
    assert audit_describe(unknown) == "something.new; count: 3; names: a, b"


def test_back_office_list_and_csv_show_words_not_keys(client, helpdesk, municipality, religiopoint):  # type: ignore[no-untyped-def]
    organisation_switch_channel(
        organisation=municipality,
        channel="platform",
        platform=religiopoint,
        reason="Test",
        actor=helpdesk,
        confirmed=True,
    )
    client.force_login(helpdesk)
    page = client.get(reverse("admin:core_auditevent_changelist")).content.decode()
    assert "Kanaal gewijzigd van Loket naar Religiopoint, reden: Test (lidmaatschappen beëindigd: 0)" in page
    assert "organisation.channel_switched</td>" not in page and "&quot;channel&quot;" not in page
    assert '<a href="?action=organisation.channel_switched">Kanaal gewijzigd</a>' in page  # the filter in words
    response = client.get(reverse("admin:core_auditevent_export") + "?action=organisation.channel_switched")
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    # The export's separator is the CSV format's business (Belgian Excel: ";"); the words are tested here.
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, *body = rows
    assert header[:3] == ["tijdstip", "actie", "omschrijving"]
    assert [row[1:3] for row in body] == [
        ["Kanaal gewijzigd", "Kanaal gewijzigd van Loket naar Religiopoint, reden: Test (lidmaatschappen beëindigd: 0)"]
    ]


def test_back_office_search_by_body_person_and_action(client, helpdesk, municipality, other_municipality):  # type: ignore[no-untyped-def]
    audit_record(action="organisation.changed", actor=helpdesk, organisation=municipality, fields=["kbo"])
    audit_record(action="logout", organisation=other_municipality, actor_label="systeem")
    client.force_login(helpdesk)
    url = reverse("admin:core_auditevent_changelist")

    def found(term: str) -> list[str]:
        response = client.get(url, {"q": term})
        return sorted(event.action for event in response.context["cl"].result_list)

    assert found("aals") == ["organisation.changed"]  # the body's name
    assert found("0207437468") == ["logout"]  # Berlare's KBO number
    assert found("Helpdesk") == ["organisation.changed"]  # the person
    assert found("afgemeld") == ["logout"]  # the action's words
    assert found("niets") == []


def test_every_event_recorded_while_simulating_names_the_admin_and_the_body(municipality, helpdesk):  # type: ignore[no-untyped-def]
    from loket.core.audit import Simulation, audit_simulating

    simulation = Simulation(
        admin_id=helpdesk.pk,
        admin_label="Agentschap Beheerder",
        organisation_id=municipality.pk,
        organisation_label=municipality.display_name,
    )
    with audit_simulating(simulation):
        inside = [
            audit_record(action="organisation.created", actor=helpdesk, organisation=municipality),
            audit_record(action="organisation.created", actor=None, organisation=municipality),
        ]
    after = audit_record(action="organisation.created", actor=helpdesk, organisation=municipality)
    for event in inside:
        event.refresh_from_db()
        assert event.details["simulatie"] == {
            "beheerder_id": helpdesk.pk,
            "beheerder": "Agentschap Beheerder",
            "bestuur_id": municipality.pk,
            "bestuur": municipality.display_name,
        }
    after.refresh_from_db()
    assert "simulatie" not in after.details
