"""The audit trail's words for the kernel: the register's content checks."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register

audit_action_register(
    "ledger.content_verified",
    label=_("Register en inhoud gecontroleerd"),
    sentence=_(
        "Register gecontroleerd (keten in orde: %(chain_ok)s); inhoud van %(checked)s verzonden inzendingen "
        "herberekend, %(mismatches)s wijken af: %(subjects)s"
    ),
)
audit_action_register(
    "core.virus_found",
    label=_("Virus gevonden"),
    sentence=_("Bestand %(bestand)s geweigerd (%(bron)s): de virusscanner vond %(signature)s; SHA-256 %(sha256)s"),
)
audit_action_register(
    "security.alert",
    label=_("Beveiligingsmelding"),
    sentence=_("Limiet %(kind)s overschreden door %(client)s (%(limit)s per %(window)s s): gemeld aan de beheerders."),
)
