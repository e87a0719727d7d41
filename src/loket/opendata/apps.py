from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "loket.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from loket.opendata import feed

        feed.connect()  # after every module's rdf.py registered its mappings (apps listed before this one)
