"""The services of Subsidiebeheer: who may apply, windows and deadlines on the server, sending through the ledger,
the flow, and every refusal changing nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django_tasks_db.models import DBTaskResult

from loket.core.errors import ConflictError, DomainError
from loket.core.ledger import ledger_verify
from loket.core.ledger_models import LedgerEntry
from loket.subsidies import rules, services
from loket.subsidies.models import ApplicationForm, Dossier, DossierEvent, Extension
from loket.subsidies.services import NotEligible
from loket.subsidies.terms import DossierStatus, FormStatus, StepType
from tests.subsidies.conftest import GEMEENTE, brussels, make_call, report_data, valid_data

pytestmark = pytest.mark.django_db

NOW = brussels(2026, 6, 1, 10, 0)


def _state():  # type: ignore[no-untyped-def]
    return (
        list(Dossier.objects.values_list("pk", "status", "active_step_id", "modified_at").order_by("pk")),
        list(ApplicationForm.objects.values_list("pk", "status", "source_ttl", "is_replaced").order_by("pk")),
        LedgerEntry.objects.count(),
        list(Extension.objects.values_list("pk", "end")),
        DossierEvent.objects.count(),
        DBTaskResult.objects.count(),
    )


def _start(call, organisation, actor):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        return services.dossier_start(call=call, organisation=organisation, actor=actor)


def _first(call):  # type: ignore[no-untyped-def]
    return call.flow.steps.get(order=0)


def _fill(dossier, step, actor, data=None):  # type: ignore[no-untyped-def]
    form = services.form_for(dossier=dossier, step=step)
    return services.form_save(dossier=dossier, step=step, actor=actor, data=data or valid_data(form))


@pytest.fixture
def dossier(call, municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    return _start(call, municipality, subsidies_clerk)


def test_a_body_that_meets_a_criterion_starts_one_dossier(call, municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    dossier = _start(call, municipality, subsidies_clerk)
    assert dossier.status == DossierStatus.CONCEPT
    assert dossier.active_step == _first(call)
    with pytest.raises(ConflictError):
        _start(call, municipality, subsidies_clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.create(
            organisation=municipality, call=call, created_at=dossier.created_at, modified_at=dossier.created_at
        )


def test_a_body_outside_the_criteria_is_refused_by_the_service_itself(call, agency, subsidies_clerk):  # type: ignore[no-untyped-def]
    before = _state()
    with pytest.raises(NotEligible, match="komt niet in aanmerking"):
        _start(call, agency, subsidies_clerk)
    assert _state() == before
    assert not rules.open_calls(agency, NOW).exists()


def test_an_explicit_list_of_bodies(agency, municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    call = make_call(bodies=[agency], steps=[("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), None)])
    assert list(rules.open_calls(agency, NOW)) == [call]
    assert not rules.open_calls(municipality, NOW).exists()
    _start(call, agency, subsidies_clerk)
    with pytest.raises(NotEligible):
        _start(call, municipality, subsidies_clerk)


def test_an_offer_without_criteria_or_bodies_is_open_to_nobody(municipality):  # type: ignore[no-untyped-def]
    make_call(steps=[("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), None)])
    assert not rules.open_calls(municipality, NOW).exists()


def test_a_call_whose_first_step_is_not_open_cannot_be_started(municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    later = make_call(
        kinds=[GEMEENTE], steps=[("Aanvraag", StepType.APPLICATION, brussels(2026, 9, 1), brussels(2026, 10, 1))]
    )
    assert not rules.open_calls(municipality, NOW).exists()
    with pytest.raises(DomainError, match="niet open"):
        _start(later, municipality, subsidies_clerk)


def test_the_criteria_are_checked_again_on_save_and_submit(dossier, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    call.offer.criteria.clear()  # the body no longer qualifies
    before = _state()
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(NotEligible):
            services.form_save(dossier=dossier, step=_first(call), actor=subsidies_clerk, data={})
        with pytest.raises(NotEligible):
            services.step_submit(dossier=dossier, step=_first(call), actor=subsidies_clerk)
    assert _state() == before


def test_submit_goes_through_the_ledger_and_the_flow_moves_on(dossier, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    first = _first(call)
    with time_machine.travel(NOW, tick=False):
        outcome = _fill(dossier, first, subsidies_clerk)
        assert outcome.valid
        form = services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
    dossier.refresh_from_db()
    assert form.status == FormStatus.SENT and form.sent_entry.subject_uri == form.uri
    assert form.sent_entry.content_hash == form.content_hash
    assert "Fietspad Dorpstraat" in form.form_data_nt
    assert dossier.status == DossierStatus.SUBMITTED  # a step of type Aanvraag was sent
    assert dossier.active_step == call.flow.steps.get(order=1)
    assert ledger_verify().ok
    second = call.flow.steps.get(order=1)
    with time_machine.travel(NOW, tick=False):
        services.form_save(
            dossier=dossier,
            step=second,
            actor=subsidies_clerk,
            data=report_data(services.form_for(dossier=dossier, step=second)),
        )
        services.step_submit(dossier=dossier, step=second, actor=subsidies_clerk)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACTIVE  # Externe verwerking: Actief (the real flow service)
    assert dossier.active_step is None


def test_an_invalid_form_is_not_sent(dossier, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    first = _first(call)
    with time_machine.travel(NOW, tick=False):
        _fill(dossier, first, subsidies_clerk, data={"x": "y"})
        before = _state()
        with pytest.raises(services.FormInvalid) as refused:
            services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
    assert "Naam van het project" in refused.value.fields
    assert _state() == before


def test_submit_twice_in_two_tabs(dossier, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    first = _first(call)
    with time_machine.travel(NOW, tick=False):
        _fill(dossier, first, subsidies_clerk)
        services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
        before = _state()
        with pytest.raises(ConflictError):
            services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
        with pytest.raises(ConflictError):  # the second tab's send saves first: refused as well
            services.step_save_and_submit(dossier=dossier, step=first, actor=subsidies_clerk, data={})
    assert _state() == before


def test_a_step_that_is_not_active_is_neither_saved_nor_sent(dossier, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    second = call.flow.steps.get(order=1)
    before = _state()
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ConflictError, match="niet de actieve stap"):
            services.form_save(dossier=dossier, step=second, actor=subsidies_clerk, data={})
        with pytest.raises(ConflictError, match="niet de actieve stap"):
            services.step_submit(dossier=dossier, step=second, actor=subsidies_clerk)
    assert _state() == before


def test_a_step_of_another_call_is_refused(dossier, municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    other = make_call(kinds=[GEMEENTE], steps=[("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), None)])
    with pytest.raises(DomainError):
        services.step_submit(dossier=dossier, step=_first(other), actor=subsidies_clerk)


def test_not_yet_open_saves_but_does_not_send(municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    call = make_call(
        kinds=[GEMEENTE],
        steps=[
            ("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), None),
            ("Opvolging", StepType.EXTERNAL, brussels(2026, 9, 1), brussels(2026, 10, 1)),
        ],
    )
    dossier = _start(call, municipality, subsidies_clerk)
    with time_machine.travel(NOW, tick=False):
        _fill(dossier, _first(call), subsidies_clerk)
        services.step_submit(dossier=dossier, step=_first(call), actor=subsidies_clerk)
        second = call.flow.steps.get(order=1)
        services.form_save(
            dossier=dossier,
            step=second,
            actor=subsidies_clerk,
            data=report_data(services.form_for(dossier=dossier, step=second)),
        )
        with pytest.raises(DomainError, match="nog niet indienen"):
            services.step_submit(dossier=dossier, step=second, actor=subsidies_clerk)


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (brussels(2027, 3, 31, 23, 59, 59), True),
        (brussels(2027, 4, 1, 0, 0, 0), False),
        (brussels(2027, 4, 1, 0, 0, 0) - timedelta(microseconds=1), True),
        (brussels(2027, 3, 31, 23, 59, 59) + timedelta(seconds=1), False),  # one second after the deadline
    ],
)
def test_deadline_boundaries_in_brussels_time(dossier, call, subsidies_clerk, moment, accepted):  # type: ignore[no-untyped-def]
    first = _first(call)
    with time_machine.travel(NOW, tick=False):
        _fill(dossier, first, subsidies_clerk)
    before = _state()
    with time_machine.travel(moment, tick=False):
        if accepted:
            services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
            assert ApplicationForm.objects.get(dossier=dossier).status == FormStatus.SENT
        else:
            with pytest.raises(DomainError, match="deadline voor deze stap is verstreken"):
                services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
            with pytest.raises(DomainError, match="verstreken"):
                _fill(dossier, first, subsidies_clerk)
            assert _state() == before


@pytest.mark.parametrize(
    ("end_local", "end_utc", "inside", "outside"),
    [
        # spring forward: Sunday 28 March 2027, 02:00 CET → 03:00 CEST
        ("2027-03-28T03:00:00", "2027-03-28T01:00:00+00:00", "2027-03-28T00:59:59+00:00", "2027-03-28T01:00:01+00:00"),
        ("2027-03-27T23:59:59", "2027-03-27T22:59:59+00:00", "2027-03-27T22:59:59+00:00", "2027-03-27T23:00:00+00:00"),
        ("2027-03-28T23:59:59", "2027-03-28T21:59:59+00:00", "2027-03-28T21:59:59+00:00", "2027-03-28T22:00:00+00:00"),
        # fall back: Sunday 31 October 2027, 03:00 CEST → 02:00 CET
        ("2027-10-31T23:59:59", "2027-10-31T22:59:59+00:00", "2027-10-31T22:59:59+00:00", "2027-10-31T23:00:00+00:00"),
    ],
)
def test_deadlines_in_the_night_of_a_dst_change(municipality, subsidies_clerk, end_local, end_utc, inside, outside):  # type: ignore[no-untyped-def]
    from datetime import datetime

    end = rules.from_brussels(end_local)
    assert end.astimezone(rules.BRUSSELS).isoformat()[:19] == end_local
    assert datetime.fromisoformat(end_utc) == end
    call = make_call(kinds=[GEMEENTE], steps=[("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), end)])
    dossier = _start(call, municipality, subsidies_clerk)
    first = _first(call)
    with time_machine.travel(NOW, tick=False):
        _fill(dossier, first, subsidies_clerk)
    with time_machine.travel(datetime.fromisoformat(outside), tick=False):
        with pytest.raises(DomainError, match="verstreken"):
            services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
    with time_machine.travel(datetime.fromisoformat(inside), tick=False):
        services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)


def test_delete_only_in_concept(dossier, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    first = _first(call)
    with time_machine.travel(NOW, tick=False):
        _fill(dossier, first, subsidies_clerk)
        services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
    before = _state()
    with pytest.raises(ConflictError, match="Concept"):
        services.dossier_delete(dossier=dossier, actor=subsidies_clerk)
    assert _state() == before


def test_a_concept_dossier_is_deleted(dossier, subsidies_clerk):  # type: ignore[no-untyped-def]
    services.dossier_delete(dossier=dossier, actor=subsidies_clerk)
    assert not Dossier.objects.exists()


# The agency ----------------------------------------------------------------------------------------------------------


def test_an_extension_without_reason_changes_nothing(dossier, call, agency_staff):  # type: ignore[no-untyped-def]
    before = _state()
    for reason in ("", "   "):
        with pytest.raises(DomainError, match="reden"):
            services.deadline_extend(step=_first(call), end=brussels(2027, 5, 1), reason=reason, actor=agency_staff)
    with pytest.raises(DomainError, match="na de huidige"):
        services.deadline_extend(step=_first(call), end=brussels(2027, 1, 1), reason="x", actor=agency_staff)
    assert _state() == before
    assert _first(call).procedural_step.end == brussels(2027, 3, 31, 23, 59, 59)


def test_missed_deadline_extension_for_one_body_then_submit(
    dossier, call, municipality, other_municipality, subsidies_clerk, agency_staff
):  # type: ignore[no-untyped-def]
    first = _first(call)
    with time_machine.travel(NOW, tick=False):
        _fill(dossier, first, subsidies_clerk)
    late = brussels(2027, 4, 2, 12, 0)
    with time_machine.travel(late, tick=False):
        with pytest.raises(DomainError, match="verstreken"):
            services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
        told = services.deadline_extend(
            step=first,
            end=brussels(2027, 4, 15, 23, 59, 59),
            reason="Overmacht: stroomstoring",
            actor=agency_staff,
            organisations=[municipality],
        )
        assert told == 1
        assert rules.end_for(first, other_municipality) == brussels(2027, 3, 31, 23, 59, 59)  # only the chosen body
        services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
    event = DossierEvent.objects.get(dossier=dossier, kind=DossierEvent.Kind.EXTENDED)
    assert event.reason == "Overmacht: stroomstoring" and event.detail == "15-04-2027 23:59:59"
    mails = DBTaskResult.objects.filter(task_path="loket.core.tasks.send_email")
    assert mails.count() == 1
    assert mails.get().args_kwargs["kwargs"]["to"] == ["sofie-subsidies@example.org"]
    assert "Overmacht" in mails.get().args_kwargs["kwargs"]["body"]


def test_an_extension_for_all_moves_the_step_end(dossier, call, agency_staff):  # type: ignore[no-untyped-def]
    first = _first(call)
    services.deadline_extend(
        step=first, end=brussels(2027, 6, 30, 23, 59, 59), reason="Later budget", actor=agency_staff
    )
    first.procedural_step.refresh_from_db()
    assert first.procedural_step.end == brussels(2027, 6, 30, 23, 59, 59)
    assert DossierEvent.objects.filter(kind=DossierEvent.Kind.EXTENDED).count() == 1


def test_reopen_keeps_the_sent_form_and_opens_a_concept_copy(dossier, call, subsidies_clerk, agency_staff):  # type: ignore[no-untyped-def]
    first = _first(call)
    with time_machine.travel(NOW, tick=False):
        _fill(dossier, first, subsidies_clerk)
        sent = services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
    before = _state()
    with pytest.raises(DomainError, match="reden"):
        services.step_reopen(dossier=dossier, step=first, reason="", actor=agency_staff)
    assert _state() == before
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        copy = services.step_reopen(dossier=dossier, step=first, reason="Verkeerd bedrag", actor=agency_staff)
    sent.refresh_from_db()
    dossier.refresh_from_db()
    assert sent.is_replaced and sent.status == FormStatus.SENT and sent.sent_entry is not None
    assert copy.status == FormStatus.CONCEPT and "Fietspad Dorpstraat" in copy.source_ttl
    assert copy.uri in copy.source_ttl and sent.uri not in copy.source_ttl
    assert dossier.active_step == first and dossier.status == DossierStatus.ACTIVE
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        again = services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
    assert again.pk == copy.pk and LedgerEntry.objects.count() == 2
    assert ledger_verify().ok


def test_append_a_step_to_a_running_flow(call, municipality, other_municipality, subsidies_clerk, agency_staff):  # type: ignore[no-untyped-def]
    done = _start(call, municipality, subsidies_clerk)
    waiting = _start(call, other_municipality, subsidies_clerk)
    with time_machine.travel(NOW, tick=False):
        for step in call.flow.steps.order_by("order"):
            form = services.form_for(dossier=done, step=step)
            data = valid_data(form) if step.order == 0 else report_data(form)
            services.form_save(dossier=done, step=step, actor=subsidies_clerk, data=data)
            services.step_submit(dossier=done, step=step, actor=subsidies_clerk)
    done.refresh_from_db()
    assert done.active_step is None
    version = _first(call).form_version
    with pytest.raises(DomainError, match="reden"):
        services.step_append(
            call=call,
            name="Saldo",
            step_type=StepType.APPLICATION,
            start=NOW,
            end=None,
            form_version=version,
            reason="",
            actor=agency_staff,
        )
    step = services.step_append(
        call=call,
        name="Bevestiging saldo",
        step_type=StepType.APPLICATION,
        start=NOW,
        end=brussels(2029, 1, 31, 23, 59, 59),
        form_version=version,
        reason="Nieuw in 2026",
        actor=agency_staff,
    )
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert step.order == 2 and done.active_step == step
    assert waiting.active_step == _first(call)  # still at its own step
    assert DossierEvent.objects.filter(dossier=done, kind=DossierEvent.Kind.STEP_ADDED, reason="Nieuw in 2026").exists()


def test_a_form_keeps_the_version_it_was_opened_with(dossier, call, subsidies_clerk):  # type: ignore[no-untyped-def]
    from tests.subsidies.conftest import form_version

    first = _first(call)
    opened = services.form_for(dossier=dossier, step=first)
    first.form_version = form_version("opvolging-v1.ttl")
    first.save()
    assert services.form_for(dossier=dossier, step=first).form_version_id == opened.form_version_id


def test_after_reopening_an_earlier_step_the_flow_skips_steps_already_sent(
    dossier, call, subsidies_clerk, agency_staff
):  # type: ignore[no-untyped-def]
    first, second = _first(call), call.flow.steps.get(order=1)
    with time_machine.travel(NOW, tick=False):
        _fill(dossier, first, subsidies_clerk)
        services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
        services.form_save(
            dossier=dossier,
            step=second,
            actor=subsidies_clerk,
            data=report_data(services.form_for(dossier=dossier, step=second)),
        )
        services.step_submit(dossier=dossier, step=second, actor=subsidies_clerk)
        services.step_reopen(dossier=dossier, step=first, reason="Bedrag", actor=agency_staff)
        services.step_submit(dossier=dossier, step=first, actor=subsidies_clerk)
    dossier.refresh_from_db()
    assert dossier.active_step is None and dossier.status == DossierStatus.SUBMITTED
