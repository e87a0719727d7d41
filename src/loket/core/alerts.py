"""Security alerts (ASVS 11.1.7, 11.1.8): somebody is told when an automated attack shows, not only the log.

Every rate limit (`core.throttle.throttle_hit`: the login throttle, the vendor API's failed-authentication guards and
rate limits, the case-system API, the SPARQL endpoint, the cap on refused pages written to the audit trail) raises an
alert the first time a client goes over its limit in a window. An alert is logged (logger `loket.security`), written
to the audit trail (`security.alert`, visible in the back office) and mailed to `LOKET_SECURITY_ALERT_EMAILS` — at
most one alert per kind of limit per `LOKET_SECURITY_ALERT_MINUTES` (a script that keeps hammering gives one mail,
not a mailbox full); the others of that interval only go to the log. A clock that disagrees with the timestamp
authority's (`core.timestamping`, ASVS 7.3.4) raises one the same way (`clock_alert`).

Events a normal user never causes (ASVS 11.1.7) alert too, once recorded (`event_alert`): the audit action says when
(`alert=` in its `audit_actions.py`: a virus found, a reused code of an authenticator app, a second factor removed,
back-office rights given, a register whose content no longer matches). The event is already in the audit trail, so
the alert only logs and mails, at most once per action per interval."""

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

logger = logging.getLogger("loket.security")


def limit_kind(key: str) -> str:
    """The kind of a throttle key ("login:10.0.0.1" → "login")."""
    return key.split(":", 1)[0]


def throttle_alert(*, key: str, limit: int, window_seconds: int) -> bool:
    """A client went over a rate limit for the first time in this window. Returns whether an alert went out (False:
    one of this kind already went out in the current interval)."""
    kind = limit_kind(key)
    who = key.split(":", 1)[1] if ":" in key else ""
    logger.warning("rate limit %s exceeded by %s (%s per %s s)", kind, who, limit, window_seconds)
    if not _first_in_interval(kind):
        return False
    from loket.core.audit import audit_record

    audit_record(action="security.alert", kind=kind, client=who[:200], limit=limit, window=window_seconds)
    _mail(
        subject=f"[Loket] Beveiligingsmelding: limiet '{kind}' overschreden",
        said=f"Een client ging over de limiet '{kind}' ({limit} per {window_seconds} s): {who or '?'}.",
        label="Beveiligingsmelding",
    )
    return True


def clock_alert(*, skew_seconds: float, source: str) -> bool:
    """A timestamp authority's time lay outside our clock's readings by more than LOKET_CLOCK_SKEW_SECONDS
    (`core.timestamping`, ASVS 7.3.4). Returns whether an alert went out (at most one per interval)."""
    if not _first_in_interval("clock"):
        return False
    from loket.core.audit import audit_record

    direction = "ahead" if skew_seconds > 0 else "behind"
    audit_record(action="security.clock_skew", seconds=round(abs(skew_seconds), 1), direction=direction,
                 source=source[:300])  # fmt: skip
    _mail(
        subject="[Loket] Beveiligingsmelding: de klok van de server wijkt af",
        said=(
            f"De tijdstempeldienst {source} liep {abs(skew_seconds):.1f} s "
            f"{'voor' if direction == 'ahead' else 'achter'} op de klok van deze server "
            f"(toegestaan: {settings.LOKET_CLOCK_SKEW_SECONDS} s). Controleer de tijdsynchronisatie (NTP) van de "
            "server; de tijdstempels zelf blijven het bewijs van het tijdstip van verzenden."
        ),
        label="Klok wijkt af",
    )
    return True


def event_alert(event: Any) -> bool:
    """An unusual event was recorded (its action's `alert` rule said so). Returns whether a mail went out (False: one
    for this action already went out in the current interval; the log has every one)."""
    from loket.core.audit import audit_action_label, audit_describe

    logger.warning("unusual event %s (audit event %s): %s", event.action, event.pk, event.details)
    if not _first_in_interval(f"event:{event.action}"):
        return False
    with translation.override("nl"):  # the administrators' mails are Dutch, whatever the page's language was
        label = audit_action_label(event.action)
        sentence = audit_describe(event)
    _mail(
        subject=f"[Loket] Beveiligingsmelding: {label}",
        said=(
            f"Een ongewone gebeurtenis werd vastgelegd: {sentence} "
            f"(door {event.actor_label or 'systeem'}, auditgebeurtenis {event.pk})."
        ),
        label=label,
    )
    return True


def _first_in_interval(kind: str) -> bool:
    interval = max(settings.LOKET_SECURITY_ALERT_MINUTES, 1) * 60
    slot = int(timezone.now().timestamp()) // interval
    return bool(cache.add(f"security-alert:{kind}:{slot}", 1, timeout=interval + 1))


def _mail(*, subject: str, said: str, label: str) -> None:
    recipients = list(settings.LOKET_SECURITY_ALERT_EMAILS)
    if not recipients:
        return
    from loket.core.tasks import send_email

    minutes = max(settings.LOKET_SECURITY_ALERT_MINUTES, 1)
    send_email.enqueue(
        to=recipients,
        subject=subject,
        body=(
            f"{said}\nTijdstip: {timezone.localtime():%Y-%m-%d %H:%M:%S %Z}.\n\n"
            f"Meer meldingen van deze soort in de komende {minutes} minuten staan alleen in het log "
            f"(logger loket.security); de auditlog van de back office toont deze melding als '{label}'."
        ),
    )
