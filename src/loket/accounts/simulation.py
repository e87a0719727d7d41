"""Simulating a body ("Simuleer een bestuur"): an agency admin (helpdesk, `is_staff`) sees and uses the Loket as one
body does, with the module roles the body's kind has, to help its clerks.

The rules, all here (services for the writes, the rest read by the accounts middleware):
- only agency admins, never nested (stop one before starting another);
- the body's module roles only — never an agency role (supervisor, agency messages, access management), and never
  the agency itself or a body that works through a platform;
- at most `LOKET_SIMULATION_MINUTES` (60) minutes; a request after that ends it and says so;
- the admin stays the user: every audit event, ledger entry and receipt names the admin, and every audit event also
  names the simulated body (`core.audit.audit_simulating`, set by the middleware for the whole request); starting,
  stopping and expiring are audited too.
The session holds the simulation; it ends with the session (logging out)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.accounts.roles import MODULES, Role
from loket.core.audit import Simulation, audit_record
from loket.core.errors import DomainError
from loket.organisations.models import Organisation, OrganisationKind

SESSION_KEY = "loket_simulation"
AGENCY_ROLES = frozenset({Role.SUPERVISOR, Role.MESSAGES_AGENCY, Role.ACCESS_MANAGER})


@dataclass(frozen=True)
class ActiveSimulation:
    organisation: Organisation
    roles: frozenset[str]
    started_at: datetime
    ends_at: datetime
    audit: Simulation


def simulation_roles(organisation: Organisation) -> frozenset[str]:
    """The module roles of the body's kind (as its landing page lists the modules), no agency role."""
    category = organisation.kind.category if organisation.kind_id else ""  # type: ignore[union-attr]
    roles = {module.role for module in MODULES if not module.categories or category in module.categories}
    return frozenset(role.value for role in roles - AGENCY_ROLES)


def simulation_refusal(*, admin: Any, organisation: Organisation | None, session: Any) -> str:
    """Why `admin` may not start simulating `organisation` now, in words; "" when they may."""
    from loket.organisations.selectors import channel_refusal_message

    if not (admin.is_authenticated and admin.is_staff):
        return _("Alleen medewerkers van het agentschap kunnen een bestuur simuleren.")
    if session.get(SESSION_KEY):
        return _("U simuleert al een bestuur. Stop die simulatie eerst.")
    if organisation is None:
        return _("Kies een bestuur.")
    if organisation.kind_id and organisation.kind.category == OrganisationKind.Category.AGENCY:  # type: ignore[union-attr]
        return _(
            "Het agentschap zelf kan niet gesimuleerd worden: een simulatie geeft nooit rechten van het agentschap."
        )
    if refusal := channel_refusal_message(organisation):
        return refusal
    if not simulation_roles(organisation):
        return _("Voor dit bestuur is geen module van het Loket beschikbaar.")
    return ""


def _label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def simulation_start(*, admin: Any, organisation: Organisation, session: Any) -> None:
    refusal = simulation_refusal(admin=admin, organisation=organisation, session=session)
    if refusal:
        raise DomainError(refusal)
    started = timezone.now()
    session[SESSION_KEY] = {"organisation_id": organisation.pk, "started_at": started.isoformat(), "admin_id": admin.pk}
    audit_record(
        action="simulation.started",
        actor=admin,
        organisation=organisation,
        minutes=settings.LOKET_SIMULATION_MINUTES,
        roles=sorted(simulation_roles(organisation)),
    )


def simulation_stop(*, admin: Any, session: Any, reason: str = "stopped") -> Organisation | None:
    """End the simulation (`reason`: stopped by the admin, or expired); returns the body that was simulated."""
    data = session.pop(SESSION_KEY, None)
    if not data:
        return None
    organisation = Organisation.objects.filter(pk=data.get("organisation_id")).first()
    started_at = str(data.get("started_at", ""))
    if reason == "expired":
        audit_record(action="simulation.expired", actor=admin, organisation=organisation, started_at=started_at)
    else:
        audit_record(action="simulation.stopped", actor=admin, organisation=organisation, started_at=started_at)
    return organisation


def simulation_active(*, user: Any, session: Any) -> ActiveSimulation | None:
    """The session's simulation while it may go on; None otherwise. Raises `SimulationExpired` once it has run out
    (the caller ends it and tells the admin)."""
    data = session.get(SESSION_KEY)
    if not data:
        return None
    organisation = (
        Organisation.objects.select_related("kind").filter(pk=data.get("organisation_id")).first()
        if user.is_authenticated and user.is_staff and data.get("admin_id") == user.pk
        else None
    )
    try:
        started = datetime.fromisoformat(data["started_at"])
    except (KeyError, TypeError, ValueError):
        organisation = None
    if organisation is None:  # not an admin any more, another user, the body gone, a damaged session value
        raise SimulationExpired(_("De simulatie is beëindigd."))
    ends = started + timedelta(minutes=settings.LOKET_SIMULATION_MINUTES)
    if timezone.now() >= ends:
        raise SimulationExpired(
            _("De simulatie van %(org)s is beëindigd: ze duurde de toegestane %(minutes)s minuten.")
            % {"org": organisation.display_name, "minutes": settings.LOKET_SIMULATION_MINUTES}
        )
    return ActiveSimulation(
        organisation=organisation,
        roles=simulation_roles(organisation),
        started_at=started,
        ends_at=ends,
        audit=Simulation(
            admin_id=user.pk,
            admin_label=_label(user),
            organisation_id=organisation.pk,
            organisation_label=organisation.display_name,
        ),
    )


class SimulationExpired(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
