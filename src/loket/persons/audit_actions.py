"""The audit trail's words for changes to persons."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register

audit_action_register(
    "person.created",
    label=_("Persoon aangemaakt"),
    sentence=_("Persoon %(name)s aangemaakt."),
)
audit_action_register(
    "person.name_corrected",
    label=_("Naam van persoon verbeterd"),
    sentence=_("Naam verbeterd van %(before)s naar %(after)s."),
)
_SEARCHED_BY = {"naam": _("naam"), "rijksregisternummer": _("rijksregisternummer")}

audit_action_register(
    "person.searched",
    label=_("Personen opgezocht"),
    sentence=_("Personen opgezocht op %(by)s (%(found)s gevonden: %(persons)s) op %(page)s."),
    words={"by": lambda value: str(_SEARCHED_BY.get(value, value))},
)
audit_action_register(
    "person.numbers_rekeyed",
    label=_("Rijksregisternummers naar de huidige sleutel gebracht"),
    sentence=_("%(count)s rijksregisternummers naar de huidige sleutel gebracht (%(unreadable)s onleesbaar)."),
)
audit_action_register(
    "person.purged",
    label=_("Personen zonder verwijzing verwijderd"),
    sentence=_(
        "%(count)s perso(o)n(en) verwijderd naar wie geen enkele registratie meer verwijst, al meer dan %(days)s dagen "
        "(bewaartermijn)."
    ),
)
