"""The audit trail's words for BBC-DR."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register

audit_action_register(
    "bbcdr.created",
    label=_("BBC-DR-rapport aangemaakt"),
    sentence=_("BBC-DR-concept %(report)s aangemaakt met %(files)s."),
)
audit_action_register(
    "bbcdr.files_added", label=_("BBC-DR-bestand toegevoegd"), sentence=_("%(files)s toegevoegd aan %(report)s.")
)
audit_action_register(
    "bbcdr.file_replaced",
    label=_("BBC-DR-bestand vervangen"),
    sentence=_("%(previous)s vervangen door %(file)s in %(report)s."),
)
audit_action_register(
    "bbcdr.file_deleted", label=_("BBC-DR-bestand verwijderd"), sentence=_("%(file)s verwijderd uit %(report)s.")
)
audit_action_register(
    "bbcdr.deleted",
    label=_("BBC-DR-concept verwijderd"),
    sentence=_("BBC-DR-concept %(report)s verwijderd met %(files)s."),
)
audit_action_register(
    "bbcdr.sent",
    label=_("BBC-DR-rapport verstuurd"),
    sentence=_("BBC-DR-rapport %(report)s verstuurd (registerpositie %(ledger_position)s)."),
)
audit_action_register(
    "bbcdr.delivery_failed",
    label=_("BBC-DR-aflevering definitief mislukt"),
    sentence=_("Aflevering van %(report)s definitief mislukt na %(attempts)s pogingen: %(error)s"),
)
audit_action_register(
    "bbcdr.offered_again",
    label=_("BBC-DR-pakket opnieuw aangeboden"),
    sentence=_("Pakket van %(report)s opnieuw aangeboden (was: %(previous)s). Reden: %(reason)s"),
)
audit_action_register(
    "bbcdr.reopened",
    label=_("BBC-DR-rapport heropend"),
    sentence=_("Rapport %(report)s heropend door het agentschap (nieuw concept %(correction)s). Reden: %(reason)s"),
)
