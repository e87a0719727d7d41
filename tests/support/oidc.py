"""A real OpenID Connect provider on loopback (oidc-provider-mock), and helpers to walk its authorize page.

The provider is a Flask app in a background thread: discovery, JWKS, RS256-signed ID tokens, the code grant.
Users and their claims are registered over its HTTP API (`PUT /users/<sub>`); the authorize page takes the
chosen `sub` as a form POST and answers with the redirect back to our callback (code + state)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oidc_provider_mock import run_server_in_thread

CLIENT_ID = "loket-test-client"
CLIENT_SECRET = "loket-test-secret"


@dataclass(frozen=True)
class OidcProvider:
    issuer: str  # http://localhost:<port>, exactly what the provider puts in `iss`

    @property
    def authorize_endpoint(self) -> str:
        return f"{self.issuer}/oauth2/authorize"

    def register_user(self, sub: str, claims: dict[str, object]) -> None:
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Submit the authorize form for `sub` (the user clicks "Authorize"); return the redirect target."""
        assert authorize_url.startswith(self.authorize_endpoint + "?"), authorize_url
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, (response.status_code, response.text[:500])
        return response.headers["Location"]


def query_of(url: str) -> dict[str, str]:
    """The query string of `url` as a dict of single values (fails on repeated parameters)."""
    parsed = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert all(len(values) == 1 for values in parsed.values()), parsed
    return {key: values[0] for key, values in parsed.items()}


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    with run_server_in_thread(port=0, require_nonce=True) as server:
        yield OidcProvider(issuer=f"http://localhost:{server.server_port}")


@pytest.fixture
def oidc_settings(settings, oidc_provider):  # type: ignore[no-untyped-def]
    """Point the Loket at the provider. The client cache and the login throttle start empty for each test."""
    from django.core.cache import cache

    from loket.accounts import oidc

    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    oidc._client.cache_clear()
    cache.clear()
    yield settings
    oidc._client.cache_clear()
    cache.clear()
