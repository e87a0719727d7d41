from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "loket.mandates"
    label = "mandates"
    verbose_name = _("Mandatenbeheer")

    def ready(self) -> None:
        from loket.core.linkeddata import resource_describer_register
        from loket.mandates import rdf  # registers the RDF mappings

        # Toezicht dereferences /id/bestuursorganen/…; the organs-in-time pages get our binding dates and mandates.
        resource_describer_register(rdf.organ_describe)
        from loket.mandates.ratification import submission_ratify
        from loket.supervision.services import submission_delivery_hook_register

        # A decision with mandaat:bekrachtigtAanstellingVan ratifies its holders when it is delivered.
        submission_delivery_hook_register(submission_ratify)
