"""Writes about organisations: the helpdesk's changes, channel switches, and imports from CSV."""

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError
from loket.organisations.channels import channel_switch_apply
from loket.organisations.models import Channel, ChannelDecision, Organisation, OrganisationKind, Platform

# The real Loket's URI base per kind of body (see reference/modules/open-data.md); the rest are bestuurseenheden.
URI_SEGMENT_BY_CATEGORY = {
    OrganisationKind.Category.WORSHIP_BOARD: "besturenVanDeEredienst",
    OrganisationKind.Category.CENTRAL_WORSHIP_BOARD: "centraleBesturenVanDeEredienst",
    OrganisationKind.Category.REPRESENTATIVE_BODY: "representatieveOrganen",
}


def organisation_identity_mint(*, kind: OrganisationKind) -> tuple[str, str]:
    """A new body's URI and uuid: its kind's base and a fresh uuid, never typed by hand."""
    new_uuid = str(uuid.uuid4())
    segment = URI_SEGMENT_BY_CATEGORY.get(kind.category, "bestuurseenheden")  # type: ignore[call-overload]
    return f"{settings.LOKET_URI_BASE}/id/{segment}/{new_uuid}", new_uuid


@transaction.atomic
def organisation_record_change(*, organisation: Organisation, actor, created: bool, changed: list[str]) -> None:
    """Audit a change the helpdesk made in the back office (the admin validates and saves)."""
    audit_record(
        action="organisation.created" if created else "organisation.changed",
        actor=actor,
        organisation=organisation,
        fields=sorted(changed),
    )


@transaction.atomic
def organisation_switch_channel(
    *,
    organisation: Organisation,
    channel: str,
    platform: Platform | None,
    reason: str,
    actor,
    confirmed: bool,
) -> ChannelDecision:
    """Switch a body between the Loket and a platform that replaces it. Never both at once.

    To a platform: the registered participants act (accounts ends every member's access and lets pending
    requests lapse; see `channels.py`); needs `confirmed`. Back to the Loket: the platform no longer acts for the
    body; members request access again."""

    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not reason.strip():
        raise DomainError(_("Geef de reden van de overschakeling."), fields={"reason": _("Verplicht.")})
    if channel == Channel.PLATFORM and platform is None:
        raise DomainError(_("Kies het platform."), fields={"platform": _("Verplicht.")})
    if channel == Channel.LOKET:
        platform = None
    if channel == locked.channel and platform == locked.platform:
        raise ConflictError(_("%(org)s gebruikt dit kanaal al.") % {"org": locked.display_name})
    if channel == Channel.PLATFORM and not confirmed:
        raise DomainError(
            _("Bevestig dat de toegang van alle bestuursleden tot het Loket wordt stopgezet."),
            code="confirmation_required",
        )
    counts: dict[str, int] = {}
    if channel == Channel.PLATFORM:
        counts = channel_switch_apply(organisation=locked, actor=actor, reason=reason.strip(), platform=platform)
    ended = counts.get("members", 0)
    decision = ChannelDecision.objects.create(
        organisation=locked,
        channel=channel,
        platform=platform,
        previous_channel=locked.channel,
        previous_platform=locked.platform,
        reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
        memberships_ended=ended,
    )
    previous = locked.platform.name if locked.platform else "loket"
    locked.channel = channel
    locked.platform = platform
    locked.channel_since = decision.decided_at
    locked.save(update_fields=["channel", "platform", "channel_since"])
    audit_record(
        action="organisation.channel_switched",
        actor=actor,
        organisation=locked,
        previous=previous,
        channel=platform.name if platform else "loket",
        reason=decision.reason,
        memberships_ended=ended,
        requests_lapsed=counts.get("requests", 0),
    )
    organisation.refresh_from_db()
    return decision
