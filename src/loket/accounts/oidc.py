"""Login through OpenID Connect (ACM/IDM or any compliant provider), with state, nonce and PKCE.

Authlib does the protocol: the authorisation request (state, nonce, S256 code challenge, kept in the session),
the code exchange and the ID token's signature, issuer, audience, expiry and nonce checks. This module turns
the verified claims into a Loket user, organisation and roles.
"""

from dataclasses import dataclass
from functools import lru_cache

from authlib.integrations.django_client import OAuth
from django.conf import settings

from loket.accounts.roles import ACM_ADMIN_NAMES, ACM_NAMES, Role


class OidcNotConfiguredError(Exception):
    pass


@lru_cache(maxsize=4)
def _client(issuer: str, client_id: str, client_secret: str, scope: str):  # type: ignore[no-untyped-def]
    oauth = OAuth()
    oauth.register(
        name="idp",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": scope, "code_challenge_method": "S256", "timeout": 10},
    )
    return oauth.create_client("idp")


def client():  # type: ignore[no-untyped-def]
    if not (settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID):
        raise OidcNotConfiguredError
    return _client(settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, settings.OIDC_SCOPE)


def is_configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


@dataclass(frozen=True)
class RoleClaims:
    roles: frozenset[Role]
    is_admin: bool
    ignored: tuple[str, ...]  # values refused because their organisation code is another one, or unknown


def parse_role_claim(values: object, *, organisation_code: str) -> RoleClaims:
    """`LoketLB-toezichtGebruiker:0207451227` → Role.TOEZICHT, only when the code is the login organisation's.

    The real Loket ignores the suffix; we accept a role only for the organisation the user logged in for."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return RoleClaims(frozenset(), False, ())
    roles: set[Role] = set()
    ignored: list[str] = []
    is_admin = False
    wanted_code = organisation_code.strip().upper().replace(".", "")
    for value in values:
        name, separator, code = str(value).partition(":")
        if not separator or code.strip().upper().replace(".", "") != wanted_code:
            ignored.append(str(value))
            continue
        if name in ACM_ADMIN_NAMES:
            is_admin = True
        elif name in ACM_NAMES:
            roles.add(ACM_NAMES[name])
        else:
            ignored.append(str(value))
    return RoleClaims(frozenset(roles), is_admin, tuple(ignored))
