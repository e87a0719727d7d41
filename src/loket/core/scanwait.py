"""Wacht op virusscan: an upload that arrives while the virus scanner cannot be reached is kept, not refused, and
waits for the worker to scan it.

`core.files.store_upload` keeps the file (after the size and type checks) and calls `keep_for_scan`, which records
a `PendingScan` row and queues `core.tasks.rescan_upload`, both in the caller's transaction. While the row exists:

* pages list the file as "wacht op virusscan" (`waiting_names`);
* nobody can download it (`core.security.stored_download` answers 409);
* nothing holding it can be sent: `core.ledger.ledger_append` refuses a "sent" entry whose `stored_files` include
  a waiting file (`refuse_waiting`).

Waiting belongs to one stored upload, by its storage name, never to its bytes: `waiting_names` is the one rule, and
a page that offers "Verstuur" and the register that refuses a send both ask it. Identical bytes uploaded elsewhere
(another module, another concept) are another upload with their own scan: while that copy waits, a copy that was
scanned when it came in is an ordinary file (its bytes were found clean); a copy found infected later is taken out
of what holds *that* copy (the owners are called with its storage name). Keyed by SHA-256 the register refused a
clean file because its bytes waited elsewhere, while the page offered to send it. A module that keeps equal bytes
once (the Berichtencentrum's `StoredBlob`) and gets them again, scanned clean, keeps the scanned copy and forgets the
waiting one: its scan is no longer needed.

The task scans the stored bytes: clean → the row goes and the file is an ordinary file; infected → the bytes are
deleted, `core.virus_found` is audited (hash, signature, uploader), every module that holds the file removes it
(`register_file_owner`) and a `ScanNotice` tells the concept's users; scanner still down → retried with back-off,
the reason recorded on the row. A worker killed meanwhile is covered by the recovery registered here.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core import virusscan
from loket.core.errors import DomainError
from loket.core.recovery import register_recovery
from loket.core.scanwait_models import PendingScan, ScanNotice

# A module that keeps uploads registers how to take an infected one out of what holds it: the function gets the
# storage name, removes its rows (inside the scan's transaction) and returns the URIs of the concepts, conversations
# or reports it was removed from (each gets a notice).
FileOwner = Callable[[str], list[str]]
_OWNERS: dict[str, FileOwner] = {}


class ScanPending(DomainError):
    """A file still waits for the virus scan: it cannot be downloaded or sent yet."""

    code = "scan_pending"


def register_file_owner(name: str) -> Callable[[FileOwner], FileOwner]:
    def decorator(function: FileOwner) -> FileOwner:
        _OWNERS[name] = function
        return function

    return decorator


def keep_for_scan(*, storage_name: str, sha256: str, file_name: str, size: int) -> PendingScan:
    """Record a stored upload that could not be scanned and queue its scan (with the caller's transaction)."""
    from loket.core.tasks import rescan_upload

    uploader = virusscan.current_uploader()
    pending = PendingScan.objects.create(
        storage_name=storage_name,
        sha256=sha256,
        file_name=file_name[:255],
        size=size,
        uploaded_by=uploader if getattr(uploader, "is_authenticated", False) else None,
        created_at=timezone.now(),
        last_error=_("virusscanner niet bereikbaar bij het opladen"),
    )
    rescan_upload.enqueue(pending_id=pending.pk)
    return pending


def waiting_names(storage_names: Iterable[str]) -> set[str]:
    """The storage names among `storage_names` that still wait for the virus scan (one query)."""
    names = [name for name in storage_names if name]
    if not names:
        return set()
    return set(PendingScan.objects.filter(storage_name__in=names).values_list("storage_name", flat=True))


def is_waiting(storage_name: str) -> bool:
    return bool(storage_name) and PendingScan.objects.filter(storage_name=storage_name).exists()


def waiting_message(file_names: list[str]) -> str:
    return _(
        "%(names)s wacht nog op de virusscan en kan pas gedownload of verstuurd worden als die scan klaar is. "
        "De virusscanner was even niet bereikbaar; probeer over enkele minuten opnieuw."
    ) % {"names": ", ".join(name or _("zonder naam") for name in file_names)}


def refuse_waiting(stored_files: Iterable[tuple[str, str]]) -> None:
    """ScanPending, naming the files, when one of `stored_files` ((storage name, name shown)) waits for the scan: the
    rule of `waiting_names`, which pages ask to decide whether they offer to send."""
    files = list(stored_files)
    waiting = waiting_names(name for name, _shown in files)
    if waiting:
        raise ScanPending(waiting_message(sorted({shown for name, shown in files if name in waiting})))


def forget(storage_name: str) -> None:
    """The module deleted these bytes itself (a refused post, a duplicate): nothing is left to scan."""
    PendingScan.objects.filter(storage_name=storage_name).delete()


def notices_for(owner_uri: str) -> list[ScanNotice]:
    """Files removed from `owner_uri` because the scan found them infected, oldest first."""
    return list(ScanNotice.objects.filter(owner_uri=owner_uri))


def rescan(pending_id: int) -> str:
    """Scan one waiting upload. Returns what happened; ScannerUnavailable when clamd is still down."""
    pending = PendingScan.objects.filter(pk=pending_id).first()
    if pending is None:
        return "niet meer nodig (al gescand of verwijderd)"
    if not default_storage.exists(pending.storage_name):
        forget(pending.storage_name)
        return "bestand bestaat niet meer"
    try:
        with default_storage.open(pending.storage_name, "rb") as handle:
            signature = virusscan.scan_chunks(handle.chunks())
    except virusscan.TooLargeToScan as error:
        verdict, infected = str(error.message_nl), False
    else:
        if signature is None:
            PendingScan.objects.filter(pk=pending.pk).delete()
            return "schoon"
        verdict, infected = signature, True
    if _remove(pending, signature=verdict, infected=infected):
        default_storage.delete(pending.storage_name)  # after the commit: no row points to bytes that are gone
    return f"besmet ({verdict}): verwijderd" if infected else "te groot om te scannen: verwijderd"


@transaction.atomic
def _remove(pending: PendingScan, *, signature: str, infected: bool) -> bool:
    """Out of every module that holds it, with a notice and (infected) the audit event; False when another
    worker got there first."""
    locked = PendingScan.objects.select_for_update().filter(pk=pending.pk).first()
    if locked is None:
        return False
    owners = [uri for _name, owner in sorted(_OWNERS.items()) for uri in owner(locked.storage_name)]
    now = timezone.now()
    for uri in dict.fromkeys(owners):
        ScanNotice.objects.create(owner_uri=uri, file_name=locked.file_name, signature=signature[:300], at=now)
    if infected:
        virusscan.record_infected(
            sha256=locked.sha256,
            signature=signature,
            file_name=locked.file_name,
            source="upload",
            uploader=locked.uploaded_by,
            scanned_later=True,
        )
    locked.delete()
    return True


def record_attempt(pending_id: int, *, reason: str, next_attempt_at: datetime) -> None:
    """The scanner was still down: count the attempt and say why and when the next one is (shown in the admin)."""
    PendingScan.objects.filter(pk=pending_id).update(
        attempts=F("attempts") + 1, last_error=reason[:500], next_attempt_at=next_attempt_at
    )


@register_recovery("virusscan")
def recover_waiting_scans(older_than: timedelta) -> str:
    """Every waiting upload whose scan task a dead worker left RUNNING, or that has no task at all, is queued."""
    from loket.core.taskqueue import fail_stalled_tasks, live_task_arguments
    from loket.core.tasks import rescan_upload

    cutoff = timezone.now() - older_than
    paths = {rescan_upload.module_path}
    fail_stalled_tasks(paths=paths, cutoff=cutoff, module="core")
    live = {value for _path, name, value in live_task_arguments(paths=paths, cutoff=cutoff) if name == "pending_id"}
    resumed = 0
    for pending_id in PendingScan.objects.exclude(pk__in=live).values_list("pk", flat=True):
        rescan_upload.enqueue(pending_id=pending_id)
        resumed += 1
    return f"{resumed} bestand(en) opnieuw ingepland voor de virusscan."
