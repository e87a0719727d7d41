"""Credentials a vendor gives to fetch a non-public page (Basic, or OAuth2 client credentials).

They are encrypted at rest with a key derived from SECRET_KEY (`core.sealing`: Fernet, AES-CBC + HMAC; readable with a
key derived from one of SECRET_KEY_FALLBACKS while SECRET_KEY is being replaced), never logged, never shown in an error,
and deleted once the page and its attachments are downloaded or the job ends."""

import json
from dataclasses import asdict, dataclass

from django.conf import settings

from loket.core.sealing import SealUnreadable, seal, unseal

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


SALT = b"loket.vendors.credentials"


def _secrets() -> list[str]:
    """SECRET_KEY seals, it or one of SECRET_KEY_FALLBACKS (a key being replaced) opens: these live minutes."""
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def credentials_encrypt(credentials: Credentials) -> bytes:
    return seal(json.dumps(asdict(credentials)).encode("utf-8"), secrets=_secrets(), salt=SALT).encode("ascii")


def credentials_decrypt(token: bytes | memoryview) -> Credentials | None:
    try:
        return Credentials(**json.loads(unseal(bytes(token), secrets=_secrets(), salt=SALT)))
    except (SealUnreadable, ValueError, TypeError):
        return None
