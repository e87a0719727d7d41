"""Retention of what accounts keep about people (ASVS 8.3.8, `core.retention`, docs/security/retention.md).

- An access request (zelfregistratie) holds a person's name, e-mail address, phone, job title and reason, and the
  access manager's motivation. Once decided it serves access reviews: a refused or lapsed one for
  LOKET_ACCESS_REQUEST_RETENTION_DAYS after the decision, an approved one as long as the membership it granted
  lasts and that many days after it ended. Then it is deleted; who granted which roles when stays in the membership
  and the audit trail (`access.approved`, which names the request only by number). A pending request is never
  deleted.
- A user who left (no active membership, not staff, nothing pending) keeps a name and an e-mail address. The name
  stays: it says who sent, decided or wrote the official records the Loket keeps (and the audit trail's labels are
  copies of it). The e-mail address is contact data nobody uses once they left (mails go to active members only):
  it is cleared LOKET_FORMER_USER_RETENTION_DAYS after the last sign-in and the end of the last membership. The
  identity provider gives it back at a next sign-in."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from loket.accounts.models import AccessRequest, Membership, User
from loket.core.audit import audit_record
from loket.core.retention import Purge, in_chunks, register_purge


@register_purge("toegangsaanvragen")
def access_requests_purge(limit: int) -> Purge:
    days = settings.LOKET_ACCESS_REQUEST_RETENTION_DAYS
    before = timezone.now() - timedelta(days=days)
    deleted = 0
    with transaction.atomic():
        if days > 0:
            # the membership an approved request granted: still active, or ended less than `days` ago
            granted = Membership.objects.filter(user=OuterRef("user"), organisation=OuterRef("organisation")).filter(
                Q(is_active=True) | Q(ended_at__gte=before)
            )
            due = AccessRequest.objects.exclude(status=AccessRequest.Status.PENDING).filter(decided_at__lt=before)
            due = due.exclude(Q(status=AccessRequest.Status.APPROVED) & Exists(granted))
            deleted = in_chunks(
                due, limit=limit, apply=lambda chunk: AccessRequest.objects.filter(pk__in=chunk).delete()[0]
            )
        audit_record(action="access_request.purged", count=deleted, days=days, before=before.isoformat())
    return Purge(count=deleted, is_complete=deleted < limit)


@register_purge("gebruikers")
def former_users_purge(limit: int) -> Purge:
    days = settings.LOKET_FORMER_USER_RETENTION_DAYS
    before = timezone.now() - timedelta(days=days)
    cleared = 0
    with transaction.atomic():
        if days > 0:
            # the conditions again, in the statement: a sign-in or a grant since the read keeps the address
            cleared = in_chunks(
                _former_users(before),
                limit=limit,
                apply=lambda chunk: _former_users(before).filter(pk__in=chunk).update(email=""),
            )
        audit_record(action="user.contact_purged", count=cleared, days=days, before=before.isoformat())
    return Purge(count=cleared, is_complete=cleared < limit)


def _former_users(before: datetime) -> QuerySet[User]:
    recent = Membership.objects.filter(user=OuterRef("pk")).filter(Q(is_active=True) | Q(ended_at__gte=before))
    pending = AccessRequest.objects.filter(user=OuterRef("pk"), status=AccessRequest.Status.PENDING)
    return (
        User.objects.exclude(email="")
        .filter(is_staff=False, is_superuser=False, date_joined__lt=before)
        .filter(Q(last_login__lt=before) | Q(last_login__isnull=True))
        .exclude(Exists(recent))
        .exclude(Exists(pending))
    )
