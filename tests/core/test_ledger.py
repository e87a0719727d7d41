"""The hash-chained register: appending, verifying, and noticing every kind of tampering."""

import hashlib
import io
import json
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from loket.core import signing
from loket.core.ledger import LedgerError, SentFile, canonical_json, entry_hash_of, ledger_append, ledger_verify
from loket.core.ledger_models import GENESIS_HASH, LedgerEntry
from loket.core.models import AppendOnlyError

pytestmark = pytest.mark.django_db

ORG = "http://data.lblod.info/id/bestuurseenheden/aaaa0000-0000-0000-0000-000000000001"
FILE_URI, FILE_HASH = "http://data.lblod.info/files/1", "ab" * 32


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def append(number: int, kind: str = "sent") -> LedgerEntry:
    with transaction.atomic():
        return ledger_append(
            kind=kind,
            subject_uri=f"http://data.lblod.info/submissions/{number}",
            organisation_uri=ORG,
            actor_label="Rita Roles",
            content_hash=content_hash(f"inhoud {number}"),
            payload={"form": "besluitenlijst", "files": [f"{FILE_URI} {FILE_HASH}"], "n": number},
            stored_files=[SentFile(f"toezicht/{number}/notulen.pdf", "notulen.pdf", FILE_HASH)]
            if kind == "sent"
            else [],
        )


def raw_sql(sql: str, params: list) -> None:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_canonical_json_is_sorted_compact_utf8():  # type: ignore[no-untyped-def]
    value = {"b": 1, "a": ["é", {"d": None, "c": True}]}

    assert canonical_json(value) == '{"a":["é",{"c":true,"d":null}],"b":1}'.encode()


def test_chain_links_hashes_and_signatures():  # type: ignore[no-untyped-def]
    first, second, third = append(1), append(2), append(3, kind="delivered")

    assert [first.position, second.position, third.position] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    stored = LedgerEntry.objects.get(position=2)
    assert entry_hash_of(stored) == stored.entry_hash == second.entry_hash
    assert signing.verify(stored.entry_hash.encode(), stored.signature) is True
    assert stored.key_id == signing.key_id()
    assert stored.recorded_at.tzinfo is not None
    assert stored.tsa_token is None
    assert ledger_verify().ok is True
    assert ledger_verify().checked == 3


def test_empty_ledger_verifies():  # type: ignore[no-untyped-def]
    report = ledger_verify()

    assert (report.ok, report.checked, report.first_broken_position) == (True, 0, None)


def test_append_refuses_a_malformed_content_hash():  # type: ignore[no-untyped-def]
    with pytest.raises(LedgerError, match="content_hash"):
        with transaction.atomic():
            ledger_append(
                kind="sent",
                subject_uri="x",
                organisation_uri=ORG,
                actor_label="a",
                content_hash="ABC",
                payload={},
                stored_files=(),
            )


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():  # type: ignore[no-untyped-def]
    with pytest.raises(LedgerError, match=r"transaction\.atomic"):
        ledger_append(
            kind="sent",
            subject_uri="x",
            organisation_uri=ORG,
            actor_label="a",
            content_hash=content_hash("x"),
            payload={},
            stored_files=(),
        )

    assert LedgerEntry.objects.count() == 0


def test_model_refuses_update_and_delete():  # type: ignore[no-untyped-def]
    entry = append(1)

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(kind="delivered")
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()
    assert list(LedgerEntry.objects.values_list("position", "kind")) == [(1, "sent")]


def test_tampered_payload_is_found():  # type: ignore[no-untyped-def]
    append(1), append(2), append(3)
    raw_sql("UPDATE core_ledgerentry SET payload = %s WHERE position = 2", [json.dumps({"form": "vervalst"})])

    report = ledger_verify()

    assert (report.ok, report.checked, report.first_broken_position) == (False, 1, 2)
    assert report.reason == "entry hash does not match the entry's content"


