from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "loket.reports"
    label = "reports"
    verbose_name = _("BBC-DR")

    def ready(self) -> None:
        from loket.reports import audit_actions, integrity, rdf, recovery  # noqa: F401 - registrations
        from loket.reports.checks import prepare_schema_types

        prepare_schema_types()
