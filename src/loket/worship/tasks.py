"""Background work for worship: the nightly report on involved local governments."""

from django_tasks import task


@task()
def involvement_report() -> int:
    """Judge every unit's involvements; returns the report's id (run nightly by `manage.py worship report`)."""
    from loket.worship.services import involvement_report_create

    return involvement_report_create().pk


@task()
def redispatch_unit(*, unit_id: int, actor_id: int | None, reason: str) -> dict[str, int]:
    """Recompute the receivers of a unit's decisions after its relations changed."""
    from django.contrib.auth import get_user_model

    from loket.worship.dispatch import unit_redispatch
    from loket.worship.models import WorshipUnit

    unit = WorshipUnit.objects.select_related("organisation").filter(pk=unit_id).first()
    if unit is None:
        return {}
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return unit_redispatch(unit=unit, actor=actor, reason=reason)


import loket.worship.retention  # noqa: E402,F401 - its purge: ended holders' contact data (core.retention)
