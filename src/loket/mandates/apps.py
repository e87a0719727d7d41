from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "loket.mandates"
    label = "mandates"
    verbose_name = _("Mandatenbeheer")

    def ready(self) -> None:
        from loket.mandates import rdf  # noqa: F401 - registers the RDF mappings
