"""Downloading a vendor's page and its attachments through the guarded fetcher, with the vendor's credentials.

OAuth2 client credentials need a POST to the token endpoint; core.fetch only GETs, so the token request goes
through the same vetting (no internal addresses unless allowed, timeouts, size cap, no redirects)."""

import json
import logging

import httpx

from loket.core import fetch as guarded
from loket.core.fetch import FetchError, FetchResult, fetch
from loket.vendors import conf
from loket.vendors.credentials import BASIC, OAUTH2, Credentials

logger = logging.getLogger(__name__)
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
_TOKEN_MAX_BYTES = 64 * 1024


def download(url: str, *, credentials: Credentials | None, max_bytes: int, accept: str | None = None,
             token: str | None = None) -> FetchResult:
    auth: httpx.Auth | None = None
    headers: dict[str, str] = {}
    if credentials is not None and credentials.scheme == BASIC:
        auth = httpx.BasicAuth(credentials.username, credentials.password)
    elif credentials is not None and credentials.scheme == OAUTH2:
        headers["Authorization"] = f"Bearer {token or oauth2_token(credentials)}"
    return fetch(url, max_bytes=max_bytes, timeout=conf.fetch_timeout(), auth=auth, headers=headers, accept=accept)


def oauth2_token(credentials: Credentials) -> str:
    """An access token by the client-credentials grant (RFC 6749 §4.4), fetched with the SSRF guard."""
    url = guarded._parse_url(credentials.token_url)
    addresses = guarded._vetted_addresses(url, guarded._allowed_networks())
    form = {"grant_type": "client_credentials"}
    if credentials.scope:
        form["scope"] = credentials.scope
    if credentials.resource:
        form["resource"] = credentials.resource
    timeout = conf.fetch_timeout()
    with guarded._client(url, addresses, timeout) as client, guarded._translated_errors(url, timeout):
        response = client.post(url, data=form, auth=httpx.BasicAuth(credentials.client_id, credentials.client_secret),
                               headers={"Accept": "application/json", "User-Agent": guarded.USER_AGENT})
    if response.status_code != 200 or len(response.content) > _TOKEN_MAX_BYTES:
        raise FetchError(
            f"De OAuth2-tokenserver {url.host} weigerde de client credentials (foutcode {response.status_code}).",
            "oauth2_refused", retryable=response.status_code >= 500,
        )
    try:
        token = json.loads(response.content)["access_token"]
    except (ValueError, KeyError, TypeError):
        token = None
    if not isinstance(token, str) or not token:
        raise FetchError(f"De OAuth2-tokenserver {url.host} gaf geen access_token terug.", "oauth2_invalid")
    return token
