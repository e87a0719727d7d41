"""The audit trail's words for Leidinggevendenbeheer."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register

audit_action_register(
    "official.added",
    label=_("Functionaris toegevoegd"),
    sentence=_("%(person)s toegevoegd als %(status)s %(function)s."),
)
audit_action_register(
    "official.changed",
    label=_("Aanstelling gewijzigd"),
    sentence=_("Aanstelling voor %(function)s gewijzigd."),
)
audit_action_register(
    "official.contact_confirmed",
    label=_("Contactgegevens functie bevestigd"),
    sentence=_("Contactgegevens van de functie %(function)s bevestigd."),
)
audit_action_register(
    "official.ended",
    label=_("Aanstelling beëindigd"),
    sentence=_("Aanstelling van %(person)s als %(function)s beëindigd op %(end)s."),
)
