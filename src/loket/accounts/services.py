"""Writes about access: self-registration requests, their approval or refusal, memberships and their end.

Every change of access is recorded in the audit trail in the same transaction; e-mails are background tasks
enqueued in that transaction, so they exist exactly when the change commits.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loket.accounts.access import deciders_for, may_end_membership, may_manage_access
from loket.accounts.models import AccessRequest, Membership, MembershipRole, User
from loket.accounts.roles import MODULE_ROLES, Role
from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError, PermissionDeniedError
from loket.core.tasks import send_email
from loket.organisations.channels import (
    ChannelSwitchEffect,
    ChannelSwitchParticipant,
    channel_switch_participant_register,
)
from loket.organisations.models import Organisation, Platform, TargetGroup
from loket.organisations.selectors import channel_refusal_message


def site_url(name: str, *args: object) -> str:
    """The absolute address of a page of this Loket, for mails."""
    return settings.LOKET_SITE_URL + reverse(name, args=args)


def requestable_roles(organisation: Organisation) -> list[Role]:
    """The roles a member of `organisation` may ask for: its modules, and access management (its own people,
    and the bodies it manages) — except on worship boards."""
    roles = list(MODULE_ROLES)
    is_worship = bool(organisation.kind_id and organisation.kind.is_worship)  # type: ignore[union-attr]
    if is_worship:
        roles = [Role.TOEZICHT, Role.BERICHTEN, Role.WORSHIP_MANDATES, Role.WORSHIP_MINISTERS]
    # A body manages its own people (lokale toegangsbeheerder); worship boards keep their representative body.
    if not is_worship or organisation.managed_organisations.exists():
        roles.append(Role.ACCESS_MANAGER)
    return roles


def request_refusal_message(organisation: Organisation) -> str:
    """Why nobody can ask for access to `organisation` now ('' when they can): told before the form, not after."""
    refusal = channel_refusal_message(organisation)
    if refusal:
        return refusal
    if not organisation.target_groups.filter(code=TargetGroup.LOCAL_BODIES).exists():
        return _(
            "%(organisation)s is nog niet klaargezet in de doelgroep Lokale Besturen. Vraag de helpdesk "
            "(%(email)s) om uw bestuur aan te sluiten."
        ) % {"organisation": organisation.display_name, "email": settings.LOKET_HELPDESK_EMAIL}
    return ""


def _check_organisation_accepts_requests(organisation: Organisation) -> None:
    refusal = channel_refusal_message(organisation)
    if refusal:
        raise DomainError(refusal, code="channel")
    if refusal := request_refusal_message(organisation):
        raise DomainError(refusal, code="target_group")


@transaction.atomic
def access_request_create(
    *,
    user: User,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    job_title: str,
    roles: Iterable[str],
    reason: str,
) -> AccessRequest:
    _check_organisation_accepts_requests(organisation)
    wanted = sorted(set(roles))
    allowed = {role.value for role in requestable_roles(organisation)}
    if not wanted:
        raise DomainError(_("Kies minstens één rol."), fields={"roles": _("Kies minstens één rol.")})
    if not set(wanted) <= allowed:
        raise DomainError(_("U kunt deze rollen niet aanvragen voor dit bestuur."), code="roles")
    membership = Membership.objects.filter(user=user, organisation=organisation, is_active=True).first()
    if membership and set(wanted) <= set(membership.role_codes):
        raise ConflictError(_("U hebt deze rollen al bij %(org)s.") % {"org": organisation.display_name})
    try:
        with transaction.atomic():
            access_request = AccessRequest.objects.create(
                user=user,
                organisation=organisation,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email.strip(),
                phone=phone.strip(),
                job_title=job_title.strip(),
                roles=wanted,
                reason=reason.strip(),
                created_at=timezone.now(),
            )
    except IntegrityError as error:
        raise ConflictError(
            _("U hebt al een aanvraag in behandeling voor %(org)s.") % {"org": organisation.display_name}
        ) from error
    audit_record(
        action="access.requested", actor=user, organisation=organisation, request=access_request.pk, roles=wanted
    )
    deciders = deciders_for(organisation)
    names = {"name": f"{access_request.first_name} {access_request.last_name}", "org": organisation.display_name}
    send_email.enqueue(
        to=deciders.emails,
        subject=_("Nieuwe toegangsaanvraag voor %(org)s") % names,
        body=_(
            "%(name)s vraagt toegang tot het Loket voor %(org)s.\nRollen: %(roles)s\nReden: %(reason)s\n\n"
            "Behandel de aanvraag in het Loket: %(url)s"
        )
        % {
            **names,
            "roles": ", ".join(access_request.role_labels()),
            "reason": access_request.reason,
            "url": site_url("accounts:manager-decide", access_request.pk),
        },
    )
    send_email.enqueue(
        to=[access_request.email],
        subject=_("Uw toegangsaanvraag voor %(org)s is ontvangen") % names,
        body=_(
            "Goedendag %(first_name)s,\n\n"
            "Uw aanvraag voor toegang tot het Loket voor %(org)s is ontvangen (rollen: %(roles)s).\n\n"
            "Wie beslist: %(deciders)s.\n"
            "U krijgt de beslissing per e-mail op dit adres; u kunt uw aanvraag ook volgen op %(url)s\n"
            "Kreeg u na 5 werkdagen geen antwoord? Neem dan contact op met de helpdesk van het Loket (%(helpdesk)s) "
            "en vermeld uw bestuur en het nummer van uw aanvraag (%(number)s)."
        )
        % {
            **names,
            "first_name": access_request.first_name,
            "roles": ", ".join(access_request.role_labels()),
            "deciders": deciders,
            "url": site_url("accounts:request-detail", access_request.pk),
            "helpdesk": settings.LOKET_HELPDESK_EMAIL,
            "number": access_request.pk,
        },
    )
    return access_request


def _lock_pending(access_request: AccessRequest) -> AccessRequest:
    locked = (
        AccessRequest.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=access_request.pk)
    )
    if locked.status != AccessRequest.Status.PENDING:
        raise ConflictError(_("Deze aanvraag is al behandeld (%(status)s).") % {"status": locked.get_status_display()})
    return locked


def _check_manager(actor: User, organisation: Organisation, actor_organisation: Organisation | None) -> None:
    if not may_manage_access(user=actor, acting_for=actor_organisation, organisation=organisation):
        raise PermissionDeniedError(_("U beheert de toegang tot dit bestuur niet."))


@transaction.atomic
def access_request_approve(
    *,
    access_request: AccessRequest,
    actor: User,
    actor_organisation: Organisation | None,
    roles: Iterable[str] | None = None,
    reason: str = "",
) -> Membership:
    """Approve, granting `roles` (all that were asked when None). The approver may grant fewer roles than
    asked, never others; the mail says which were not granted."""
    locked = _lock_pending(access_request)
    _check_manager(actor, locked.organisation, actor_organisation)
    _check_organisation_accepts_requests(locked.organisation)
    granted = sorted(set(locked.roles if roles is None else roles))
    if not granted:
        raise DomainError(_("Kies minstens één rol om toe te kennen."), fields={"roles": _("Verplicht.")})
    if not set(granted) <= set(locked.roles):
        raise DomainError(_("U kunt alleen rollen toekennen die gevraagd zijn."), code="roles")
    membership = membership_grant(
        user=locked.user,
        organisation=locked.organisation,
        roles=granted,
        actor=actor,
        source=Membership.Source.REQUEST,
    )
    locked.status = AccessRequest.Status.APPROVED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.granted_roles = granted
    locked.decision_reason = reason.strip()[:500]
    locked.save(update_fields=["status", "decided_at", "decided_by", "granted_roles", "decision_reason"])
    not_granted = [code for code in locked.roles if code not in granted]
    audit_record(
        action="access.approved",
        actor=actor,
        organisation=locked.organisation,
        request=locked.pk,
        user=locked.user.username,
        roles=granted,
        not_granted=not_granted,
    )
    body = _("Uw aanvraag is goedgekeurd. Meld u aan in het Loket (%(url)s) om de modules te openen: %(roles)s.") % {
        "url": site_url("accounts:home"),
        "roles": ", ".join(locked.granted_role_labels()),
    }
    if not_granted:
        body += "\n" + _("Niet toegekend: %(roles)s.") % {"roles": ", ".join(locked.refused_role_labels())}
    if locked.decision_reason:
        body += "\n" + _("Toelichting: %(reason)s") % {"reason": locked.decision_reason}
    send_email.enqueue(
        to=[locked.email],
        subject=_("Uw toegang tot het Loket voor %(org)s is goedgekeurd") % {"org": locked.organisation.display_name},
        body=body,
    )
    return membership


@transaction.atomic
def access_request_refuse(
    *, access_request: AccessRequest, actor: User, actor_organisation: Organisation | None, reason: str
) -> AccessRequest:
    if not reason.strip():
        raise DomainError(_("Geef een reden voor de weigering."), fields={"reason": _("Verplicht.")})
    locked = _lock_pending(access_request)
    _check_manager(actor, locked.organisation, actor_organisation)
    locked.status = AccessRequest.Status.REFUSED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decision_reason = reason.strip()
    locked.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    audit_record(
        action="access.refused",
        actor=actor,
        organisation=locked.organisation,
        request=locked.pk,
        user=locked.user.username,
        reason=locked.decision_reason,
    )
    send_email.enqueue(
        to=[locked.email],
        subject=_("Uw toegangsaanvraag voor %(org)s is geweigerd") % {"org": locked.organisation.display_name},
        body=_("Uw aanvraag is geweigerd.\nReden: %(reason)s") % {"reason": locked.decision_reason},
    )
    return locked


@transaction.atomic
def membership_grant(
    *, user: User, organisation: Organisation, roles: Iterable[str], actor: User | None, source: str
) -> Membership:
    """Give `user` these roles at `organisation` (added to what they have)."""
    membership, _created = Membership.objects.select_for_update().get_or_create(
        user=user,
        organisation=organisation,
        is_active=True,
        defaults={"source": source, "granted_at": timezone.now(), "granted_by": actor},
    )
    existing = set(membership.role_codes)
    added = sorted(set(roles) - existing)
    MembershipRole.objects.bulk_create([MembershipRole(membership=membership, role=role) for role in added])
    if added:
        audit_record(
            action="access.granted",
            actor=actor,
            organisation=organisation,
            user=user.username,
            roles=added,
            source=source,
        )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor: User | None, reason: str) -> None:
    """End one member's access; never the actor's own (`may_end_membership`)."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if not locked.is_active:
        raise ConflictError(_("Deze toegang is al beëindigd."))
    if not may_end_membership(membership=locked, actor=actor):
        raise DomainError(
            _(
                "U kunt uw eigen toegang hier niet stopzetten. Vraag een andere toegangsbeheerder of de helpdesk "
                "(%(email)s) om dat te doen."
            )
            % {"email": settings.LOKET_HELPDESK_EMAIL},
            code="own_membership",
        )
    _end(locked, actor=actor, reason=reason)
    _tell_member_ended(locked, reason)


