"""The audit trail's words for Personeelsbeheer."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register

audit_action_register(
    "personnel.period_opened",
    label=_("Personeelsperiode geopend"),
    sentence=_("Personeelsperiode %(year)s geopend."),
)
audit_action_register(
    "personnel.figures_saved",
    label=_("Personeelsaantallen bewaard"),
    sentence=_("Personeelsaantallen %(year)s bewaard (%(cells)s cellen, versie %(version)s)."),
)
audit_action_register(
    "personnel.confirmed",
    label=_("Personeelsaantallen bevestigd"),
    sentence=_("Personeelsaantallen %(year)s bevestigd (versie %(version)s)."),
)