def test_tampered_content_hash_with_rehashed_entry_is_found():  # type: ignore[no-untyped-def]
    """An attacker who recomputes the entry hash still cannot sign it."""
    append(1), append(2)
    entry = LedgerEntry.objects.get(position=2)
    entry.content_hash = content_hash("andere inhoud")
    forged_hash = entry_hash_of(entry)
    raw_sql(
        "UPDATE core_ledgerentry SET content_hash = %s, entry_hash = %s WHERE position = 2",
        [entry.content_hash, forged_hash],
    )

    report = ledger_verify()

    assert (report.ok, report.first_broken_position, report.reason) == (False, 2, "signature is not valid")


def test_tampered_entry_hash_is_found():  # type: ignore[no-untyped-def]
    append(1), append(2)
    raw_sql("UPDATE core_ledgerentry SET entry_hash = %s WHERE position = 1", ["f" * 64])

    report = ledger_verify()

    assert (report.ok, report.first_broken_position) == (False, 1)
    assert report.reason == "entry hash does not match the entry's content"


def test_signature_of_another_entry_is_found():  # type: ignore[no-untyped-def]
    first, _second = append(1), append(2)
    raw_sql("UPDATE core_ledgerentry SET signature = %s WHERE position = 2", [first.signature])

    report = ledger_verify()

    assert (report.ok, report.first_broken_position, report.reason) == (False, 2, "signature is not valid")


def test_deleted_row_leaves_a_gap():  # type: ignore[no-untyped-def]
    append(1), append(2), append(3)
    raw_sql("DELETE FROM core_ledgerentry WHERE position = %s", [2])

    report = ledger_verify()

    assert (report.ok, report.checked, report.first_broken_position) == (False, 1, 2)
    assert report.reason == "entry 2 is missing"


def test_deleted_newest_row_is_found_through_the_head():  # type: ignore[no-untyped-def]
    append(1), append(2), append(3)
    raw_sql("DELETE FROM core_ledgerentry WHERE position = %s", [3])

    report = ledger_verify()

    assert (report.ok, report.checked, report.first_broken_position) == (False, 2, 3)
    assert report.reason == "the register head says it ends at entry 3"


def test_entry_signed_by_another_key_is_found(settings, tmp_path):  # type: ignore[no-untyped-def]
    append(1)
    settings.LOKET_SIGNING_KEY_FILE = str(tmp_path / "other.pem")

    report = ledger_verify()

    assert (report.ok, report.first_broken_position) == (False, 1)
    assert report.reason.startswith("signed with unknown key ")


def test_timestamp_token_is_stored_and_verified(timestamp_authority):  # type: ignore[no-untyped-def]
    entry = append(1)

    assert entry.tsa_token is not None
    stored = LedgerEntry.objects.get(position=1)
    from loket.core.timestamping import verify_token

    assert verify_token(bytes(stored.tsa_token), bytes.fromhex(stored.entry_hash)) is True
    assert ledger_verify().ok is True


def test_tampered_timestamp_token_is_found(timestamp_authority):  # type: ignore[no-untyped-def]
    append(1)
    token = bytearray(LedgerEntry.objects.get(position=1).tsa_token)
    token[-5] ^= 0x01
    raw_sql("UPDATE core_ledgerentry SET tsa_token = %s WHERE position = 1", [bytes(token)])

    report = ledger_verify()

    assert (report.ok, report.first_broken_position, report.reason) == (False, 1, "timestamp token is not valid")


