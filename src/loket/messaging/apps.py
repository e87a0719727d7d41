from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "loket.messaging"
    label = "messaging"
    verbose_name = _("Berichtencentrum")

    def ready(self) -> None:
        from loket.messaging import audit_actions, integrity, rdf, recovery  # noqa: F401 - registrations
