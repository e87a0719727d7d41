"""Retention of worship board members' and ministers' contact data (ASVS 8.3.8, `core.retention`,
docs/security/retention.md).

A board member's or minister's row (who held which mandate or position, from when to when) is part of the board's
record and stays. Its contact point (e-mail, phones, postal address) serves reaching the person while they sit:
LOKET_WORSHIP_CONTACT_RETENTION_DAYS after the end it is cleared, and `contact_purged_at` says when, so the pages
show "gewist na de bewaartermijn" instead of empty fields. The end is the row's end date; a board member without
one ends with the planned end of the mandate's term (an ex-officio member has neither and is never cleared). Hidden
rows (duplicates, deleted) are cleared the same way. Rows a platform sends again with contact data get it back
(the services clear the mark)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from loket.core.audit import audit_record
from loket.core.retention import Purge, in_chunks, register_purge
from loket.worship.boards import CONTACT_FIELDS
from loket.worship.models import BoardMember, Minister


def _ended_members(before: date) -> QuerySet[BoardMember]:
    return (
        BoardMember.objects.filter(contact_purged_at__isnull=True)
        .alias(ended=Coalesce("end", "planned_end"))
        .filter(ended__lt=before)
    )


def _ended_ministers(before: date) -> QuerySet[Minister]:
    return Minister.objects.filter(Q(contact_purged_at__isnull=True) & Q(end__lt=before))


@register_purge("eredienstcontacten")
def worship_contacts_purge(limit: int) -> Purge:
    days = settings.LOKET_WORSHIP_CONTACT_RETENTION_DAYS
    now = timezone.now()
    before = timezone.localdate(now) - timedelta(days=days)
    cleared = {field: "" for field in CONTACT_FIELDS} | {"contact_purged_at": now}
    members = ministers = 0
    with transaction.atomic():
        if days > 0:
            # the conditions again in the statement: an end moved later since the read keeps the contact data
            members = in_chunks(
                _ended_members(before),
                limit=limit,
                apply=lambda chunk: _ended_members(before).filter(pk__in=chunk).update(**cleared),
            )
            ministers = in_chunks(
                _ended_ministers(before),
                limit=limit - members,
                apply=lambda chunk: _ended_ministers(before).filter(pk__in=chunk).update(**cleared),
            )
        audit_record(
            action="worship.contact_purged",
            count=members + ministers,
            members=members,
            ministers=ministers,
            days=days,
            before=before.isoformat(),
        )
    return Purge(count=members + ministers, is_complete=members + ministers < limit)