def _end(membership: Membership, *, actor: User | None, reason: str) -> None:
    membership.is_active = False
    membership.ended_at = timezone.now()
    membership.ended_by = actor
    membership.end_reason = reason[:500]
    membership.save(update_fields=["is_active", "ended_at", "ended_by", "end_reason"])
    audit_record(
        action="access.revoked",
        actor=actor,
        organisation=membership.organisation,
        user=membership.user.username,
        roles=membership.role_codes,
        reason=reason,
    )


@dataclass(frozen=True)
class EndAllOutcome:
    members: int
    requests: int


def _tell_member_ended(membership: Membership, reason: str) -> None:
    if not membership.user.email:
        return
    send_email.enqueue(
        to=[membership.user.email],
        subject=_("Uw toegang tot het Loket voor %(org)s is stopgezet") % {"org": membership.organisation.display_name},
        body=_(
            "Uw toegang tot het Loket voor %(org)s is stopgezet.\nReden: %(reason)s\n\n"
            "Vragen? Neem contact op met %(deciders)s."
        )
        % {
            "org": membership.organisation.display_name,
            "reason": reason,
            "deciders": deciders_for(membership.organisation),
        },
    )


@transaction.atomic
def memberships_end_all(*, organisation: Organisation, actor: User | None, reason: str) -> int:
    """End every member's access to `organisation` and let its pending requests lapse; returns how many members
    ended. Every member and applicant gets a mail; every end and lapse is audited."""
    return memberships_end_all_outcome(organisation=organisation, actor=actor, reason=reason).members


