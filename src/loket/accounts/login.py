"""Services for logging in: from verified OpenID Connect claims, or through the development login; and the audit
records of password logins and refused pages."""

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from loket.accounts.models import Membership, User
from loket.accounts.oidc import parse_role_claim
from loket.accounts.services import membership_grant, membership_sync_from_token
from loket.core.audit import audit_record
from loket.core.errors import DomainError
from loket.organisations.models import Organisation
from loket.organisations.selectors import channel_refusal_message, organisation_by_code

logger = logging.getLogger(__name__)


class LoginError(DomainError):
    code = "login"


def user_login_from_claims(*, claims: dict) -> tuple[User, Organisation | None]:
    """Log in from verified claims. A refusal is audited outside the refused transaction, so it stays."""
    try:
        return _login_from_claims(claims)
    except LoginError as error:
        audit_record(
            action="login.refused",
            actor_label=" ".join(str(claims.get(k) or "") for k in ("given_name", "family_name")).strip() or "?",
            code=str(claims.get(settings.OIDC_ORG_CLAIM) or ""),
            reason=error.code,
        )
        raise


@transaction.atomic
def _login_from_claims(claims: dict) -> tuple[User, Organisation | None]:
    subject = str(claims.get("sub") or "").strip()
    if not subject:
        raise LoginError(_("De identiteitsprovider gaf geen identiteit door."), code="no_subject")
    user, created = User.objects.select_for_update().get_or_create(
        subject=subject, defaults={"username": f"oidc:{subject}"[:150]}
    )
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    user.email = str(claims.get("vo_email") or claims.get("email") or user.email)[:254]
    code = str(claims.get(settings.OIDC_ORG_CLAIM) or "").strip()
    organisation = organisation_by_code(code) if code else None
    if code and organisation is None:
        raise LoginError(
            _("Uw bestuur (code %(code)s) is niet gekend in het Loket. Neem contact op met de helpdesk (%(email)s).")
            % {"code": code, "email": settings.LOKET_HELPDESK_EMAIL},
            code="unknown_organisation",
        )
    if organisation is not None and (refusal := channel_refusal_message(organisation)):
        raise LoginError(refusal, code="channel")
    role_claims = parse_role_claim(claims.get(settings.OIDC_ROLE_CLAIM, []), organisation_code=code)
    if settings.LOKET_ROLES_SOURCE == "token" and organisation is not None:
        user.is_staff = role_claims.is_admin
        user.save()
        membership_sync_from_token(user=user, organisation=organisation, roles=role_claims.roles)
    else:
        user.save()
    audit_record(
        action="login",
        actor=user,
        organisation=organisation,
        method="oidc",
        new_user=created,
        roles_from_token=sorted(role_claims.roles) if settings.LOKET_ROLES_SOURCE == "token" else None,
        ignored_roles=list(role_claims.ignored),
    )
    return user, organisation


@transaction.atomic
def user_login_development(
    *,
    first_name: str,
    last_name: str,
    email: str,
    organisation: Organisation | None,
    roles: list[str],
    is_helpdesk: bool,
) -> User:
    """The development login: become any person with any roles. Only reachable with DEBUG and the flag on."""
    username = "dev:" + slugify(f"{first_name} {last_name}")[:140]
    user, _created = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    # The box only adds helpdesk rights: a demo person who has them (Hilde Helpdesk) keeps them; the view says so.
    if is_helpdesk and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        audit_record(action="access.staff_granted", actor=user, user=user.username, source="development")
    user.save()
    if organisation is not None:
        if refusal := channel_refusal_message(organisation):
            raise LoginError(refusal)
        if roles:
            membership_grant(
                user=user, organisation=organisation, roles=roles, actor=user, source=Membership.Source.DEVELOPMENT
            )
    audit_record(action="login", actor=user, organisation=organisation, method="development", roles=sorted(roles))
    return user


def user_login_password_record(*, username: str, user: User | None, address: str) -> None:
    """The back office's password login, audited either way (ASVS 7.2.1): a success as `login` (method password),
    a failure as `login.failed` with the name typed and the client address — never the password. The login's
    throttle (LOKET_LOGIN_THROTTLE per address per 5 minutes) bounds how many failures one address can write."""
    if user is not None:
        audit_record(action="login", actor=user, method="password", address=address)
    else:
        audit_record(action="login.failed", actor_label=username[:150] or "?", username=username[:150], address=address)


def access_denied_record(
    *, user: Any, organisation: Organisation | None, method: str, path: str, address: str, reason: str
) -> bool:
    """A refused page or action (403) in the audit trail (ASVS 7.2.2), with who, where and why. At most
    `LOKET_DENIAL_AUDIT_LIMIT` a minute per user (or address, when not signed in): a script hammering a page it may
    not see fills the log, not the audit trail. `reason` is in Dutch, whatever the reader's language. Returns whether
    it was recorded."""
    from loket.core.throttle import throttle_hit

    who = f"user:{user.pk}" if user is not None and user.is_authenticated else f"address:{address}"
    if not throttle_hit(key=f"denied-audit:{who}", limit=settings.LOKET_DENIAL_AUDIT_LIMIT, window_seconds=60):
        logger.warning("403 not audited (limit reached) for %s: %s %s", who, method, path)
        return False
    signed_in = user is not None and user.is_authenticated
    with translation.override("nl"):  # the audit trail's one language, as the reason is
        anonymous = _("niet aangemeld")
    audit_record(
        action="access.denied",
        actor=user if signed_in else None,
        **({} if signed_in else {"actor_label": anonymous}),
        organisation=organisation,
        method=method,
        path=path[:500],
        address=address,
        reason=reason,
    )
    return True
