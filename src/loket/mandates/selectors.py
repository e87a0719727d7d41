"""Reads for Mandatenbeheer: organs of a unit per period, holders of an organ, a holder's history."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from loket.mandates.models import Holder, Mandate, OrganTerm
from loket.organisations.models import Organisation


def terms_of(*, organisation: Organisation, period: str) -> QuerySet[OrganTerm]:
    """The organ-in-time of each of the unit's organs for `period`, with their mandates and holder counts."""
    mandates = Mandate.objects.annotate(
        holder_count=Count("holders", filter=Q(holders__deleted_at__isnull=True, holders__next_version__isnull=True))
    ).order_by("role")
    return (
        OrganTerm.objects.filter(organ__organisation=organisation, period=period)
        .select_related("organ")
        .prefetch_related(Prefetch("mandates", queryset=mandates))
        .order_by("organ__kind")
    )


def holders_of(*, term: OrganTerm, on: date | None = None) -> QuerySet[Holder]:
    """The latest version of every holder of the organ-in-time (those active on `on` when given)."""
    holders = Holder.objects.filter(mandate__term=term, deleted_at__isnull=True, next_version__isnull=True)
    if on is not None:
        holders = holders.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))
    return holders.select_related("person", "mandate", "fractie", "replaced_by__person").order_by(
        "mandate__role", "person__family_name", "person__used_given_name", "start"
    )


def holder_history(*, holder: Holder) -> list[Holder]:
    """Every version of this holding, oldest first (the chain of `previous`)."""
    versions = list(
        Holder.objects.filter(mandate=holder.mandate, person=holder.person)
        .select_related("fractie")
        .order_by("start", "pk")
    )
    by_pk = {version.pk: version for version in versions}
    first = holder
    while first.previous_id and first.previous_id in by_pk:
        first = by_pk[first.previous_id]
    chain: list[Holder] = []
    current: Holder | None = first
    next_of = {version.previous_id: version for version in versions if version.previous_id}
    while current is not None:
        chain.append(current)
        current = next_of.get(current.pk)
    return chain
