from django.urls import path

from loket.mandates import views

app_name = "mandates"

urlpatterns = [
    path("", views.organ_list, name="organs"),
    path("fracties/", views.fractie_list, name="fracties"),
    path("importeren/", views.holder_import, name="import"),
    path("importeren/sjabloon.csv", views.import_template, name="import-template"),
    path("validatie/", views.validation_report, name="validation"),
    path("validatie/stilzetten/", views.validation_silence, name="validation-silence"),
    path("organen/<uuid:term>/", views.holder_list, name="holders"),
    path("organen/<uuid:term>/nieuw/", views.holder_new, name="holder-new"),
    path("organen/<uuid:term>/drafts-publiceren/", views.term_drafts_publish, name="drafts-publish"),
    path("mandatarissen/<uuid:holder>/", views.holder_detail, name="holder"),
    path("mandatarissen/<uuid:holder>/verwijderen/", views.holder_remove, name="holder-delete"),
    path("mandatarissen/<uuid:holder>/publicatie/", views.holder_publication, name="holder-publication"),
    path("mandatarissen/<uuid:holder>/ocmw/", views.holder_mirror_view, name="holder-mirror"),
    path("mandatarissen/<uuid:holder>/vervanging/", views.holder_replacement, name="holder-replace"),
]
