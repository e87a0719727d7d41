from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialsConfig(AppConfig):
    name = "loket.officials"
    label = "officials"
    verbose_name = _("Leidinggevendenbeheer")

    def ready(self) -> None:
        from loket.core.linkeddata import resource_describer_register
        from loket.officials import audit_actions, rdf  # noqa: F401 - registrations

        resource_describer_register(rdf.describe_function_organ)  # a function's organs on the organ page
