"""Who may push for whom: the one chokepoint every vendor endpoint goes through.

Order: the vendor and its key (401 when unknown, inactive or wrong, and for an unknown organisation: the same
answer, as the real Loket gives), then the organisation's channel (403 with since when and why):
- a body working in the Loket accepts the meeting-software vendors listed for it and refuses every platform;
- a body served by a platform accepts only that platform's vendors.

A grant (vendor, organisation, channel admits it) is remembered in this process for
`LOKET_VENDOR_ACCESS_CACHE_SECONDS` (default 5, 0 to switch off) so that a busy vendor's requests need no query to
be authorised; the key is still verified on every request. Any change to a vendor, an organisation or the list of
bodies a vendor may act for forgets all grants (here at once; in other processes at their next request when the
cache is shared, such as Redis, else within those seconds). Refusals are never remembered.
"""

import copy
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from loket.organisations.models import Channel, Organisation
from loket.organisations.selectors import channel_refusal_message
from loket.vendors import conf
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
    """The vendor and organisation of a request, when the key is right and the organisation's channel admits the
    vendor; VendorUnauthenticated or ChannelRefused otherwise."""
    remembered = _remembered(publisher)
    if remembered is not None:
        if key_verify(vendor_id=remembered.vendor.pk, stored_hash=remembered.vendor.key_hash, key=publisher.key):
            return remembered
        # The same vendor and stored hash the full check would load: one Argon2 check per wrong key, not two.
        raise VendorUnauthenticated("wrong_key", vendor=remembered.vendor)
    granted = _vendor_access(publisher)
    _remember(publisher, granted)
    return granted


def _vendor_access(publisher: Publisher) -> VendorAccess:
    listed = _listed_access(publisher)
    if listed is not None:
        vendor, organisation = listed
        if not key_verify(vendor_id=vendor.pk, stored_hash=vendor.key_hash, key=publisher.key):
            raise VendorUnauthenticated("wrong_key", vendor=vendor)
        check_channel(vendor, organisation, is_listed=True)
        return VendorAccess(vendor=vendor, organisation=organisation)
    vendor = vendor_by_key(vendor_uri=publisher.vendor_uri, key=publisher.key)
    named = Organisation.objects.select_related("platform").filter(uri=publisher.organisation_uri).first()
    if named is None:
        raise VendorUnauthenticated("unknown_organisation", vendor=vendor)
    check_channel(vendor, named)
    return VendorAccess(vendor=vendor, organisation=named)


# --- Remembered grants --------------------------------------------------------------------------------------

_GENERATION_KEY = "vendors:access-generation"
_MAX_GRANTS = 10_000
_lock = threading.Lock()
_grants: dict[tuple[str, str], tuple[float, int, VendorAccess]] = {}


def _remembered(publisher: Publisher) -> VendorAccess | None:
    if conf.access_cache_seconds() <= 0:
        return None
    with _lock:
        entry = _grants.get((publisher.vendor_uri, publisher.organisation_uri))
    if entry is None or entry[0] <= time.monotonic() or entry[1] != cache.get(_GENERATION_KEY, 0):
        return None
    granted = entry[2]
    # Copies: a request may cache related objects on its instances; the remembered ones stay as loaded.
    return VendorAccess(vendor=copy.copy(granted.vendor), organisation=copy.copy(granted.organisation))


def _remember(publisher: Publisher, granted: VendorAccess) -> None:
    seconds = conf.access_cache_seconds()
    if seconds <= 0:
        return
    generation = cache.get(_GENERATION_KEY, 0)
    with _lock:
        if len(_grants) >= _MAX_GRANTS:
            _grants.clear()
        _grants[(publisher.vendor_uri, publisher.organisation_uri)] = (time.monotonic() + seconds, generation, granted)


def vendor_access_changed() -> None:
    """Forget every remembered grant: call after a change to vendors, organisations or who may act for whom.
    Also once more after the surrounding transaction commits, so that no request caches the data it replaces."""
    access_cache_clear()
    transaction.on_commit(access_cache_clear)


def access_cache_clear() -> None:
    if not cache.add(_GENERATION_KEY, 1, timeout=None):
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # expired or evicted between add and incr
            cache.set(_GENERATION_KEY, 1, timeout=None)
    with _lock:
        _grants.clear()


def _listed_access(publisher: Publisher) -> tuple[Vendor, Organisation] | None:
    """The common case in one query: active meeting software listed for the organisation (the link between the
    two holds both). None otherwise; the step-by-step checks then find out which refusal applies, or a platform."""
    link = (
        Vendor.organisations.through.objects.select_related("vendor", "organisation__platform")
        .filter(
            vendor__uri=publisher.vendor_uri,
            vendor__is_active=True,
            vendor__kind=Vendor.Kind.MEETING_SOFTWARE,
            organisation__uri=publisher.organisation_uri,
        )
        .first()
    )
    return (link.vendor, link.organisation) if link is not None else None


def check_channel(vendor: Vendor, organisation: Organisation, *, is_listed: bool = False) -> None:
    """Whether the organisation's channel admits the vendor; `is_listed` when the vendor is known to be listed."""
    if vendor.is_platform:
        if organisation.channel == Channel.PLATFORM and organisation.platform_id == vendor.platform_id:
            return
        raise ChannelRefused(_platform_refusal(vendor, organisation), organisation, vendor)
    if not is_listed and not vendor.organisations.filter(pk=organisation.pk).exists():
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
