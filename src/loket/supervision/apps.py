from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "loket.supervision"
    label = "supervision"
    verbose_name = "Toezicht"

    def ready(self) -> None:
        from loket.supervision import rdf, tasks  # noqa: F401 - register the RDF mapping and the recovery
