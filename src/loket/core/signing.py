"""The server's signing key: one Ed25519 key that signs ledger entries and receipts.

The private key lives in a PEM file (setting `LOKET_SIGNING_KEY_FILE`, default `var/keys/ledger-ed25519.pem`).
In development and tests a key is generated on first use; with DEBUG off the file must exist, because a key
that silently appears would sign receipts nobody can later check against a published public key.
"""

import base64
import binascii
import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


def key_file() -> Path:
    configured = getattr(settings, "LOKET_SIGNING_KEY_FILE", None)
    if configured:
        return Path(configured)
    from loket.settings import VAR_DIR

    return Path(VAR_DIR) / "keys" / "ledger-ed25519.pem"


def _generate(path: Path) -> None:
    if not settings.DEBUG and not getattr(settings, "TESTING", False):
        raise ImproperlyConfigured(
            f"The signing key file {path} does not exist. With DEBUG off the Loket does not generate a key: "
            "create one (openssl genpkey -algorithm ed25519 -out <file>) and set LOKET_SIGNING_KEY_FILE."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # O_EXCL: two processes starting at once must not overwrite each other's fresh key.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    logger.warning("Generated a development signing key in %s (never use it in production).", path)


@lru_cache(maxsize=8)
def _load(path: str) -> Ed25519PrivateKey:
    file = Path(path)
    if not file.exists():
        _generate(file)
    key = serialization.load_pem_private_key(file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"The signing key in {file} is not an Ed25519 key.")
    return key


def private_key() -> Ed25519PrivateKey:
    return _load(str(key_file()))


def _public_key() -> Ed25519PublicKey:
    return _public_of(str(key_file()))


@lru_cache(maxsize=8)
def _public_of(path: str) -> Ed25519PublicKey:  # derived once per key: `ledger verify` asks for it per entry
    return _load(path).public_key()


def sign(data: bytes) -> str:
    """The Ed25519 signature over `data`, base64-encoded."""
    return base64.b64encode(private_key().sign(data)).decode("ascii")


def verify(data: bytes, signature: str, public_key_pem: str | None = None) -> bool:
    """Whether `signature` (base64) is a valid signature over `data` by the given key (default: ours)."""
    try:
        raw = base64.b64decode(signature, validate=True)
        public_key = _public_key() if public_key_pem is None else _load_public(public_key_pem)
        public_key.verify(raw, data)
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return False
    return True


def _load_public(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def public_key_pem() -> str:
    """Our public key as a SubjectPublicKeyInfo PEM, for publication and in receipts."""
    return (
        _public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def key_id(public_key_pem: str | None = None) -> str:
    """First 16 hex characters of the SHA-256 over the public key's DER (SubjectPublicKeyInfo) encoding."""
    public_key = _public_key() if public_key_pem is None else _load_public(public_key_pem)
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]
