"""Writing to the audit trail. Call `audit_record` inside the transaction of the change it records."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from loket.core.models import AuditEvent


def audit_record(*, action: str, actor: Any = None, organisation: Any = None, **details: Any) -> AuditEvent:
    """Append one event. `actor` is a user or None (system); details must be JSON-serialisable."""
    actor_label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_label = actor.get_full_name() or actor.get_username()
    else:
        actor = None
        actor_label = details.pop("actor_label", "systeem")
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor,
        actor_label=actor_label,
        organisation=organisation,
        action=action,
        details=details,
    )


AUDIT_CSV_HEADER = ["tijdstip", "actie", "door", "bestuur", "bestuur_uri", "details"]


def audit_csv_rows(events: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    """Rows for the CSV export, streamed with iterator() so a long trail never sits in memory."""
    import json

    yield AUDIT_CSV_HEADER
    for event in events.select_related("organisation").iterator(chunk_size=2000):
        org = event.organisation
        yield [
            event.at.isoformat(),
            event.action,
            event.actor_label,
            org.name if org else "",
            org.uri if org else "",
            json.dumps(event.details, ensure_ascii=False, sort_keys=True),
        ]
