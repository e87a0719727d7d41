from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "loket.personnel"
    label = "personnel"
    verbose_name = _("Personeelsbeheer")

    def ready(self) -> None:
        from loket.personnel import audit_actions, integrity, rdf  # noqa: F401 - registrations
