from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "loket.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from loket.core.linkeddata import incoming_provider_register, published_file_register
        from loket.opendata import codelists, feed, tombstones  # noqa: F401 - codelists: the dataset's mapping
        from loket.opendata.incoming import incoming
        from loket.opendata.sync_views import provided_file

        feed.connect()  # after every module's rdf.py registered its mappings (apps listed before this one)
        tombstones.connect()  # a deleted public resource answers 410 with its tombstone
        published_file_register(provided_file)  # delta files and dumps under /files/<id>/download
        incoming_provider_register(incoming)  # what points to a resource, on its HTML page
