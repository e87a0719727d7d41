"""The audit trail's words for Toezicht: concepts deleted, submissions sent, corrected and handled, and the
publication flag of document types."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register


def publication(is_public: bool) -> str:
    return str(_("voortaan openbaar gepubliceerd") if is_public else _("voortaan niet meer gepubliceerd"))


audit_action_register(
    "submission.deleted", label=_("Concept verwijderd"), sentence=_("Concept %(submission)s verwijderd.")
)
audit_action_register(
    "submission.sent",
    label=_("Inzending verstuurd"),
    sentence=_(
        "Inzending %(submission)s verstuurd (inhoudshash %(content_hash)s, positie %(ledger_position)s in het "
        "register van verzendingen)."
    ),
)
audit_action_register(
    "submission.correction_started",
    label=_("Verbetering begonnen"),
    sentence=_("Verbetering %(submission)s begonnen van inzending %(replaces)s."),
)
audit_action_register(
    "submission.reopened",
    label=_("Inzending heropend"),
    sentence=_("Inzending %(submission)s heropend door het agentschap (correctie %(correction)s). Reden: %(reason)s"),
)
audit_action_register(
    "submission.handled",
    label=_("Inzending behandeld"),
    sentence=_("Inzending %(submission)s behandeld, notitie: %(note)s"),
)
audit_action_register(
    "submission.handled_undone",
    label=_("Behandeling ongedaan gemaakt"),
    sentence=_(
        "Markering als behandeld van inzending %(submission)s ongedaan gemaakt (was behandeld door %(handled_by)s "
        "op %(handled_at)s, notitie: %(note)s)."
    ),
)
audit_action_register(
    "document_type.publication_changed",
    label=_("Publicatie van een type dossier gewijzigd"),
    sentence=_("Inzendingen van type %(document_type)s worden %(is_public)s."),
    words={"is_public": publication},
)
audit_action_register(
    "submission.file_refused",
    label=_("Download geweigerd: bestand gewijzigd"),
    sentence=_(
        "Download van %(file)s van inzending %(submission)s geweigerd: de inhoud komt niet overeen met de "
        "vastgelegde SHA-256 (%(problem)s)."
    ),
)
