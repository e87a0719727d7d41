"""The privacy notice (privacyverklaring, ASVS 8.3.3): what the Loket keeps about people, why, and how long.

The periods on the page are read here from the settings that the purges themselves read (`core.retention`,
`accounts.retention`, `accounts.sessions`, `core.backup`), never written into the page: a period changed by its
setting changes on the page too. `docs/security/retention.md` gives every class with its reason and enforcement;
the page says the same in plain language.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RetentionPeriods:
    """Each period in days as its setting has it; 0 means the purge is off (the data is kept), except for the
    sign-ins of "Mijn sessies", whose rows then go as soon as the session has ended."""

    signed_in_sessions: int  # LOKET_SIGNED_IN_SESSION_RETENTION_DAYS
    session_hours: int  # SESSION_COOKIE_AGE, in whole hours
    audit_addresses: int  # LOKET_AUDIT_ADDRESS_RETENTION_DAYS
    access_requests: int  # LOKET_ACCESS_REQUEST_RETENTION_DAYS
    former_users: int  # LOKET_FORMER_USER_RETENTION_DAYS
    tasks: int  # LOKET_TASK_RETENTION_DAYS
    failed_tasks: int  # LOKET_FAILED_TASK_RETENTION_DAYS
    unreferenced_persons: int  # LOKET_PERSON_UNREFERENCED_DAYS
    worship_contacts: int  # LOKET_WORSHIP_CONTACT_RETENTION_DAYS
    backups: int  # LOKET_BACKUP_RETENTION_DAYS
    backups_kept_at_least: int  # LOKET_BACKUP_KEEP_AT_LEAST


def retention_periods() -> RetentionPeriods:
    """The periods in force, from the settings that enforce them."""
    return RetentionPeriods(
        signed_in_sessions=settings.LOKET_SIGNED_IN_SESSION_RETENTION_DAYS,
        session_hours=settings.SESSION_COOKIE_AGE // 3600,
        audit_addresses=settings.LOKET_AUDIT_ADDRESS_RETENTION_DAYS,
        access_requests=settings.LOKET_ACCESS_REQUEST_RETENTION_DAYS,
        former_users=settings.LOKET_FORMER_USER_RETENTION_DAYS,
        tasks=settings.LOKET_TASK_RETENTION_DAYS,
        failed_tasks=settings.LOKET_FAILED_TASK_RETENTION_DAYS,
        unreferenced_persons=settings.LOKET_PERSON_UNREFERENCED_DAYS,
        worship_contacts=settings.LOKET_WORSHIP_CONTACT_RETENTION_DAYS,
        backups=settings.LOKET_BACKUP_RETENTION_DAYS,
        backups_kept_at_least=settings.LOKET_BACKUP_KEEP_AT_LEAST,
    )
