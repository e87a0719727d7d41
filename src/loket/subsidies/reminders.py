"""Reminder mails 14 and 3 days before a deadline, to bodies whose active step is not sent yet. Idempotent: a
`Reminder` row per (dossier, step, moment) is written with the mail, so running it again (cron, every hour or every
night) sends nothing twice; a moment missed (the job did not run that day) is still sent while the deadline lies
ahead and no later moment is due."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from loket.subsidies import rules
from loket.subsidies.mails import mail_bodies
from loket.subsidies.models import ApplicationForm, Dossier, DossierEvent, Reminder
from loket.subsidies.terms import FormStatus

MOMENTS = (14, 3)


def _due_moment(end: datetime, now: datetime, done: set[int]) -> int | None:
    """The reminder due now: the nearest moment whose day has come (and not sent yet)."""
    left = end - now
    if left < timedelta(0):
        return None
    due = [days for days in MOMENTS if left <= timedelta(days=days)]
    if not due:
        return None
    nearest = min(due)
    return None if nearest in done else nearest


def reminders_send(*, now: datetime | None = None) -> int:
    """Send what is due; returns the number of reminders sent."""
    now = now or timezone.now()
    horizon = now + timedelta(days=max(MOMENTS))
    sent_steps = set(
        ApplicationForm.objects.filter(status=FormStatus.SENT, is_replaced=False).values_list("dossier_id", "step_id")
    )
    done: dict[tuple[int, int], set[int]] = {}
    for dossier_id, step_id, days in Reminder.objects.values_list("dossier_id", "step_id", "days_before"):
        done.setdefault((dossier_id, step_id), set()).add(days)
    count = 0
    dossiers = Dossier.objects.filter(active_step__isnull=False).select_related(
        "organisation", "call__offer", "active_step__procedural_step"
    )
    for dossier in dossiers.iterator(chunk_size=500):
        step = dossier.active_step
        if step is None:  # filtered on active_step__isnull=False
            continue
        if (dossier.pk, step.pk) in sent_steps or step.procedural_step.end is None:
            continue
        end = rules.end_for(step, dossier.organisation)
        if end is None or end > horizon:
            continue
        due_days = _due_moment(end, now, done.get((dossier.pk, step.pk), set()))
        if due_days is None:
            continue
        count += _remind(dossier, step, due_days, end, now)
    return count


def _remind(dossier: Dossier, step, days: int, end: datetime, now: datetime) -> int:  # type: ignore[no-untyped-def]
    try:
        with transaction.atomic():
            Reminder.objects.create(dossier=dossier, step=step, days_before=days, sent_at=now)
            DossierEvent.objects.create(
                dossier=dossier, at=now, kind=DossierEvent.Kind.REMINDED, step=step, detail=str(days)
            )
            with override("nl"):
                mail_bodies(
                    [dossier.organisation],
                    subject=_("Subsidiebeheer: nog %(days)s dagen voor '%(step)s'")
                    % {"days": days, "step": step.procedural_step.name},
                    lines=[
                        _("De stap '%(step)s' van '%(call)s' is nog niet verstuurd. De deadline is %(end)s.")
                        % {"step": step.procedural_step.name, "call": str(dossier.call), "end": rules.brussels(end)},
                    ],
                )
    except IntegrityError:  # another run sent it meanwhile
        return 0
    return 1
