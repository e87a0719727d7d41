"""The signing key is replaceable (ASVS 1.6.3): `manage.py ledger rotate-key` retires the key (its public half kept)
and signs with a new one; the register and the receipts made with the old key still verify, nothing signed with a
key we never had does, and the rotation is audited."""

import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from loket.core import signing
from loket.core.ledger import ledger_verify
from loket.core.ledger_models import LedgerEntry
from loket.core.models import AuditEvent
from loket.core.receipts import receipt_verify
from tests.core.test_ledger import append
from tests.core.test_receipts import receipt  # noqa: F401 - the fixture: a sent and delivered receipt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_key(settings, tmp_path):  # type: ignore[no-untyped-def]
    """A key of this test alone: a rotation must not change the key the other tests share."""
    settings.LOKET_SIGNING_KEY_FILE = str(tmp_path / "keys" / "ledger-ed25519.pem")
    yield tmp_path / "keys"
    signing._load.cache_clear()
    signing._public_of.cache_clear()
    signing._current_key_id.cache_clear()


def test_what_the_old_key_signed_still_verifies_and_only_the_new_key_signs(own_key):  # type: ignore[no-untyped-def]
    signature = signing.sign(b"data")
    old = signing.key_id()

    retired_id, new = signing.rotate()

    assert retired_id == old and new != old and signing.key_id() == new
    assert (own_key / "retired" / f"{old}.pem").read_text() == signing.known_public_key_pem(old)
    assert stat.S_IMODE((own_key / "ledger-ed25519.pem").stat().st_mode) == 0o600
    assert signing.verify(b"data", signature, key=old) is True
    assert signing.verify(b"data", signature) is False  # the current key did not sign it
    assert signing.verify(b"data", signing.sign(b"data"), key=new) is True
    assert signing.known_key_ids() == [new, old]
    assert signing.verify(b"data", signature, key="0123456789abcdef") is False  # a key we never had


def test_a_retired_file_that_is_not_the_key_it_names_vouches_for_nothing(own_key, caplog):  # type: ignore[no-untyped-def]
    signature = signing.sign(b"data")
    old, _new = signing.rotate()
    retired = own_key / "retired" / f"{old}.pem"
    impostor_pem = signing.public_key_pem()  # the new key's public half, under the old key's name
    retired.write_text(impostor_pem)
    (own_key / "retired" / "broken.pem").write_text("not a key")

    assert signing.is_known_key(old) is False
    assert signing.verify(b"data", signature, key=old) is False
    assert f"its key id is {signing.key_id()}" in caplog.text and "broken.pem skipped" in caplog.text


def test_the_register_and_a_receipt_of_the_old_key_verify_after_the_rotation(own_key, receipt):  # type: ignore[no-untyped-def]  # noqa: F811
    old = signing.key_id()
    out = StringIO()
    call_command("ledger", "rotate-key", reason="jaarlijkse rotatie", stdout=out)
    new = signing.key_id()
    assert f"Signing key {old} retired; new key {new}" in out.getvalue()
    assert signing.public_key_pem() in out.getvalue()
    append(3)

    assert list(LedgerEntry.objects.order_by("position").values_list("key_id", flat=True)) == [old, old, new]
    report = ledger_verify()
    assert report.ok and report.checked == 3
    check = receipt_verify(receipt)
    assert check.ok, check.message
    event = AuditEvent.objects.get(action="ledger.key_rotated")
    assert event.details == {"old_key": old, "new_key": new, "reason": "jaarlijkse rotatie"}
    assert event.actor_label == "manage.py ledger rotate-key"

    # Without the retired public half the old entries cannot be checked: the register says so.
    (own_key / "retired" / f"{old}.pem").unlink()
    broken = ledger_verify()
    assert not broken.ok and broken.first_broken_position == 1 and broken.reason == f"signed with unknown key {old}"
    assert receipt_verify(receipt).ok is False


def test_a_rotation_needs_a_reason_and_changes_nothing_without_one(own_key):  # type: ignore[no-untyped-def]
    key = signing.key_id()
    with pytest.raises(CommandError, match="Geef een reden op"):
        call_command("ledger", "rotate-key", reason="  ")
    assert signing.key_id() == key and not (own_key / "retired").exists()
    assert not AuditEvent.objects.filter(action="ledger.key_rotated").exists()
