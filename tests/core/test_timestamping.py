"""RFC 3161 timestamps against a real openssl TSA on loopback."""

import hashlib
import subprocess

import pytest
from asn1crypto import tsp

from loket.core import timestamping
from tests.core.conftest import make_authority_files

DIGEST = hashlib.sha256(b"besluitenlijst gemeenteraad").digest()


def test_token_from_loopback_tsa_verifies(timestamp_authority):  # type: ignore[no-untyped-def]
    token = timestamping.timestamp(DIGEST)

    assert timestamping.verify_token(token, DIGEST) is True
    query = tsp.TimeStampReq.load(timestamp_authority.requests[-1])
    assert query["message_imprint"]["hashed_message"].native == DIGEST
    assert query["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    assert query["cert_req"].native is True
    assert isinstance(query["nonce"].native, int)


def test_openssl_agrees_the_token_is_valid(timestamp_authority, tmp_path):  # type: ignore[no-untyped-def]
    token_file = tmp_path / "token.der"
    token_file.write_bytes(timestamping.timestamp(DIGEST))

    result = subprocess.run(
        [
            "openssl",
            "ts",
            "-verify",
            "-digest",
            DIGEST.hex(),
            "-in",
            str(token_file),
            "-token_in",
            "-CAfile",
            str(timestamp_authority.ca_file),
            "-untrusted",
            str(timestamp_authority.tsa_cert),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "Verification: OK" in result.stdout


def test_token_for_other_digest_fails(timestamp_authority):  # type: ignore[no-untyped-def]
    token = timestamping.timestamp(DIGEST)

    assert timestamping.verify_token(token, hashlib.sha256(b"iets anders").digest()) is False


def test_token_with_altered_signature_fails(timestamp_authority):  # type: ignore[no-untyped-def]
    token = bytearray(timestamping.timestamp(DIGEST))
    token[-5] ^= 0x01  # the RSA signature sits at the end of the SignerInfo

    assert timestamping.verify_token(bytes(token), DIGEST) is False


def test_token_from_untrusted_tsa_fails(timestamp_authority, settings, tmp_path):  # type: ignore[no-untyped-def]
    token = timestamping.timestamp(DIGEST)
    make_authority_files(tmp_path, name="Other")
    settings.LOKET_TSA_CA_FILE = str(tmp_path / "ca.pem")

    assert timestamping.verify_token(token, DIGEST) is False


def test_garbage_is_not_a_token():  # type: ignore[no-untyped-def]
    assert timestamping.verify_token(b"\x30\x03\x02\x01\x01", DIGEST) is False
    assert timestamping.verify_token(b"", DIGEST) is False


def test_unreachable_tsa_raises_clear_error(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_TSA_URL = "http://127.0.0.1:9/tsa"

    with pytest.raises(timestamping.TimestampError, match="niet bereikbaar"):
        timestamping.timestamp(DIGEST)
