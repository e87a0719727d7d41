"""Mijn gegevens (ASVS 8.3.2): what the Loket holds about the signed-in user, to see on a page and to download.

One selector gathers it (`personal_data_of`): the user's own record (never the password hash), their memberships with
the roles per body, their access requests, their sessions as "Mijn sessies" lists them, and the newest audit events
in which they are the actor. The download (`personal_data_export`) is the same data as JSON, and is itself recorded
in the audit trail. Deleting is not self-service: names, memberships and the trail belong to government records
(`docs/security/retention.md`); the page says so and points to the helpdesk.

Persons in the registers (`persons.Person`: mandate holders, officials, worship board members) are not linked to an
account, so they are not part of this export; the privacy notice says whom to ask.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from loket.accounts.models import AccessRequest, Membership, User
from loket.accounts.roles import Role
from loket.accounts.sessions import LiveSession, sessions_of
from loket.core.audit import audit_action_label, audit_describe, audit_record
from loket.core.models import AuditEvent
from loket.organisations.models import Organisation

PAGE_EVENT_LIMIT = 20  # the page shows the newest events only; the download holds more
EXPORT_EVENT_LIMIT = 1000  # the download's bound: a long-serving access manager's trail stays a file one can read


@dataclass(frozen=True)
class EventLine:
    """One audit event as the user reads it: in words, not stored keys."""

    at: datetime
    action: str
    label: str
    description: str
    organisation: Organisation | None


@dataclass(frozen=True)
class PersonalData:
    user: User
    memberships: list[Membership]  # with organisation, kind, roles and who granted or ended them
    access_requests: list[AccessRequest]
    sessions: list[LiveSession]
    events: list[EventLine]  # newest first, at most `event_limit`
    event_limit: int
    events_complete: bool  # False: there are older events than those listed


def personal_data_of(*, user: User, current_key: str | None, event_limit: int) -> PersonalData:
    """What the Loket holds about `user`, and nobody else: every query is filtered on the user."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation__kind", "granted_by", "ended_by")
        .prefetch_related("roles")
        .order_by("-is_active", "-granted_at", "-pk")
    )
    requests = list(
        AccessRequest.objects.filter(user=user)
        .select_related("organisation__kind", "decided_by")
        .order_by("-created_at", "-pk")
    )
    # one more than shown: whether the list was cut, without counting the user's whole trail
    events = list(
        AuditEvent.objects.filter(actor=user)
        .select_related("organisation__kind")
        .order_by("-at", "-pk")[: event_limit + 1]
    )
    return PersonalData(
        user=user,
        memberships=memberships,
        access_requests=requests,
        sessions=sessions_of(user=user, current_key=current_key),
        events=[_line(event) for event in events[:event_limit]],
        event_limit=event_limit,
        events_complete=len(events) <= event_limit,
    )


@transaction.atomic
def personal_data_export(*, user: User, current_key: str | None, address: str) -> dict[str, Any]:
    """The download of "Mijn gegevens" as a JSON-ready dict, recorded in the audit trail (who, from where, how many
    events it held) in the same transaction."""
    data = personal_data_of(user=user, current_key=current_key, event_limit=EXPORT_EVENT_LIMIT)
    audit_record(
        action="personal_data.exported",
        actor=user,
        address=address,
        events=len(data.events),
        complete=data.events_complete,
    )
    return personal_data_document(data)


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _name(user: User | None) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


def _roles(codes: list[str]) -> list[dict[str, str]]:
    labels = dict(Role.choices)
    return [{"code": code, "naam": str(labels.get(code, code))} for code in codes]


def personal_data_document(data: PersonalData) -> dict[str, Any]:
    """The data as the JSON document of the download (Dutch keys, like the Loket's CSV exports; times in Brussels
    time with their offset). The user record is written field by field: the password hash never enters it."""
    user = data.user
    return {
        "aangemaakt_op": _when(timezone.now()),
        "verwerkingsverantwoordelijke": "Agentschap Binnenlands Bestuur",
        "gebruiker": {
            "gebruikersnaam": user.get_username(),
            "identiteit_sub": user.subject,
            "voornaam": user.first_name,
            "familienaam": user.last_name,
            "e_mailadres": user.email,
            "actief": user.is_active,
            "helpdeskmedewerker": user.is_staff,
            "geregistreerd_op": _when(user.date_joined),
            "laatst_aangemeld_op": _when(user.last_login),
        },
        "lidmaatschappen": [_membership(membership) for membership in data.memberships],
        "toegangsaanvragen": [_access_request(access_request) for access_request in data.access_requests],
        "sessies": [
            {
                "aangemeld_op": _when(session.started_at),
                "aanmeldwijze": session.method,
                "browser": session.browser,
                "adres": session.address,
                "deze_sessie": session.is_current,
            }
            for session in data.sessions
        ],
        "auditgebeurtenissen": {
            "maximum": data.event_limit,
            "volledig": data.events_complete,
            "gebeurtenissen": [_event(event) for event in data.events],
        },
    }


def _membership(membership: Membership) -> dict[str, Any]:
    return {
        "bestuur": membership.organisation.display_name,
        "bestuur_uri": membership.organisation.uri,
        "rollen": _roles(sorted(role.role for role in membership.roles.all())),
        "actief": membership.is_active,
        "bron": str(membership.get_source_display()),
        "toegekend_op": _when(membership.granted_at),
        "toegekend_door": _name(membership.granted_by),
        "beeindigd_op": _when(membership.ended_at),
        "beeindigd_door": _name(membership.ended_by),
        "reden_beeindiging": membership.end_reason,
    }


def _access_request(access_request: AccessRequest) -> dict[str, Any]:
    return {
        "bestuur": access_request.organisation.display_name,
        "bestuur_uri": access_request.organisation.uri,
        "status": str(access_request.get_status_display()),
        "aangevraagd_op": _when(access_request.created_at),
        "voornaam": access_request.first_name,
        "familienaam": access_request.last_name,
        "e_mailadres": access_request.email,
        "telefoon": access_request.phone,
        "functie": access_request.job_title,
        "gevraagde_rollen": _roles(access_request.roles),
        "toegekende_rollen": _roles(access_request.granted_roles),
        "reden": access_request.reason,
        "beslist_op": _when(access_request.decided_at),
        "beslist_door": _name(access_request.decided_by),
        "motivering": access_request.decision_reason,
    }


def _line(event: AuditEvent) -> EventLine:
    return EventLine(
        at=event.at,
        action=event.action,
        label=audit_action_label(event.action),
        description=audit_describe(event),
        organisation=event.organisation,
    )


def _event(event: EventLine) -> dict[str, Any]:
    return {
        "tijdstip": _when(event.at),
        "actie": event.action,
        "label": event.label,
        "omschrijving": event.description,
        "bestuur": event.organisation.display_name if event.organisation else None,
    }
