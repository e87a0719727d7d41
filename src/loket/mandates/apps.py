from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "loket.mandates"
    label = "mandates"
    verbose_name = _("Mandatenbeheer")

    def ready(self) -> None:
        from loket.mandates import rdf  # noqa: F401 - registers the RDF mappings
        from loket.mandates.ratification import submission_ratify
        from loket.supervision.services import submission_delivery_hook_register

        # A decision with mandaat:bekrachtigtAanstellingVan ratifies its holders when it is delivered.
        submission_delivery_hook_register(submission_ratify)
