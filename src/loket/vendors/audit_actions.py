"""The audit trail's words for vendors: created, new key, meldingen accepted, refused and withdrawn."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register
from loket.vendors.models import Vendor

REFUSALS = {
    "unknown_vendor": _("onbekende leverancier"),
    "wrong_key": _("verkeerde sleutel"),
    "unknown_organisation": _("onbekend bestuur"),
    "organisation_not_listed": _("de leverancier mag niet optreden voor dit bestuur"),
    "channel": _("het kanaal van het bestuur laat dit niet toe"),
}


def vendor_kind(kind: str) -> str:
    return str(dict(Vendor.Kind.choices).get(kind, kind))


audit_action_register(
    "vendor.created",
    label=_("Leverancier aangemaakt"),
    sentence=_(
        "Leverancier %(name)s (%(vendor)s) aangemaakt als %(kind)s voor %(organisations)s; platform: %(platform)s."
    ),
    words={"kind": vendor_kind},
)
audit_action_register(
    "vendor.key_reset",
    label=_("Sleutel van een leverancier vernieuwd"),
    sentence=_("Nieuwe sleutel voor leverancier %(vendor)s."),
)
audit_action_register(
    "vendor.melding_accepted",
    label=_("Melding aanvaard"),
    sentence=_(
        "Melding van %(vendor)s aanvaard voor besluit %(submitted_resource)s (%(href)s): inzending %(submission)s, "
        "job %(job)s."
    ),
)
audit_action_register(
    "vendor.refused",
    label=_("Verzoek van een leverancier geweigerd"),
    sentence=_("Verzoek van %(vendor)s aan %(endpoint)s geweigerd: %(reason)s. %(message)s"),
    words={"reason": lambda code: str(REFUSALS.get(code, code))},
)
audit_action_register(
    "vendor.melding_deleted",
    label=_("Melding ingetrokken"),
    sentence=_("Melding ingetrokken door %(vendor)s: inzending %(submission)s, job %(job)s."),
)
audit_action_register(
    "vendor_job.purged",
    label=_("Jobs van leveranciers opgeruimd"),
    sentence=_(
        "%(count)s afgelopen job(s) van leveranciers verwijderd, waarvan %(message_jobs)s voor berichten: geëindigd "
        "meer dan %(days)s dagen geleden, zonder inzending die nog een concept is (bewaartermijn)."
    ),
)
