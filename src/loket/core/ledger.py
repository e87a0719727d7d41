"""Appending to and verifying the register of sent and delivered content (see `ledger_models`).

An entry's hash is the SHA-256 over the canonical JSON of its fields, including the previous entry's hash; the
server signs that hash (Ed25519) and, when `LOKET_TSA_URL` is set, obtains an RFC 3161 timestamp over it. A TSA
that cannot be reached does not stop a sending: the entry is appended without a token and a task
(`core.tasks.stamp_ledger_entry`) adds it as soon as the TSA answers.
`ledger_append` must run inside the caller's `transaction.atomic`, so the entry commits or rolls back with the
change it records. Appends are serialised by locking the single `LedgerHead` row.
"""

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from loket.core import signing, timestamping
from loket.core.ledger_models import GENESIS_HASH, LedgerEntry, LedgerHead, LedgerTimestamp
from loket.core.statements import Columns, columns, instances, quote, table
from loket.core.statements import cursor as statements_cursor

logger = logging.getLogger(__name__)
KIND_SENT = "sent"
KIND_DELIVERED = "delivered"
KIND_REOPENED = "reopened"  # the agency reopened a sent item: it stays as sent; a correction of it opens


class LedgerError(Exception):
    """The register cannot be appended to (a programming or configuration error, not a user's)."""


def canonical_json(obj: Any) -> bytes:
    """One byte string per JSON value: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def timestamp_text(moment: datetime) -> str:
    """The form of `recorded_at` that goes into the hash: UTC, microseconds, so it survives every database."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash_of(entry: LedgerEntry) -> str:
    fields = {
        "position": entry.position,
        "recorded_at": timestamp_text(entry.recorded_at),
        "kind": entry.kind,
        "subject_uri": entry.subject_uri,
        "organisation_uri": entry.organisation_uri,
        "actor_label": entry.actor_label,
        "content_hash": entry.content_hash,
        "payload": entry.payload,
        "previous_hash": entry.previous_hash,
    }
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def _is_sha256_hex(value: str) -> bool:
    return len(value) == 64 and all(character in "0123456789abcdef" for character in value)


def _locked_head() -> LedgerHead:
    head = _head_for_update()
    if head is not None:
        return head
    # The very first append: INSERT … ON CONFLICT DO NOTHING is safe when two first appends race; then lock it.
    LedgerHead.objects.bulk_create([LedgerHead(id=1)], ignore_conflicts=True)
    return LedgerHead.objects.select_for_update().get(id=1)


def _head_for_update() -> LedgerHead | None:
    """`LedgerHead.objects.select_for_update().filter(id=1).first()` as one statement of its own (`core.statements`):
    every append asks it, and building the ORM's query cost about 0.5 ms of CPU. tests/core/test_ledger.py compares
    it with the ORM's answer."""
    if connection.features.has_select_for_update and not connection.in_atomic_block:
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    sql, read = _head_statement(connection.vendor, connection.features.has_select_for_update)
    with statements_cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return None if row is None else instances(row, read)[0]


@lru_cache(maxsize=4)
def _head_statement(vendor: str, lock: bool) -> tuple[str, tuple[Columns]]:
    read = (columns(LedgerHead, "h"),)
    # Only the model's own table and column names, quoted; the head is the one row with id 1.
    sql = f"SELECT {read[0].sql} FROM {table(LedgerHead)} h WHERE h.{quote('id')} = 1"  # noqa: S608
    return sql + (" FOR UPDATE" if lock else ""), read


SEND_CONFIRMATION_FIELD = "simulatie_bevestigd"  # the checkbox of includes/simulation_confirm.html


class SentFile(NamedTuple):
    """One upload a "sent" entry sends: where it is stored, the name shown for it, and the SHA-256 its entry lists."""

    storage_name: str
    name: str
    sha256: str


def ledger_append(
    *,
    kind: str,
    subject_uri: str,
    organisation_uri: str,
    actor_label: str,
    content_hash: str,
    payload: dict,
    stored_files: Sequence[SentFile],
) -> LedgerEntry:
    """Append one entry. Call inside the transaction of the change it records.

    A "sent" entry lists the sent files in `payload["files"]` as "<uri> <sha256>", and names the uploads it sends in
    `stored_files`, one per listed file (an empty sequence for a sending without files, and for the other kinds);
    when one of them still waits for the virus scan the send is refused here (ScanPending, naming the file), for
    every module, by the rule the pages ask (`core.scanwait`). The argument has no default, and a "sent" entry whose
    `stored_files` do not match the files it lists is refused (LedgerError): a module cannot skip the rule by
    forgetting or mistaking its files."""
    if not transaction.get_connection().in_atomic_block:
        raise LedgerError("ledger_append must be called inside transaction.atomic.")
    if not _is_sha256_hex(content_hash):
        raise LedgerError("content_hash must be a lowercase hex SHA-256.")
    if kind == KIND_SENT:
        from loket.core.scanwait import refuse_waiting

        _check_listed(payload, stored_files)
        refuse_waiting((file.storage_name, file.name) for file in stored_files)
    from loket.core.audit import audit_simulation

    if (simulation := audit_simulation()) is not None:  # an agency admin acting as the body: the receipt names them
        if not simulation.send_confirmed():
            from django.utils.translation import gettext as _

            from loket.core.errors import DomainError

            raise DomainError(
                _(
                    "U simuleert %(org)s. Bevestig dat u als medewerker van het agentschap namens dit bestuur "
                    "verstuurt (vink het vakje aan) en probeer opnieuw."
                )
                % {"org": simulation.organisation_label},
                fields={SEND_CONFIRMATION_FIELD: "x"},
            )
        actor_label = f"{simulation.admin_label} (medewerker agentschap, simulatie van {simulation.organisation_label})"
    head = _locked_head()
    entry = LedgerEntry(
        position=head.position + 1,
        recorded_at=timezone.now(),
        kind=kind,
        subject_uri=subject_uri,
        organisation_uri=organisation_uri,
        actor_label=actor_label[:300],
        content_hash=content_hash,
        payload=json.loads(canonical_json(payload)),  # what is hashed is exactly what the database gives back
        previous_hash=head.entry_hash,
    )
    entry.entry_hash = entry_hash_of(entry)
    entry.signature = signing.sign(entry.entry_hash.encode("ascii"))
    entry.key_id = signing.key_id()
    stamp_later = False
    if timestamping.tsa_url():
        try:
            entry.tsa_token = timestamping.timestamp(bytes.fromhex(entry.entry_hash))
        except timestamping.TimestampError as error:  # the TSA is down: send anyway, a task stamps it later
            logger.warning("ledger entry %s: no timestamp yet (%s); a task will ask again", entry.position, error)
            stamp_later = True
    entry.save()
    LedgerHead.objects.filter(id=1).update(position=entry.position, entry_hash=entry.entry_hash)
    if stamp_later:
        from loket.core.tasks import stamp_ledger_entry

        stamp_ledger_entry.enqueue(position=entry.position)  # queued with the entry: both or neither
    return entry


