"""Downloading a vendor's page and its attachments through the guarded fetcher, with the vendor's credentials.

The credentials a vendor gives (Basic, OAuth2, or `user:pw@` in the address) are for the page's origin only
(scheme, host and port of `href`): an attachment elsewhere is fetched without them, and no OAuth2 token is even
requested for it. OAuth2 client credentials need a POST to the token endpoint: it goes through the same guarded
fetcher (no internal addresses unless allowed, timeouts, size cap, no redirects)."""

import json
import logging

import httpx

from loket.core.fetch import FetchError, FetchResult, fetch
from loket.vendors import conf
from loket.vendors.credentials import BASIC, OAUTH2, Credentials

logger = logging.getLogger(__name__)
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
_TOKEN_MAX_BYTES = 64 * 1024


def same_origin(url: str, other: str) -> bool:
    """Whether two addresses share scheme, host and port (a default port spelled out or not)."""
    try:
        first, second = httpx.URL(url), httpx.URL(other)
    except (httpx.InvalidURL, TypeError):
        return False
    defaults = {"http": 80, "https": 443}
    return (
        first.scheme == second.scheme
        and first.host.lower() == second.host.lower()
        and (first.port or defaults.get(first.scheme)) == (second.port or defaults.get(second.scheme))
    )


def download(
    url: str,
    *,
    credentials: Credentials | None,
    credentials_origin: str,
    max_bytes: int,
    accept: str | None = None,
    token: str | None = None,
    total_timeout: float | None = None,
) -> FetchResult:
    """GET `url`, with `credentials` only when it is on the origin of `credentials_origin` (the page's href)."""
    if not same_origin(url, credentials_origin):
        credentials, token = None, None
    auth: httpx.Auth | None = None
    headers: dict[str, str] = {}
    if credentials is not None and credentials.scheme == BASIC:
        auth = httpx.BasicAuth(credentials.username, credentials.password)
    elif credentials is not None and credentials.scheme == OAUTH2:
        headers["Authorization"] = f"Bearer {token or oauth2_token(credentials)}"
    return fetch(
        url,
        max_bytes=max_bytes,
        timeout=conf.fetch_timeout(),
        total_timeout=total_timeout,
        auth=auth,
        headers=headers,
        accept=accept,
    )


def oauth2_token(credentials: Credentials) -> str:
    """An access token by the client-credentials grant (RFC 6749 §4.4), POSTed through the guarded fetcher."""
    form = {"grant_type": "client_credentials"}
    if credentials.scope:
        form["scope"] = credentials.scope
    if credentials.resource:
        form["resource"] = credentials.resource
    host = _host_of(credentials.token_url)
    try:
        result = fetch(
            credentials.token_url,
            method="POST",
            data=form,
            max_bytes=_TOKEN_MAX_BYTES,
            timeout=conf.fetch_timeout(),
            auth=httpx.BasicAuth(credentials.client_id, credentials.client_secret),
            accept="application/json",
        )
    except FetchError as error:
        if error.status is None:
            raise
        raise FetchError(
            f"De OAuth2-tokenserver {host} weigerde de client credentials (foutcode {error.status}).",
            "oauth2_refused",
            retryable=error.status >= 500,
        ) from None
    try:
        token = json.loads(result.body)["access_token"]
    except (ValueError, KeyError, TypeError):
        token = None
    if not isinstance(token, str) or not token:
        raise FetchError(f"De OAuth2-tokenserver {host} gaf geen access_token terug.", "oauth2_invalid")
    return token


def _host_of(url: str) -> str:
    try:
        return httpx.URL(url).host
    except (httpx.InvalidURL, TypeError):
        return ""
