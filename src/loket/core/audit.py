"""The audit trail: writing events, and saying in words what each one means.

Call `audit_record` inside the transaction of the change it records. Every action is registered once, by the
module that performs it, in its `audit_actions.py` (found at start-up like admin modules): a short label
("Kanaal gewijzigd") and a sentence template with the event's details as placeholders ("Kanaal gewijzigd van
%(previous)s naar %(channel)s, reden: %(reason)s"), both translatable. The back office and the CSV export show
those words, never the stored keys and JSON; `tests/core/test_audit.py` checks that every action the code records
is registered.
"""

import ipaddress
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from loket.core.models import AuditEvent
from loket.core.retention import CHUNK, Purge, register_purge

Words = Callable[[Any], str]


@dataclass(frozen=True)
class AuditAction:
    """One kind of event: its code (stored), its label and sentence (shown), and how to word special details."""

    code: str
    label: str | Promise
    sentence: str | Promise
    words: Mapping[str, Words] = field(default_factory=dict)
    # An event a normal user never causes (ASVS 11.1.7), given its details: recording it alerts the administrators
    # (`core.alerts.event_alert`). `always`, or a rule such as "only when a code was reused".
    alert: Callable[[Mapping[str, Any]], bool] | None = None


def always(details: Mapping[str, Any]) -> bool:
    return True


_ACTIONS: dict[str, AuditAction] = {}


def audit_action_register(
    code: str,
    *,
    label: str | Promise,
    sentence: str | Promise,
    words: Mapping[str, Words] | None = None,
    alert: Callable[[Mapping[str, Any]], bool] | None = None,
) -> AuditAction:
    """Register an action (at import of a module's `audit_actions.py`). `words` maps a detail key to a function
    that turns its stored value into words (role codes → role names, field names → labels); `alert` says when such
    an event is unusual enough to tell the administrators (see AuditAction)."""
    action = AuditAction(code=code, label=label, sentence=sentence, words=dict(words or {}), alert=alert)
    if code in _ACTIONS and _ACTIONS[code] != action:
        raise ValueError(f"Audit action {code!r} is registered twice, differently.")
    _ACTIONS[code] = action
    return action


def audit_actions() -> list[AuditAction]:
    return sorted(_ACTIONS.values(), key=lambda action: str(action.label))


def audit_action_label(code: str) -> str:
    action = _ACTIONS.get(code)
    return str(action.label) if action else code


