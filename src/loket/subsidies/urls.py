from django.urls import path

from loket.subsidies import views
from loket.subsidies.resources import KINDS

app_name = "subsidies"

urlpatterns = [
    path("subsidiebeheer/", views.dossier_list, name="list"),
    path("subsidiebeheer/reeksen/<uuid:call>/starten/", views.dossier_start, name="start"),
    path("subsidiebeheer/dossiers/<uuid:dossier>/", views.dossier_detail, name="dossier"),
    path("subsidiebeheer/dossiers/<uuid:dossier>/verwijderen/", views.dossier_delete, name="delete"),
    path("subsidiebeheer/dossiers/<uuid:dossier>/stappen/<uuid:step>/", views.step_page, name="step"),
    path(
        "subsidiebeheer/dossiers/<uuid:dossier>/stappen/<uuid:step>/ontvangstbewijs.<str:fmt>",
        views.receipt,
        name="receipt",
    ),
    path("subsidiebeheer/abb/", views.agency_calls, name="agency"),
    path("subsidiebeheer/abb/reeksen/<uuid:call>/", views.agency_call, name="agency-call"),
    path("subsidiebeheer/abb/reeksen/<uuid:call>/csv/", views.agency_csv, name="agency-csv"),
    path("subsidiebeheer/abb/reeksen/<uuid:call>/verlengen/", views.agency_extend, name="agency-extend"),
    path("subsidiebeheer/abb/reeksen/<uuid:call>/stap-toevoegen/", views.agency_append, name="agency-append"),
    path("subsidiebeheer/abb/dossiers/<uuid:dossier>/", views.agency_dossier, name="agency-dossier"),
    path("subsidiebeheer/abb/dossiers/<uuid:dossier>/heropenen/", views.agency_reopen, name="agency-reopen"),
    path("subsidiebeheer/open-data/", views.open_data, name="open-data"),
    path("id/subsidy-form-versions/<uuid:resource>", views.form_version_turtle, name="form-version"),
    *[path(f"id/{kind}/<uuid:resource>", views.resource, {"kind": kind}, name=f"resource-{kind}") for kind in KINDS],
    path("id/subsidy-measure-offer-series/<uuid:resource>/periode", views.call_period, name="resource-call-period"),
]
