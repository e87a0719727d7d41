"""The audit trail's words for the kernel: the register's content checks."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import always, audit_action_register

audit_action_register(
    "ledger.content_verified",
    label=_("Register en inhoud gecontroleerd"),
    sentence=_(
        "Register gecontroleerd (keten in orde: %(chain_ok)s); inhoud van %(checked)s verzonden inzendingen "
        "herberekend, %(mismatches)s wijken af: %(subjects)s"
    ),
    alert=lambda details: bool(details.get("mismatches")) or details.get("chain_ok") is False,
)
audit_action_register(
    "ledger.key_rotated",
    label=_("Ondertekeningssleutel vervangen"),
    sentence=_(
        "De sleutel die het register en de ontvangstbewijzen ondertekent is vervangen: %(old_key)s uit dienst, "
        "%(new_key)s in dienst. Reden: %(reason)s"
    ),
)
audit_action_register(
    "core.virus_found",
    label=_("Virus gevonden"),
    sentence=_("Bestand %(bestand)s geweigerd (%(bron)s): de virusscanner vond %(signature)s; SHA-256 %(sha256)s"),
    alert=always,
)
audit_action_register(
    "core.quota_exceeded",
    label=_("Opslagquotum bereikt"),
    sentence=_(
        "Bestand %(bestand)s (%(grootte)s bytes, %(bron)s) geweigerd: de grens per %(grens)s van %(max_bestanden)s "
        "bestanden of %(max_bytes)s bytes per %(uren)s uur was bereikt (al %(bestanden)s bestanden, %(bytes)s bytes)."
    ),
    words={"grens": lambda value: str(_("bestuur") if value == "bestuur" else _("gebruiker"))},
)
audit_action_register(
    "quota.purged",
    label=_("Opslagquotum opgeruimd"),
    sentence=_("%(count)s telling(en) van opgeslagen bestanden ouder dan het venster van %(hours)s uur verwijderd."),
)
audit_action_register(
    "security.alert",
    label=_("Beveiligingsmelding"),
    sentence=_("Limiet %(kind)s overschreden door %(client)s (%(limit)s per %(window)s s): gemeld aan de beheerders."),
)
audit_action_register(
    "security.clock_skew",
    label=_("Klok wijkt af"),
    sentence=_(
        "De tijdstempeldienst %(source)s liep %(seconds)s s %(direction)s de klok van de server: "
        "gemeld aan de beheerders."
    ),
    words={"direction": lambda value: str(_("voor op") if value == "ahead" else _("achter op"))},
)
audit_action_register(
    "tasks.purged",
    label=_("Takenlijst opgeruimd"),
    sentence=_(
        "%(count)s afgewerkte achtergrondta(a)k(en) verwijderd: geslaagd meer dan %(days)s dagen geleden of mislukt "
        "meer dan %(failed_days)s dagen geleden (bewaartermijn; 0 = bewaard)."
    ),
)
audit_action_register(
    "audit.pseudonymised",
    label=_("Auditspoor gepseudonimiseerd"),
    sentence=_(
        "In %(count)s gebeurtenis(sen) van meer dan %(days)s dagen geleden de adressen ingekort tot hun netwerk en "
        "de getypte gebruikersnamen gewist (bewaartermijn)."
    ),
)
audit_action_register(
    "backup.pruned",
    label=_("Back-ups opgeruimd"),
    sentence=_(
        "%(count)s back-up(s) van meer dan %(days)s dagen oud verwijderd, de nieuwste %(keep)s altijd bewaard "
        "(bewaartermijn; 0 dagen = alle bewaard)."
    ),
)
