"""Services for logging in: from verified OpenID Connect claims, or through the development login."""

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from loket.accounts.models import Membership, User
from loket.accounts.oidc import parse_role_claim
from loket.accounts.services import membership_grant, membership_sync_from_token
from loket.core.audit import audit_record
from loket.core.errors import DomainError
from loket.organisations.models import Organisation
from loket.organisations.selectors import channel_refusal_message, organisation_by_code


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
