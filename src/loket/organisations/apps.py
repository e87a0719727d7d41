from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "loket.organisations"
    label = "organisations"
    verbose_name = _("Besturen")

    def ready(self) -> None:
        from loket.organisations import rdf  # noqa: F401 - registers the RDF mapping
        from loket.organisations.naming import connect_signals

        connect_signals()