@transaction.atomic
def memberships_end_all_outcome(*, organisation: Organisation, actor: User | None, reason: str) -> EndAllOutcome:
    memberships = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, is_active=True)
        .select_related("user", "organisation")
    )
    for membership in memberships:
        _end(membership, actor=actor, reason=reason)
        _tell_member_ended(membership, reason)
    pending = list(
        AccessRequest.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, status=AccessRequest.Status.PENDING)
        .select_related("user")
    )
    now = timezone.now()
    for access_request in pending:
        access_request.status = AccessRequest.Status.CANCELLED
        access_request.decided_at = now
        access_request.decided_by = actor
        access_request.decision_reason = reason[:500]
        access_request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        audit_record(
            action="access.request_lapsed",
            actor=actor,
            organisation=organisation,
            request=access_request.pk,
            user=access_request.user.username,
            reason=reason,
        )
        send_email.enqueue(
            to=[access_request.email],
            subject=_("Uw toegangsaanvraag voor %(org)s is vervallen") % {"org": organisation.display_name},
            body=_("Uw aanvraag voor toegang tot het Loket voor %(org)s is vervallen.\nReden: %(reason)s")
            % {"org": organisation.display_name, "reason": reason},
        )
    return EndAllOutcome(members=len(memberships), requests=len(pending))


