from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "loket.supervision"
    label = "supervision"
    verbose_name = _("Toezicht")

    def ready(self) -> None:
        from loket.supervision import integrity, rdf, tasks  # noqa: F401 - RDF mapping, recovery, content check
        from loket.supervision.channel import register_channel_switch_participant

        register_channel_switch_participant()
