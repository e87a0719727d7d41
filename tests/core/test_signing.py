"""The server's signing key: generated in development, required in production."""

import base64
import hashlib
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured

from loket.core import signing


def test_development_key_is_generated_once_private(settings, tmp_path, caplog):  # type: ignore[no-untyped-def]
    path = tmp_path / "keys" / "k.pem"
    settings.LOKET_SIGNING_KEY_FILE = str(path)

    first = signing.public_key_pem()

    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert f"Generated a development signing key in {path}" in caplog.text
    signing._load.cache_clear()
    assert signing.public_key_pem() == first


def test_no_key_generated_in_production(settings, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "missing.pem"
    settings.LOKET_SIGNING_KEY_FILE = str(path)
    settings.DEBUG = False
    settings.TESTING = False

    with pytest.raises(ImproperlyConfigured, match=r"does not exist\. With DEBUG off"):
        signing.sign(b"x")
    assert not path.exists()


def test_key_id_is_sha256_of_public_key_der():  # type: ignore[no-untyped-def]
    public_key = serialization.load_pem_public_key(signing.public_key_pem().encode())
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)

    assert signing.key_id() == hashlib.sha256(der).hexdigest()[:16]
    assert signing.key_id(signing.public_key_pem()) == signing.key_id()


def test_signatures(settings, tmp_path):  # type: ignore[no-untyped-def]
    signature = signing.sign(b"data")
    own_pem = signing.public_key_pem()

    assert len(base64.b64decode(signature)) == 64
    assert signing.verify(b"data", signature) is True
    assert signing.verify(b"date", signature) is False
    assert signing.verify(b"data", "not base64!") is False
    assert signing.verify(b"data", signature, own_pem) is True
    assert signing.verify(b"data", signature, "not a key") is False
    settings.LOKET_SIGNING_KEY_FILE = str(tmp_path / "other.pem")
    assert signing.verify(b"data", signature) is False
    assert signing.verify(b"data", signature, own_pem) is True
