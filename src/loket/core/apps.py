from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "loket.core"
    label = "core"
    verbose_name = _("Auditspoor en register")

    def ready(self) -> None:
        # Each module registers its audit actions (label and sentence) in its own audit_actions.py.
        autodiscover_modules("audit_actions")
        # Every module's tasks.py: its recoveries and re-runnable tasks register there (core.recovery).
        autodiscover_modules("tasks")
