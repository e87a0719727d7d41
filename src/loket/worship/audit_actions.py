"""The audit trail's words for worship: units, involvements, the nightly report."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register

audit_action_register(
    "worship.units_synced",
    label=_("Eredienstbesturen aangemaakt"),
    sentence=_("%(count)s eredienstbesturen aangemaakt voor de ingelezen besturen."),
)
audit_action_register(
    "worship.unit_changed",
    label=_("Eredienstbestuur gewijzigd"),
    sentence=_("Eredienstbestuur %(unit)s gewijzigd: %(before)s → %(after)s."),
)
audit_action_register(
    "worship.involvements_changed",
    label=_("Betrokken lokale besturen gewijzigd"),
    sentence=_(
        "Betrokken lokale besturen van %(unit)s gewijzigd: %(before)s → %(after)s (bevestigd niet actief: "
        "%(confirmed_inactive)s)."
    ),
)
audit_action_register(
    "worship.involvement_report",
    label=_("Rapport betrokken besturen opgemaakt"),
    sentence=_(
        "Rapport %(report)s over de betrokken besturen: %(units)s besturen nagekeken, %(problems)s met problemen."
    ),
)
audit_action_register(
    "worship.redispatched",
    label=_("Besluiten opnieuw verdeeld"),
    sentence=_(
        "De %(decisions)s besluiten van %(unit)s opnieuw verdeeld na een wijziging (%(reason)s): %(added)s ontvangers "
        "bij, %(removed)s eraf."
    ),
)
audit_action_register(
    "worship.dispatch_rule_changed",
    label=_("Verdeelregel gewijzigd"),
    sentence=_("Verdeelregel %(rule)s %(change)s: %(after)s."),
)
audit_action_register(
    "worship.position_created",
    label=_("Positie bedienaar aangemaakt"),
    sentence=_("Positie %(position)s (%(function)s) aangemaakt bij %(unit)s."),
)
audit_action_register(
    "worship.daily_mail_sent",
    label=_("Dagelijkse mail erediensten verstuurd"),
    sentence=_("Dagelijkse mail met %(count)s nieuwe besluiten van erediensten naar %(email)s."),
)
audit_action_register(
    "worship.board_member_saved",
    label=_("Bestuurslid bewaard"),
    sentence=_("Bestuurslid %(member)s bewaard (%(mandate)s; nieuw: %(created)s)."),
)
audit_action_register(
    "worship.board_member_hidden",
    label=_("Bestuurslid verborgen of opnieuw getoond"),
    sentence=_("Bestuurslid %(member)s: %(before)s → %(after)s (%(comment)s)."),
)
audit_action_register(
    "worship.minister_saved",
    label=_("Bedienaar bewaard"),
    sentence=_("Bedienaar %(minister)s bewaard (%(function)s; nieuw: %(created)s)."),
)
audit_action_register(
    "worship.contact_purged",
    label=_("Contactgegevens van bestuursleden en bedienaren gewist"),
    sentence=_(
        "De contactgegevens van %(members)s bestuursle(e)d(en) en %(ministers)s bedienaar/bedienaren gewist: hun "
        "mandaat of functie eindigde meer dan %(days)s dagen geleden (bewaartermijn)."
    ),
)
