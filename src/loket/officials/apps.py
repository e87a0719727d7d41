from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialsConfig(AppConfig):
    name = "loket.officials"
    label = "officials"
    verbose_name = _("Leidinggevendenbeheer")

    def ready(self) -> None:
        from loket.officials import audit_actions, rdf  # noqa: F401 - registrations