def test_a_timestamp_authority_that_is_down_does_not_stop_a_sending_and_is_asked_again(  # type: ignore[no-untyped-def]
    settings, timestamp_authority
):
    """Regression (issue 18, item 1: "the timestamp authority down: sending goes on, the dependent job retries and
    says why"): before, `ledger_append` raised inside the send's transaction, so nothing could be sent."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from loket.core.tasks import stamp_ledger_entry

    working_url = settings.LOKET_TSA_URL
    settings.LOKET_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens there
    entry = append(1)
    assert entry.tsa_token is None and LedgerEntry.objects.count() == 1  # appended: the sending went on
    [queued] = DBTaskResult.objects.filter(task_path=stamp_ledger_entry.module_path, status=TaskResultStatus.READY)
    assert queued.args_kwargs["kwargs"] == {"position": 1}
    out = io.StringIO()
    call_command("ledger", "verify", stdout=out)
    assert "OK: 1 entries verified" in out.getvalue() and "1 entries wait for their timestamp" in out.getvalue()
    # Still down: the task says why and plans another attempt.
    reason = stamp_ledger_entry.call(position=1)
    assert "niet bereikbaar" in reason and "poging 1, opnieuw over" in reason
    assert DBTaskResult.objects.filter(task_path=stamp_ledger_entry.module_path).count() == 2
    with pytest.raises(SystemExit):
        call_command("ledger", "stamp", stdout=io.StringIO(), stderr=io.StringIO())
    # Back up: the next attempt stamps the entry; the chain verifies with the token.
    settings.LOKET_TSA_URL = working_url
    assert stamp_ledger_entry.call(position=1, attempt=2) == "gestempeld"
    stamped = LedgerEntry.objects.get(position=1)
    assert stamped.tsa_token is None and stamped.timestamp_token is not None  # its own row: the entry never changes
    assert stamped.entry_hash == entry.entry_hash
    assert ledger_verify().ok
    out = io.StringIO()
    call_command("ledger", "verify", stdout=out)
    assert out.getvalue() == "OK: 1 entries verified\n"
    call_command("ledger", "stamp", stdout=(out := io.StringIO()))
    assert out.getvalue() == "0 entries timestamped\n"
    # The late token is checked like any other.
    token = bytearray(stamped.timestamp_token)
    token[-5] ^= 0x01
    raw_sql("UPDATE core_ledgertimestamp SET token = %s", [bytes(token)])
    assert ledger_verify().reason == "timestamp token is not valid"


def test_cli_verify_ok():  # type: ignore[no-untyped-def]
    append(1), append(2)
    out = io.StringIO()

    call_command("ledger", "verify", stdout=out)

    assert out.getvalue() == "OK: 2 entries verified\n"


def test_cli_verify_broken_exits_1():  # type: ignore[no-untyped-def]
    append(1), append(2), append(3)
    raw_sql("UPDATE core_ledgerentry SET actor_label = %s WHERE position = 3", ["Iemand anders"])
    err = io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger", "verify", stderr=err)

    assert exit_info.value.code == 1
    assert err.getvalue() == "BROKEN at position 3: entry hash does not match the entry's content\n"


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_get_distinct_positions():  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL); SQLite serialises writers by itself")
    append(0)  # the head row exists, so only the row lock (not the head's first insert) can serialise the race
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                ledger_append(
                    kind="sent",
                    subject_uri=f"urn:x:{number}",
                    organisation_uri=ORG,
                    actor_label="t",
                    content_hash=content_hash(str(number)),
                    payload={},
                    stored_files=(),
                )
                time.sleep(0.2)  # hold the lock so the other append really waits
        except BaseException as error:  # collected and re-raised in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(number,)) for number in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(LedgerEntry.objects.values_list("position", flat=True)) == [1, 2, 3]
    assert ledger_verify().ok is True


def test_the_locked_head_is_the_orms():  # type: ignore[no-untyped-def]
    """`_head_for_update` (one statement) reads what the ORM's `select_for_update()` read: none before the first
    append, then the head's position and hash; locked (FOR UPDATE) where the database locks rows."""
    from django.test.utils import CaptureQueriesContext

    from loket.core.ledger import _head_for_update
    from loket.core.ledger_models import LedgerHead

    with transaction.atomic():
        assert _head_for_update() is None
    entry = append(0)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        head = _head_for_update()
    by_orm = LedgerHead.objects.get(id=1)
    assert head is not None and (head.pk, head.position, head.entry_hash) == (1, 1, entry.entry_hash)
    assert (head.pk, head.position, head.entry_hash) == (by_orm.pk, by_orm.position, by_orm.entry_hash)
    assert len(queries) == 1 and ("FOR UPDATE" in queries[0]["sql"]) is connection.features.has_select_for_update
