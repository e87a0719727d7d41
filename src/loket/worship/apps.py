from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorshipConfig(AppConfig):
    name = "loket.worship"
    label = "worship"
    verbose_name = _("Erediensten")

    def ready(self) -> None:
        from loket.supervision.services import submission_delivery_hook_register
        from loket.worship import audit_actions, rdf, tasks  # noqa: F401 - audit words, RDF mappings, tasks
        from loket.worship.dispatch import submission_dispatch

        submission_delivery_hook_register(submission_dispatch)
        from loket.worship.channel import register_channel_switch_participant

        register_channel_switch_participant()
