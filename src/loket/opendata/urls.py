from django.urls import path

from loket.opendata import views

app_name = "opendata"

urlpatterns = [
    path("datasets", views.catalogue, name="catalogue"),
    path("datasets/<slug:dataset>/<slug:dump_kind>", views.dump, name="dump"),
    path("sparql", views.endpoint, name="sparql"),
    path("streams/ldes/<slug:dataset>", views.stream, name="stream"),
]
