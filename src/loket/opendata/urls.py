from django.urls import path

from loket.opendata import sync_views, views

app_name = "opendata"

urlpatterns = [
    path("datasets", views.catalogue, name="catalogue"),
    path("datasets/<slug:dataset>/<slug:dump_kind>", views.dump, name="dump"),
    path("sparql", views.endpoint, name="sparql"),
    path("streams/ldes/<slug:dataset>", views.stream, name="stream"),
    path("sync/<slug:stream>/files", sync_views.files, name="sync-files"),
]
