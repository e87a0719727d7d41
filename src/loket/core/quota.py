"""The storage quota (ASVS 12.1.3): one body, or one user, cannot fill the storage with many or large files.

Every file stored for a body is charged to it (and to the user who sent it, when a person did) with `quota_charge`,
which `core.files.store_upload` calls for every upload and the worker for what it downloads for a body (a Toezicht
link's copy, a vendor's page and attachments). A body may store at most `LOKET_UPLOAD_QUOTA_FILES` files and
`LOKET_UPLOAD_QUOTA_BYTES` bytes in any `LOKET_UPLOAD_QUOTA_HOURS` (a rolling window, not a calendar day). A user
has the same bounds over all the bodies they act for (`LOKET_UPLOAD_QUOTA_USER_*`): otherwise someone who acts
for fifty worship boards, or the agency's helpdesk, could store fifty bodies' worth.

The charge is a row (`QuotaCharge`) written in the transaction that stores the file, after the usage in the window
was read under a lock per body and per user (PostgreSQL: transaction-scoped advisory locks, taken in one order;
SQLite: the write lock its IMMEDIATE transactions take at BEGIN), so concurrent uploads cannot both slip under the
limit; a rolled-back upload leaves no charge, and a file its post then discards is refunded (`quota_refund`).
A file over the quota is refused before any byte of it is stored, with a message saying the limit, when the
body can send again and whom to ask; the refusal is audited (`core.quota_exceeded`) and the first one per body
(or user) in a window raises a security alert (`core.alerts`)."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.files import FileRejected, format_size_nl, size_number
from loket.core.models import AuditEvent
from loket.core.quota_models import QuotaCharge
from loket.core.retention import Purge, in_chunks, register_purge

GIGABYTE = 1024**3
logger = logging.getLogger("loket.security")


@dataclass(frozen=True)
class Uploader:
    """Whom a stored file is charged to: the body it is stored for, and the person who sent it (None: the worker,
    a vendor, the agency's case system)."""

    organisation: Any
    user: Any = None


class QuotaExceeded(FileRejected):
    code = "quota_exceeded"


@dataclass(frozen=True)
class _Bound:
    holder: str  # "bestuur" or "gebruiker"
    max_files: int
    max_bytes: int
    filters: dict[str, Any]


def quota_window() -> timedelta:
    return timedelta(hours=max(settings.LOKET_UPLOAD_QUOTA_HOURS, 1))


def quota_charge(*, uploader: Uploader, size: int, storage_name: str, source: str, file_name: str = "") -> None:
    """Charge one file of `size` bytes, about to be stored as `storage_name`, to its body and user, or refuse it
    (QuotaExceeded, nothing charged; audited, alerted the first time in a window). Inside the caller's transaction
    when there is one: its rollback takes the charge with it."""
    now = timezone.now()
    user = uploader.user if getattr(uploader.user, "is_authenticated", False) else None
    bounds = _bounds(uploader.organisation, user)
    # No savepoint of its own: a refusal leaves the block before raising, and nothing was written by then.
    with transaction.atomic(savepoint=False):
        _lock(bounds)
        for bound in bounds:
            files, used = _usage(bound, now)
            if _exceeds(bound, files + 1, used + size):
                break
        else:
            QuotaCharge.objects.create(
                at=now,
                organisation=uploader.organisation,
                user=user,
                size=size,
                storage_name=storage_name,
                source=source,
            )
            return
    _refuse(uploader.organisation, user, bound, size=size, files=files, used=used, source=source, name=file_name)


def charged_save(
    content: File, *, name: str, size: int, uploader: Uploader, source: str, file_name: str = "", storage: Storage
) -> str:
    """The one way a file for a body is stored: charged to the quota (QuotaExceeded: nothing written), then saved
    as `name`; a save that fails takes its charge back. Returns the name the storage kept it under."""
    quota_charge(uploader=uploader, size=size, storage_name=name, source=source, file_name=file_name)
    content.seek(0)
    try:
        stored_name = storage.save(name, content)
    except BaseException:
        quota_refund([name])
        raise
    if stored_name != name:
        QuotaCharge.objects.filter(storage_name=name).update(storage_name=stored_name)
    return stored_name


@dataclass(frozen=True)
class QuotaFull:
    """The body (or user) has no room left for one more file."""

    holder: str  # "bestuur" or "gebruiker"
    max_files: int
    max_bytes: int
    again: datetime | None  # when one more small file fits again


def quota_full(uploader: Uploader, *, source: str) -> QuotaFull | None:
    """Whether the body (or user) of `uploader` has no room left for even one more file. For a caller that accepts
    work which stores files later, such as a vendor's melding, so it can refuse at once instead of letting the job
    fail; the charge itself stays `quota_charge`'s, under its lock. A full quota is audited and alerted as a refused
    file is (`core.quota_exceeded`)."""
    now = timezone.now()
    user = uploader.user if getattr(uploader.user, "is_authenticated", False) else None
    for bound in _bounds(uploader.organisation, user):
        files, used = _usage(bound, now)
        if _exceeds(bound, files + 1, used + 1):
            again = _refusal_record(
                uploader.organisation, user, bound, size=1, files=files, used=used, source=source, name=""
            )
            return QuotaFull(holder=bound.holder, max_files=bound.max_files, max_bytes=bound.max_bytes, again=again)
    return None


def quota_refund(storage_names: list[str]) -> None:
    """Files a post stored and then discarded (another file of it was refused, the post failed) count no more."""
    if storage_names:
        QuotaCharge.objects.filter(storage_name__in=storage_names).delete()


def _bounds(organisation: Any, user: Any) -> list[_Bound]:
    bounds = [
        _Bound(
            "bestuur",
            settings.LOKET_UPLOAD_QUOTA_FILES,
            settings.LOKET_UPLOAD_QUOTA_BYTES,
            {"organisation_id": organisation.pk},
        )
    ]
    if user is not None:
        bounds.append(
            _Bound(
                "gebruiker",
                settings.LOKET_UPLOAD_QUOTA_USER_FILES,
                settings.LOKET_UPLOAD_QUOTA_USER_BYTES,
                {"user_id": user.pk},
            )
        )
    return bounds


def _lock(bounds: list[_Bound]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: this transaction took the database's write lock at BEGIN (transaction_mode IMMEDIATE)
    keys = sorted(_lock_key(f"quota:{bound.holder}:{next(iter(bound.filters.values()))}") for bound in bounds)
    with connection.cursor() as cursor:
        for key in keys:  # one order: no deadlock between a body's and a user's uploads
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _lock_key(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def _usage(bound: _Bound, now: datetime) -> tuple[int, int]:
    found = QuotaCharge.objects.filter(**bound.filters, at__gt=now - quota_window()).aggregate(
        files=Count("pk"), used=Sum("size")
    )
    return found["files"], found["used"] or 0


def _exceeds(bound: _Bound, files: int, used: int) -> bool:
    return (bound.max_files > 0 and files > bound.max_files) or (bound.max_bytes > 0 and used > bound.max_bytes)


def _again_at(bound: _Bound, size: int, files: int, used: int, now: datetime) -> datetime | None:
    """When enough of the window's charges have aged out for this file to fit; None when it never fits."""
    if bound.max_bytes > 0 and size > bound.max_bytes:
        return None
    window = quota_window()
    charges = QuotaCharge.objects.filter(**bound.filters, at__gt=now - window).order_by("at", "pk")
    for at, charged in charges.values_list("at", "size").iterator():
        files, used = files - 1, used - charged
        if not _exceeds(bound, files + 1, used + size):
            return at + window
    return now + window


def _refuse(
    organisation: Any, user: Any, bound: _Bound, *, size: int, files: int, used: int, source: str, name: str
) -> None:
    again = _refusal_record(organisation, user, bound, size=size, files=files, used=used, source=source, name=name)
    message = quota_message_nl(bound.holder, max_files=bound.max_files, max_bytes=bound.max_bytes, again=again)
    raise QuotaExceeded(message)


def _refusal_record(
    organisation: Any, user: Any, bound: _Bound, *, size: int, files: int, used: int, source: str, name: str
) -> datetime | None:
    """Log, audit and (the first time in a window) alert a refusal; returns when a file of `size` would fit again."""
    from loket.core.alerts import throttle_alert
    from loket.core.audit import audit_record

    now = timezone.now()
    again = _again_at(bound, size, files, used, now)
    first = not _refused_before(organisation, user, bound, since=now - quota_window())
    details: dict[str, Any] = {
        "grens": bound.holder,
        "bestand": name[:255],
        "grootte": size,
        "bestanden": files,
        "bytes": used,
        "max_bestanden": bound.max_files,
        "max_bytes": bound.max_bytes,
        "uren": settings.LOKET_UPLOAD_QUOTA_HOURS,
        "bron": source,
    }
    if user is None:
        details["actor_label"] = "systeem"
    # Also in the log: the audit event belongs to the caller's transaction (a caller that rolls back on the
    # refusal takes it with it; the pages and the worker keep it).
    logger.warning("storage quota of %s %s reached: %s refused", bound.holder, bound.filters, name)
    audit_record(action="core.quota_exceeded", actor=user, organisation=organisation, **details)
    if first:
        who = f"{bound.holder} {organisation.display_name if bound.holder == 'bestuur' else user.get_username()}"
        over_files = bound.max_files > 0 and files + 1 > bound.max_files
        limit = bound.max_files if over_files else bound.max_bytes
        throttle_alert(key=f"opslagquotum:{who}", limit=limit, window_seconds=int(quota_window().total_seconds()))
    return again


def _refused_before(organisation: Any, user: Any, bound: _Bound, *, since: datetime) -> bool:
    earlier = AuditEvent.objects.filter(action="core.quota_exceeded", at__gte=since, details__grens=bound.holder)
    earlier = earlier.filter(organisation=organisation) if bound.holder == "bestuur" else earlier.filter(actor=user)
    return earlier.exists()


def quota_message_nl(holder: str, *, max_files: int, max_bytes: int, again: datetime | None) -> str:
    hours = settings.LOKET_UPLOAD_QUOTA_HOURS
    limit = _("%(files)s bestanden of %(size)s per %(hours)s uur") % {
        "files": max_files,
        "size": size_nl(max_bytes),
        "hours": hours,
    }
    if holder == "bestuur":
        said = _("Uw bestuur heeft de grens bereikt van wat het Loket bewaart: %(limit)s.") % {"limit": limit}
    else:
        said = _("U hebt de grens bereikt van wat het Loket per gebruiker bewaart: %(limit)s.") % {"limit": limit}
    if again is None:
        when = _("Dit bestand is groter dan die grens en kan niet opgeladen worden.")
    else:
        when = _("U kunt opnieuw bestanden opladen vanaf %(moment)s.") % {
            "moment": timezone.localtime(again).strftime("%d/%m/%Y %H:%M")
        }
    helpdesk = _("Is dit een vergissing of moet er dringend meer door, contacteer dan de helpdesk (%(email)s).") % {
        "email": settings.LOKET_HELPDESK_EMAIL
    }
    not_stored = _("Dit bestand is niet bewaard.")
    return f"{said} {not_stored} {when} {helpdesk}"


@register_purge("opslagquotum")
def quota_charges_purge(limit: int) -> Purge:
    """Charges older than the window count no more: the worker deletes them daily (core.retention)."""
    from loket.core.audit import audit_record

    before = timezone.now() - quota_window()
    with transaction.atomic():
        deleted = in_chunks(
            QuotaCharge.objects.filter(at__lt=before),
            limit=limit,
            apply=lambda chunk: QuotaCharge.objects.filter(pk__in=chunk, at__lt=before).delete()[0],
        )
        audit_record(action="quota.purged", count=deleted, hours=settings.LOKET_UPLOAD_QUOTA_HOURS)
    return Purge(count=deleted, is_complete=deleted < limit)


def size_nl(size: int) -> str:
    """A quota's size as a clerk reads it: "5 GB", "1,5 GB" (English "1.5 GB"), below a gigabyte as
    `format_size_nl`."""
    if size >= GIGABYTE:
        return f"{size_number(size / GIGABYTE)} GB"
    return format_size_nl(size)