def _check_listed(payload: dict, stored_files: Sequence[SentFile]) -> None:
    """The uploads a send names for the scan rule are exactly the files its entry lists ("<uri> <sha256>")."""
    listed = [item.rsplit(" ", 1)[-1] if isinstance(item, str) else "" for item in payload.get("files", [])]
    if sorted(listed) != sorted(file.sha256 for file in stored_files):
        raise LedgerError('stored_files must name exactly the uploads that payload["files"] lists.')


def ledger_key_rotate(*, reason: str, actor_label: str) -> tuple[str, str]:
    """Retire the signing key and sign with a new one (`signing.rotate`), audited with both key ids; returns them.
    ValueError without a reason."""
    from loket.core.audit import audit_record

    if not reason.strip():
        raise ValueError("Geef een reden op (--reason).")
    old, new = signing.rotate()
    audit_record(
        action="ledger.key_rotated", actor_label=actor_label, old_key=old, new_key=new, reason=reason.strip()[:500]
    )
    logger.warning("Signing key %s retired, %s now signs", old, new)
    return old, new


def ledger_stamp(position: int) -> bool:
    """Obtain the timestamp a TSA outage left out, as its own append-only row (`LedgerTimestamp`: no entry is ever
    changed). True when the entry has a token now; TimestampError while the TSA is still down."""
    from django.db import IntegrityError

    entry = LedgerEntry.objects.filter(position=position).first()
    if entry is None:
        return False
    if entry.timestamp_token is not None:
        return True
    if not timestamping.tsa_url():
        return False
    token = timestamping.timestamp(bytes.fromhex(entry.entry_hash))
    try:
        with transaction.atomic():
            LedgerTimestamp.objects.create(entry=entry, token=token, obtained_at=timezone.now())
    except IntegrityError:  # another worker stamped it meanwhile
        pass
    return True


def entries_waiting_for_a_timestamp() -> int:
    """Entries without a token while a TSA is configured (appended during an outage, not yet stamped)."""
    if not timestamping.tsa_url():
        return 0
    return LedgerEntry.objects.filter(tsa_token__isnull=True, late_timestamp__isnull=True).count()


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    checked: int
    first_broken_position: int | None
    reason: str


def entry_problem(entry: LedgerEntry) -> str:
    """What is wrong with one entry on its own (hash, signature, timestamp), or "" when nothing is. The signature
    is checked with the key the entry names, if it is ours (current or retired: `signing`)."""
    if entry_hash_of(entry) != entry.entry_hash:
        return "entry hash does not match the entry's content"
    if not signing.is_known_key(entry.key_id):
        return f"signed with unknown key {entry.key_id}"
    if not signing.verify(entry.entry_hash.encode("ascii"), entry.signature, key=entry.key_id):
        return "signature is not valid"
    token = entry.timestamp_token
    if token is not None and not timestamping.verify_token(token, bytes.fromhex(entry.entry_hash)):
        return "timestamp token is not valid"
    return ""


def ledger_verify() -> VerifyReport:
    """Recompute the whole chain: positions 1..n without gaps, every link, hash, signature and timestamp."""
    expected_position, previous_hash, checked = 1, GENESIS_HASH, 0
    entries = LedgerEntry.objects.select_related("late_timestamp").order_by("position")
    for entry in entries.iterator(chunk_size=2000):
        if entry.position != expected_position:
            return VerifyReport(False, checked, expected_position, f"entry {expected_position} is missing")
        if entry.previous_hash != previous_hash:
            return VerifyReport(False, checked, entry.position, "previous hash does not match the entry before")
        problem = entry_problem(entry)
        if problem:
            return VerifyReport(False, checked, entry.position, problem)
        checked += 1
        expected_position, previous_hash = entry.position + 1, entry.entry_hash
    head = LedgerHead.objects.filter(id=1).first()
    head_position, head_hash = (head.position, head.entry_hash) if head else (0, GENESIS_HASH)
    if (head_position, head_hash) != (checked, previous_hash):
        first_broken = min(head_position, checked) + 1
        return VerifyReport(False, checked, first_broken, f"the register head says it ends at entry {head_position}")
    return VerifyReport(True, checked, None, "")
