"""Who may push for whom: the one chokepoint every vendor endpoint goes through.

Order: the vendor and its key (401 when unknown, inactive or wrong, and for an unknown organisation: the same
answer, as the real Loket gives), then the organisation's channel (403 with since when and why):
- a body working in the Loket accepts the meeting-software vendors listed for it and refuses every platform;
- a body served by a platform accepts only that platform's vendors.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from loket.organisations.models import Channel, Organisation
from loket.organisations.selectors import channel_refusal_message
from loket.vendors.keys import key_verify
from loket.vendors.models import Vendor
from loket.vendors.payload import Publisher

AUTHENTICATION_FAILED = (
    "Authentication failed, vendor does not have access to the organization or does not exist. If this should not "
    "be the case, please contact us at digitaalABB@vlaanderen.be for login credentials."
)


class VendorUnauthenticated(Exception):
    """Unknown vendor, wrong key, unknown organisation, or an organisation the vendor is not listed for."""

    def __init__(self, reason: str, organisation: Organisation | None = None, vendor: Vendor | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.organisation = organisation
        self.vendor = vendor


class ChannelRefused(Exception):
    """The organisation's channel does not admit this vendor; `message` says since when and why."""

    def __init__(self, message: str, organisation: Organisation, vendor: Vendor) -> None:
        super().__init__(message)
        self.message = message
        self.organisation = organisation
        self.vendor = vendor


@dataclass(frozen=True)
class VendorAccess:
    vendor: Vendor
    organisation: Organisation


def vendor_by_key(*, vendor_uri: str, key: str) -> Vendor:
    """An active vendor whose key matches, or VendorUnauthenticated."""
    vendor = Vendor.objects.filter(uri=vendor_uri, is_active=True).first()
    if vendor is None:
        raise VendorUnauthenticated("unknown_vendor")
    if not key_verify(vendor_id=vendor.pk, stored_hash=vendor.key_hash, key=key):
        raise VendorUnauthenticated("wrong_key", vendor=vendor)
    return vendor


def vendor_access(publisher: Publisher) -> VendorAccess:
    vendor = vendor_by_key(vendor_uri=publisher.vendor_uri, key=publisher.key)
    organisation = Organisation.objects.select_related("platform").filter(uri=publisher.organisation_uri).first()
    if organisation is None:
        raise VendorUnauthenticated("unknown_organisation", vendor=vendor)
    check_channel(vendor, organisation)
    return VendorAccess(vendor=vendor, organisation=organisation)


def check_channel(vendor: Vendor, organisation: Organisation) -> None:
    if vendor.is_platform:
        if organisation.channel == Channel.PLATFORM and organisation.platform_id == vendor.platform_id:
            return
        raise ChannelRefused(_platform_refusal(vendor, organisation), organisation, vendor)
    if not vendor.organisations.filter(pk=organisation.pk).exists():
        raise VendorUnauthenticated("organisation_not_listed", organisation=organisation, vendor=vendor)
    if organisation.channel != Channel.LOKET:
        message = (
            channel_refusal_message(organisation)
            + " "
            + _("Inzendingen voor dit bestuur komen alleen via dat platform binnen, niet via %(vendor)s.")
            % {"vendor": vendor.name}
        )
        raise ChannelRefused(message, organisation, vendor)


def _platform_refusal(vendor: Vendor, organisation: Organisation) -> str:
    since = (
        " " + _("sinds %(date)s") % {"date": date_format(organisation.channel_since, "j F Y")}
        if organisation.channel_since
        else ""
    )
    if organisation.channel == Channel.LOKET:
        return _(
            "%(org)s werkt%(since)s zelf in het Loket voor Lokale Besturen en niet via een platform: %(vendor)s "
            "mag geen inzendingen doen voor dit bestuur. Een bestuur gebruikt één kanaal; wil het bestuur "
            "overschakelen naar %(vendor)s, dan meldt het dat aan de helpdesk."
        ) % {"org": organisation.display_name, "since": since, "vendor": vendor.name}
    return (
        channel_refusal_message(organisation)
        + " "
        + _("%(vendor)s is niet het platform van dit bestuur.") % {"vendor": vendor.name}
    )
