"""Security alerts (ASVS 11.1.7, 11.1.8): somebody is told when an automated attack shows, not only the log.

Every rate limit (`core.throttle.throttle_hit`: the login throttle, the vendor API's failed-authentication guards and
rate limits, the case-system API, the SPARQL endpoint, the cap on refused pages written to the audit trail) raises an
alert the first time a client goes over its limit in a window. An alert is logged (logger `loket.security`), written
to the audit trail (`security.alert`, visible in the back office) and mailed to `LOKET_SECURITY_ALERT_EMAILS` — at
most one alert per kind of limit per `LOKET_SECURITY_ALERT_MINUTES` (a script that keeps hammering gives one mail,
not a mailbox full); the others of that interval only go to the log."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

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
    interval = max(settings.LOKET_SECURITY_ALERT_MINUTES, 1) * 60
    slot = int(timezone.now().timestamp()) // interval
    if not cache.add(f"security-alert:{kind}:{slot}", 1, timeout=interval + 1):
        return False
    from loket.core.audit import audit_record

    audit_record(action="security.alert", kind=kind, client=who[:200], limit=limit, window=window_seconds)
    recipients = list(settings.LOKET_SECURITY_ALERT_EMAILS)
    if recipients:
        from loket.core.tasks import send_email

        send_email.enqueue(
            to=recipients,
            subject=f"[Loket] Beveiligingsmelding: limiet '{kind}' overschreden",
            body=(
                f"Een client ging over de limiet '{kind}' ({limit} per {window_seconds} s): {who or '?'}.\n"
                f"Tijdstip: {timezone.localtime():%Y-%m-%d %H:%M:%S %Z}.\n\n"
                f"Meer meldingen van deze soort in de komende {interval // 60} minuten staan alleen in het log "
                "(logger loket.security); de auditlog van de back office toont deze melding als 'Beveiligingsmelding'."
            ),
        )
    return True
