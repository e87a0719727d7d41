"""The audit trail's words for Mandatenbeheer."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register

audit_action_register(
    "mandate_holder.created",
    label=_("Mandataris toegevoegd"),
    sentence=_("%(person)s toegevoegd als %(mandate)s."),
)
audit_action_register(
    "mandate_holder.changed",
    label=_("Mandataris gewijzigd"),
    sentence=_("Wijziging voor %(person)s (%(mandate)s) vanaf %(at)s: nieuwe versie."),
)
audit_action_register(
    "mandate_holder.corrected",
    label=_("Mandataris verbeterd"),
    sentence=_("Correctie voor %(person)s (%(mandate)s): %(fields)s."),
)
audit_action_register(
    "mandate_holder.replaced",
    label=_("Mandataris vervangen"),
    sentence=_("%(person)s (%(mandate)s) verhinderd, vervangen door %(replacement)s."),
)
audit_action_register(
    "mandate_holder.deleted",
    label=_("Mandataris verwijderd"),
    sentence=_("%(person)s (%(mandate)s) verwijderd."),
)
audit_action_register(
    "mandate_holder.publication",
    label=_("Publicatiestatus mandataris"),
    sentence=_("Publicatiestatus van %(person)s (%(mandate)s): %(publication)s."),
)
audit_action_register(
    "mandate_holder.unratified",
    label=_("Bekrachtiging ongedaan gemaakt"),
    sentence=_("Bekrachtiging van %(person)s (%(mandate)s) ongedaan gemaakt, reden: %(reason)s."),
)
audit_action_register(
    "mandate_holder.ratified_by_decision",
    label=_("Mandataris bekrachtigd door besluit"),
    sentence=_("%(person)s (%(mandate)s) bekrachtigd door besluit %(decision)s."),
)
audit_action_register(
    "mandate_fractie.created",
    label=_("Fractie aangemaakt"),
    sentence=_("Fractie %(name)s aangemaakt."),
)
audit_action_register(
    "mandate_fractie.renamed",
    label=_("Fractie hernoemd"),
    sentence=_("Fractie %(name)s heet vanaf %(at)s %(new_name)s."),
)
audit_action_register(
    "mandate_validation.silenced",
    label=_("Validatieresultaat stilgezet"),
    sentence=_("Resultaat van regel %(rule)s stilgezet, reden: %(reason)s."),
)
audit_action_register(
    "mandate_term.drafts_published",
    label=_("Draft-mandatarissen gepubliceerd"),
    sentence=_("%(count)s Draft-mandataris(sen) van %(organ)s zijn nu Niet bekrachtigd."),
)
