from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    name = "loket.persons"
    label = "persons"
    verbose_name = _("Personen")

    def ready(self) -> None:
        from loket.persons import audit_actions, checks, rdf  # noqa: F401 - registers audit words, checks, RDF mapping