def words_for(value: Any) -> str:
    """A stored detail in words: nothing → "—", yes/no, lists joined with commas."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list | tuple):
        return ", ".join(words_for(item) for item in value)
    return str(value)


class _Details(dict):  # type: ignore[type-arg]
    """The details as words for `%`-formatting; a key an older event lacks reads "—"."""

    def __missing__(self, key: str) -> str:
        return "—"


def audit_describe(event: AuditEvent) -> str:
    """The event as one sentence in the active language."""
    action = _ACTIONS.get(event.action)
    details = event.details if isinstance(event.details, dict) else {}
    if action is None:
        # Unregistered (a test fails for those in the code): still words, not JSON.
        parts = [f"{key}: {words_for(value)}" for key, value in sorted(details.items())]
        return "; ".join([event.action, *parts])
    worded = _Details()
    for key, value in details.items():
        describe = action.words.get(key)
        worded[key] = describe(value) if describe and value not in (None, "", []) else words_for(value)
    return str(action.sentence) % worded


@dataclass(frozen=True)
class Simulation:
    """Who really acts while an agency admin simulates a body ("Simuleer een bestuur")."""

    admin_id: int
    admin_label: str
    organisation_id: int
    organisation_label: str
    # Did the admin tick "I send as agency staff on behalf of this body" on the form being handled? Read when a
    # sending is recorded (`core.ledger`), after the view has parsed the form (its upload limits apply first).
    send_confirmed: Callable[[], bool] = field(default=lambda: False, compare=False, repr=False)


_SIMULATION: ContextVar[Simulation | None] = ContextVar("loket_audit_simulation", default=None)


@contextmanager
def audit_simulating(simulation: Simulation | None) -> Iterator[None]:
    """Every event recorded inside carries both identities (the real admin and the simulated body), whoever the
    caller names as actor. The one place that does it: a request middleware sets it, `audit_record` reads it."""
    token = _SIMULATION.set(simulation)
    try:
        yield
    finally:
        _SIMULATION.reset(token)


def audit_simulation() -> Simulation | None:
    return _SIMULATION.get()


def audit_record(*, action: str, actor: Any = None, organisation: Any = None, **details: Any) -> AuditEvent:
    """Append one event. `actor` is a user or None (system); details must be JSON-serialisable. While a simulation
    is active (`audit_simulating`) the event also names the real admin and the simulated body."""
    simulation = _SIMULATION.get()
    if simulation is not None:
        details["simulatie"] = {
            "beheerder_id": simulation.admin_id,
            "beheerder": simulation.admin_label,
            "bestuur_id": simulation.organisation_id,
            "bestuur": simulation.organisation_label,
        }
    actor_label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_label = actor.get_full_name() or actor.get_username()
    else:
        actor = None
        actor_label = details.pop("actor_label", "systeem")
    event = AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor,
        actor_label=actor_label,
        organisation=organisation,
        action=action,
        details=details,
    )
    registered = _ACTIONS.get(action)
    if registered is not None and registered.alert is not None and registered.alert(details):
        from loket.core.alerts import event_alert

        # once the event is kept: a change that is rolled back, and its event with it, alerts nobody
        transaction.on_commit(lambda: event_alert(event), robust=True)
    return event


AUDIT_CSV_HEADER = ["tijdstip", "actie", "omschrijving", "door", "bestuur", "soort_bestuur", "kbo", "bestuur_uri"]


def audit_csv_rows(events: QuerySet[AuditEvent]) -> Iterator[Sequence[object]]:
    """Rows for the CSV export (written by core.csvexport: `;`, BOM, Brussels times, formulas escaped), streamed
    with iterator() so a long trail never sits in memory. The body is named as everywhere (kind and place where
    its name is shared), with its kind and KBO number in their own columns."""
    yield AUDIT_CSV_HEADER
    for event in events.select_related("organisation__kind").iterator(chunk_size=2000):
        org = event.organisation
        yield [
            event.at,
            audit_action_label(event.action),
            audit_describe(event),
            event.actor_label,
            org.display_name if org else "",
            org.kind.label if org and org.kind else "",
            org.kbo if org else "",
            org.uri if org else "",
        ]


# Retention (core.retention) ----------------------------------------------------------------------------------------
#
# The events themselves are kept: the trail is the record of who decided what (access granted, a channel switched,
# a message sent), and a row is never deleted. Two details are personal data with a purpose that ends: a client's
# address (the sign-ins, failed logins, refused pages, ended sessions, security alerts name it) serves to trace an
# attack or a misused account while security logs are to be at hand, and the name typed at a failed back-office
# login may be a mistyped name, someone else's, or a password typed in the wrong field. After
# LOKET_AUDIT_ADDRESS_RETENTION_DAYS both are pseudonymised in place: the address becomes its network (IPv4 /24,
# IPv6 /48: the provider and region an attack came from stay visible), the typed name is removed. The trail is not
# hash-chained (the register is: `core.ledger`, untouched), so nothing that verifies it breaks; this is the one
# change ever made to an event, and it goes around the model's append-only guard on purpose.

ADDRESS_KEYS = ("address", "session_address", "client")  # details that hold a client's address
TYPED_NAME_ACTIONS = ("login.failed",)  # events whose `username` (and actor label) is what somebody typed
PSEUDONYMISED = "gepseudonimiseerd"  # the mark an event gets, so a later run passes it by


def address_pseudonymise(value: Any) -> Any:
    """An address as its network ("192.0.2.77" → "192.0.2.0/24"), also after a key's prefix ("address:192.0.2.77");
    anything that is no address (a vendor's URI, "unknown") stays."""
    if not isinstance(value, str):
        return value
    prefix, separator, rest = value.partition(":")
    for head, candidate in (("", value), (prefix + separator, rest) if separator else ("", "")):
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        network = ipaddress.ip_network(f"{address}/{24 if address.version == 4 else 48}", strict=False)
        return head + str(network)
    return value


@register_purge("auditspoor")
def audit_pseudonymise(limit: int) -> Purge:
    """Pseudonymise the addresses and typed names of events older than LOKET_AUDIT_ADDRESS_RETENTION_DAYS (0: never);
    at most `limit` events a run, oldest first, with one `audit.pseudonymised` event that counts them."""
    days = settings.LOKET_AUDIT_ADDRESS_RETENTION_DAYS
    before = timezone.now() - timedelta(days=days)
    changed = 0
    with transaction.atomic():
        if days > 0:
            holding = Q(details__has_any_keys=ADDRESS_KEYS) | Q(action__in=TYPED_NAME_ACTIONS)
            due = AuditEvent.objects.filter(holding, at__lt=before).exclude(details__has_key=PSEUDONYMISED)
            if (since := _pseudonymised_until()) is not None:
                due = due.filter(at__gte=since)  # a complete run did all before: no daily scan of the whole trail
            while changed < limit:
                rows = list(due.order_by("pk").values_list("pk", "action", "details")[: min(CHUNK, limit - changed)])
                if not rows:
                    break
                for pk, action, details in rows:
                    _pseudonymise_event(pk, action, details)
                changed += len(rows)
        complete = days > 0 and changed < limit  # every event before `before` is done (off: none was looked at)
        audit_record(
            action="audit.pseudonymised", count=changed, days=days, before=before.isoformat(), complete=complete
        )
    return Purge(count=changed, is_complete=changed < limit)


def _pseudonymised_until() -> datetime | None:
    """The moment before which a complete run left no event to pseudonymise (the last such run's `before`)."""
    last = (
        AuditEvent.objects.filter(action="audit.pseudonymised", details__complete=True)
        .order_by("-pk")
        .values_list("details", flat=True)
        .first()
    )
    return datetime.fromisoformat(last["before"]) if isinstance(last, dict) and "before" in last else None


def _pseudonymise_event(pk: int, action: str, details: Any) -> None:
    details = dict(details) if isinstance(details, dict) else {}
    for key in ADDRESS_KEYS:
        if key in details:
            details[key] = address_pseudonymise(details[key])
    fields: dict[str, Any] = {}
    if action in TYPED_NAME_ACTIONS:
        details["username"] = ""
        fields["actor_label"] = "?"
    details[PSEUDONYMISED] = True
    # models.QuerySet's own update: AppendOnlyQuerySet refuses every other change (see above why this one is made)
    models.QuerySet.update(AuditEvent.objects.filter(pk=pk), details=details, **fields)
