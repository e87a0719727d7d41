"""The audit trail's words for the Berichtencentrum."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register

audit_action_register(
    "message.conversation_started",
    label=_("Conversatie gestart"),
    sentence=_("Conversatie gestart met dossiernummer %(dossier)s."),
)
audit_action_register(
    "message.agency_sent",
    label=_("Bericht van het agentschap"),
    sentence=_("Nieuw bericht van het agentschap in conversatie %(conversation)s."),
)
audit_action_register(
    "message.circular_started",
    label=_("Omzendbrief gestart"),
    sentence=_("Omzendbrief met dossiernummer %(dossier)s gestart voor %(count)s besturen."),
)
audit_action_register(
    "message.circular_stopped",
    label=_("Omzendbrief gestopt"),
    sentence=_(
        "Omzendbrief met dossiernummer %(dossier)s gestopt na %(done)s van %(total)s besturen: bijlage %(file)s "
        "werd na de virusscan verwijderd."
    ),
)
audit_action_register(
    "message.reply_sent",
    label=_("Reactie verstuurd"),
    sentence=_("Reactie verstuurd in conversatie %(conversation)s (registerpositie %(ledger_position)s)."),
)
audit_action_register(
    "message.notifications_changed",
    label=_("Mailinstellingen Berichtencentrum gewijzigd"),
    sentence=_("Mailinstellingen van het Berichtencentrum gewijzigd."),
)
audit_action_register(
    "message.case_system_collected",
    label=_("Reacties opgehaald door het dossiersysteem"),
    sentence=_("%(count)s reactie(s) opgehaald door het dossiersysteem van het agentschap."),
)
audit_action_register(
    "message.reply_draft_kept",
    label=_("Reactie bewaard als concept"),
    sentence=_("Reactie in conversatie %(conversation)s bewaard als concept: %(files)s wacht op de virusscan."),
)
audit_action_register(
    "message.reply_draft_discarded",
    label=_("Concept-reactie verwijderd"),
    sentence=_("Concept-reactie in conversatie %(conversation)s verwijderd."),
)
