from django.urls import path

from loket.personnel import views

app_name = "personnel"

urlpatterns = [
    path("personeelsbeheer/", views.overview, name="overview"),
    path("personeelsbeheer/<int:year>/", views.table, name="table"),
    path("personeelsbeheer/<int:year>/wijzigingen/", views.changes, name="changes"),
    path("personeelsbeheer/reeksen/<uuid:slice>/cellen/<int:cell>/", views.cell_save, name="cell"),
    path(
        "personeelsbeheer/bevestigingen/<uuid:confirmation>/ontvangstbewijs.<str:fmt>",
        views.receipt,
        name="receipt",
    ),
    path("personeelsbeheer/abb/", views.agency_periods, name="agency"),
    path("personeelsbeheer/abb/<int:year>/", views.agency_period, name="agency-period"),
    path("personeelsbeheer/abb/<int:year>/csv/", views.agency_csv, name="agency-csv"),
    path("personeelsbeheer/open-data/<int:year>/", views.open_data, name="open-data"),
]
