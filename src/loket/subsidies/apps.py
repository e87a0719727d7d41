from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "loket.subsidies"
    label = "subsidies"
    verbose_name = _("Subsidiebeheer")

    def ready(self) -> None:
        from loket.subsidies import audit_actions, integrity, rdf  # noqa: F401 - registrations
