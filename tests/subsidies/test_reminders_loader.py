"""Reminders 14 and 3 days before a deadline (idempotent), the Turtle loader with the 7 real criteria, and the
register's content check of sent steps."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from loket.core.ledger_content import content_problems, content_verify
from loket.subsidies import rules, services
from loket.subsidies.models import ApplicationForm, Call, Criterion, Dossier, DossierEvent, Reminder, Step
from loket.subsidies.reminders import reminders_send
from loket.subsidies.terms import CLASSIFICATION
from tests.subsidies.conftest import brussels, valid_data

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "src" / "loket" / "subsidies" / "fixtures"
END = brussels(2027, 3, 31, 23, 59, 59)


def _mails() -> list[dict]:  # type: ignore[type-arg]
    return [r.args_kwargs["kwargs"] for r in DBTaskResult.objects.filter(task_path="loket.core.tasks.send_email")]


@pytest.fixture
def two_dossiers(call, municipality, other_municipality, subsidies_clerk, stranger):  # type: ignore[no-untyped-def]
    with time_machine.travel(brussels(2026, 6, 1), tick=False):
        waiting = services.dossier_start(call=call, organisation=municipality, actor=subsidies_clerk)
        done = services.dossier_start(call=call, organisation=other_municipality, actor=stranger)
        first = call.flow.steps.get(order=0)
        form = services.form_for(dossier=done, step=first)
        services.step_save_and_submit(dossier=done, step=first, actor=stranger, data=valid_data(form))
    return waiting, done


def test_reminders_at_14_and_3_days_once_each_only_to_unsent(two_dossiers):  # type: ignore[no-untyped-def]
    waiting, done = two_dossiers
    assert reminders_send(now=END - timedelta(days=15)) == 0
    assert reminders_send(now=END - timedelta(days=14)) == 1
    assert reminders_send(now=END - timedelta(days=13)) == 0  # idempotent: once per moment
    mails = _mails()
    assert len(mails) == 1 and mails[0]["to"] == ["sofie-subsidies@example.org"]
    assert "nog 14 dagen" in mails[0]["subject"] and "31-03-2027 23:59:59" in mails[0]["body"]
    assert reminders_send(now=END - timedelta(days=3)) == 1
    assert reminders_send(now=END - timedelta(days=2)) == 0
    assert reminders_send(now=END + timedelta(seconds=1)) == 0  # after the deadline: nothing
    assert list(Reminder.objects.values_list("dossier_id", "days_before").order_by("days_before")) == [
        (waiting.pk, 3),
        (waiting.pk, 14),
    ]
    assert DossierEvent.objects.filter(dossier=waiting, kind=DossierEvent.Kind.REMINDED).count() == 2
    assert not Reminder.objects.filter(dossier=done).exists()


def test_a_missed_run_sends_only_the_nearest_moment_and_the_command_is_idempotent(two_dossiers):  # type: ignore[no-untyped-def]
    with time_machine.travel(END - timedelta(days=2), tick=False):
        call_command("subsidies_reminders")
        call_command("subsidies_reminders")
    assert list(Reminder.objects.values_list("days_before", flat=True)) == [3]


def test_an_extension_moves_the_reminders(two_dossiers, municipality, agency_staff):  # type: ignore[no-untyped-def]
    waiting, _done = two_dossiers
    step = waiting.active_step
    services.deadline_extend(
        step=step, end=END + timedelta(days=30), reason="Later", actor=agency_staff, organisations=[municipality]
    )
    assert rules.end_for(step, municipality) == END + timedelta(days=30)
    assert reminders_send(now=END - timedelta(days=3)) == 0


def test_the_real_criteria_and_the_demo_load_idempotently(municipality, agency, subsidies_clerk):  # type: ignore[no-untyped-def]
    for _ in range(2):
        call_command("subsidies_load", "--demo")
    assert Criterion.objects.count() == 7
    igs = Criterion.objects.get(uuid="2c9ee9c7-ea98-4596-85a5-3b83b77b3606")
    assert igs.title == "doelgroep IGS" and igs.requirements.count() == 3
    assert Criterion.objects.get(title="doelgroep gemeentebesturen").requirements.get().satisfiable_by == (
        CLASSIFICATION + "5ab0e9b8a3b2ca7c5e000001"
    )
    call = Call.objects.get(uuid="5e0d8f59-0c7f-4b5e-9d55-3f6d3c1a0a02")
    steps = list(Step.objects.filter(flow__call=call).order_by("order").select_related("procedural_step"))
    assert [s.procedural_step.name for s in steps] == ["Aanvraag", "Opvolging"]
    assert steps[0].procedural_step.end == brussels(2027, 3, 31, 23, 59, 59)
    with time_machine.travel(brussels(2026, 6, 1), tick=False):
        assert list(rules.open_calls(municipality)) == [call]
        assert not rules.open_calls(agency).exists()
        services.dossier_start(call=call, organisation=municipality, actor=subsidies_clerk)


def test_loading_again_never_moves_a_running_deadline(municipality, subsidies_clerk, tmp_path):  # type: ignore[no-untyped-def]
    call_command("subsidies_load", "--demo")
    call = Call.objects.get(uuid="5e0d8f59-0c7f-4b5e-9d55-3f6d3c1a0a02")
    with time_machine.travel(brussels(2026, 6, 1), tick=False):
        services.dossier_start(call=call, organisation=municipality, actor=subsidies_clerk)
    changed = tmp_path / "demo.ttl"
    changed.write_text(
        (FIXTURES / "demo.ttl").read_text().replace("2027-03-31T21:59:59Z", "2027-06-30T21:59:59Z"), encoding="utf-8"
    )
    (tmp_path / "forms").symlink_to(FIXTURES / "forms")
    call_command("subsidies_load", str(FIXTURES / "criteria.ttl"), str(changed))
    first = Step.objects.get(flow__call=call, order=0)
    assert first.procedural_step.end == brussels(2027, 3, 31, 23, 59, 59)


def test_the_register_checks_the_content_of_sent_steps(two_dossiers):  # type: ignore[no-untyped-def]
    _waiting, done = two_dossiers
    sent = ApplicationForm.objects.get(dossier=done)
    assert content_problems(sent.uri) == [] and content_verify().ok
    ApplicationForm.objects.filter(pk=sent.pk).update(form_data_nt=sent.form_data_nt.replace("125000", "925000"))
    assert content_problems(sent.uri) == ["the stored form data differ from the ledger entry"]
    assert Dossier.objects.count() == 2


def test_the_reminder_task_sends_what_is_due(two_dossiers, run_worker):  # type: ignore[no-untyped-def]
    from loket.subsidies.tasks import send_reminders

    with time_machine.travel(END - timedelta(days=10), tick=True):
        send_reminders.enqueue()
        run_worker()
    assert list(Reminder.objects.values_list("days_before", flat=True)) == [14]
