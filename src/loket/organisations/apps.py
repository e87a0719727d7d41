from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "loket.organisations"
    label = "organisations"
    verbose_name = "Besturen"

    def ready(self) -> None:
        from loket.organisations import rdf  # noqa: F401 - registers the RDF mapping
        from loket.organisations.naming import connect_signals

        connect_signals()