def end_all_preview(organisation: Organisation, *, leaving: bool = False) -> list[ChannelSwitchEffect]:
    """What ending all access to `organisation` affects in accounts, said before it happens (the same whether the
    body leaves for a platform or not)."""
    members = Membership.objects.filter(organisation=organisation, is_active=True).count()
    requests = AccessRequest.objects.filter(organisation=organisation, status=AccessRequest.Status.PENDING).count()
    return [
        ChannelSwitchEffect(
            key="members",
            count=members,
            what=ngettext("%(count)s actief lid", "%(count)s actieve leden", members) % {"count": members},
            consequence=_(
                "Hun toegang tot het Loket wordt stopgezet. Ze krijgen een e-mail met de reden en lezen die ook bij "
                "hun volgende bezoek aan het Loket."
            ),
        ),
        ChannelSwitchEffect(
            key="requests",
            count=requests,
            what=ngettext("%(count)s aanvraag in behandeling", "%(count)s aanvragen in behandeling", requests)
            % {"count": requests},
            consequence=_("Ze vervallen. De aanvragers krijgen een e-mail met de reden."),
        ),
    ]


def _apply_channel_switch(
    *, organisation: Organisation, actor: User | None, reason: str, platform: Platform | None
) -> dict[str, int]:
    """Accounts' part of leaving the Loket for a platform: every member's access ends, pending requests lapse."""
    outcome = memberships_end_all_outcome(
        organisation=organisation,
        actor=actor,
        reason=_("Overgeschakeld naar %(platform)s: %(reason)s") % {"platform": platform, "reason": reason},
    )
    return {"members": outcome.members, "requests": outcome.requests}


def register_channel_switch_participant() -> None:
    channel_switch_participant_register(
        ChannelSwitchParticipant(name="accounts", preview=end_all_preview, apply=_apply_channel_switch)
    )


@transaction.atomic
def membership_sync_from_token(*, user: User, organisation: Organisation, roles: Iterable[str]) -> Membership | None:
    """Make the user's roles at `organisation` exactly those the identity provider's token gives."""
    wanted = set(roles)
    membership = (
        Membership.objects.select_for_update().filter(user=user, organisation=organisation, is_active=True).first()
    )
    if membership is None:
        if not wanted:
            return None
        return membership_grant(
            user=user, organisation=organisation, roles=wanted, actor=None, source=Membership.Source.TOKEN
        )
    removed = set(membership.role_codes) - wanted
    if removed:
        MembershipRole.objects.filter(membership=membership, role__in=removed).delete()
        audit_record(
            action="access.revoked",
            organisation=organisation,
            user=user.username,
            roles=sorted(removed),
            reason="niet meer in het token van de identiteitsprovider",
            actor_label="identiteitsprovider",
        )
    if not wanted:
        _end(membership, actor=None, reason="geen rollen meer in het token van de identiteitsprovider")
        return None
    return membership_grant(
        user=user, organisation=organisation, roles=wanted, actor=None, source=Membership.Source.TOKEN
    )


@transaction.atomic
def user_rights_record_change(*, user: User, actor: User, fields: list[str]) -> None:
    """Audit a change of a person's back-office rights made in the Django admin (which validates and saves)."""
    audit_record(
        action="user.rights_changed",
        actor=actor,
        user=user.username,
        fields=sorted(fields),
        is_staff=user.is_staff,
        is_superuser=user.is_superuser,
        is_active=user.is_active,
    )
