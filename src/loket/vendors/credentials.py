"""Credentials a vendor gives to fetch a non-public page (Basic, or OAuth2 client credentials).

They are encrypted at rest with a key derived from SECRET_KEY (Fernet: AES-CBC + HMAC; readable with a key derived
from one of SECRET_KEY_FALLBACKS while SECRET_KEY is being replaced), never logged, never shown
in an error, and deleted once the page and its attachments are downloaded or the job ends.
"""

import base64
import json
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

BASIC = "basic"
OAUTH2 = "oauth2"


@dataclass(frozen=True)
class Credentials:
    scheme: str  # BASIC or OAUTH2
    username: str = ""
    password: str = ""
    client_id: str = ""
    client_secret: str = ""
    token_url: str = ""
    scope: str = ""
    resource: str = ""

    def __repr__(self) -> str:  # never print a secret, not even in a traceback
        return f"Credentials(scheme={self.scheme!r})"


def _fernet() -> MultiFernet:
    """Encrypts with SECRET_KEY, decrypts with it or one of SECRET_KEY_FALLBACKS (a key being replaced)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derived(secret))) for secret in secrets])


def _derived(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"loket.vendors.credentials", info=b"v1").derive(
        secret.encode("utf-8")
    )


def credentials_encrypt(credentials: Credentials) -> bytes:
    return _fernet().encrypt(json.dumps(asdict(credentials)).encode("utf-8"))


def credentials_decrypt(token: bytes | memoryview) -> Credentials | None:
    try:
        return Credentials(**json.loads(_fernet().decrypt(bytes(token))))
    except (InvalidToken, ValueError, TypeError):
        return None
