"""The server's signing key: one Ed25519 key that signs ledger entries and receipts.

The private key lives in a PEM file (setting `LOKET_SIGNING_KEY_FILE`, default `var/keys/ledger-ed25519.pem`).
In development and tests a key is generated on first use; with DEBUG off the file must exist, because a key
that silently appears would sign receipts nobody can later check against a published public key.

Rotation (`manage.py ledger rotate-key`, ASVS 1.6.3): the current key's public half is kept in the folder of
retired keys (setting `LOKET_SIGNING_RETIRED_KEYS_DIR`, default `retired/` next to the key file) as
`<key id>.pem`, and a new private key replaces the file. Every entry and receipt names the key that signed it
(`key_id`), so what the old key signed is still checked against its own public half; only the current key signs.
"""

import base64
import binascii
import hashlib
import logging
import os
import tempfile
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


def retired_keys_dir() -> Path:
    configured = getattr(settings, "LOKET_SIGNING_RETIRED_KEYS_DIR", None)
    return Path(configured) if configured else key_file().parent / "retired"


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


def verify(data: bytes, signature: str, public_key_pem: str | None = None, *, key: str | None = None) -> bool:
    """Whether `signature` (base64) is a valid signature over `data` by the given key: a public key's PEM, or the
    id of one of our keys (`key`, current or retired), by default our current key."""
    try:
        raw = base64.b64decode(signature, validate=True)
        if key is not None:
            public_key = _public_key_by_id(key)
            if public_key is None:
                return False
        else:
            public_key = _public_key() if public_key_pem is None else _load_public(public_key_pem)
        public_key.verify(raw, data)
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return False
    return True


def known_public_key_pem(key: str) -> str | None:
    """The PEM of our key with this id (current or retired), or None when we never had it."""
    public_key = _public_key_by_id(key)
    if public_key is None:
        return None
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(
        "ascii"
    )


def is_known_key(key: str) -> bool:
    return _public_key_by_id(key) is not None


def known_key_ids() -> list[str]:
    """The current key's id first, then the retired ones."""
    current = key_id()
    return [current, *sorted(k for k in _retired_keys(*_retired_state()) if k != current)]


def _public_key_by_id(key: str) -> Ed25519PublicKey | None:
    if key == key_id():
        return _public_key()
    return _retired_keys(*_retired_state()).get(key)


def _retired_state() -> tuple[str, float]:
    """The folder of retired keys and when it last changed (a rotation in another process shows here)."""
    folder = retired_keys_dir()
    try:
        return str(folder), folder.stat().st_mtime
    except OSError:
        return str(folder), 0.0


@lru_cache(maxsize=4)
def _retired_keys(folder: str, _changed: float) -> dict[str, Ed25519PublicKey]:
    """Every `<key id>.pem` in the folder whose key really has that id (a misnamed or broken file is skipped, with
    a warning: it cannot vouch for anything)."""
    found: dict[str, Ed25519PublicKey] = {}
    for file in sorted(Path(folder).glob("*.pem")):
        try:
            pem = file.read_text(encoding="ascii")
            public_key = _load_public(pem)
        except (OSError, ValueError, UnicodeDecodeError) as error:
            logger.warning("Retired signing key %s skipped: %s", file, error)
            continue
        if key_id(pem) != file.stem:
            logger.warning("Retired signing key %s skipped: its key id is %s", file, key_id(pem))
            continue
        found[file.stem] = public_key
    return found


def rotate() -> tuple[str, str]:
    """Retire the current key (its public half into the retired folder) and put a new private key in its place;
    returns (old key id, new key id). Processes that have the old key loaded keep signing with it until they
    restart, and what they sign stays verifiable: restart them after a rotation."""
    path = key_file()
    old_pem, old_id = public_key_pem(), key_id()
    folder = retired_keys_dir()
    folder.mkdir(parents=True, exist_ok=True)
    retired = folder / f"{old_id}.pem"
    if not retired.exists():
        retired.write_text(old_pem, encoding="ascii")
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-signing-key-")
    with os.fdopen(descriptor, "wb") as handle:  # mkstemp: mode 0600
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)  # atomic: a reader sees the old key or the new one, never half a file
    _load.cache_clear()
    _public_of.cache_clear()
    _current_key_id.cache_clear()
    return old_id, key_id()


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
    if public_key_pem is None:
        return _current_key_id(str(key_file()))
    return _id_of(_load_public(public_key_pem))


@lru_cache(maxsize=8)
def _current_key_id(path: str) -> str:  # asked per entry by `ledger verify`
    return _id_of(_public_of(path))


def _id_of(public_key: Ed25519PublicKey) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]
