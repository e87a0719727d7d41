from django.urls import path

from loket.supervision import resources, views

app_name = "supervision"

urlpatterns = [
    path("toezicht/", views.submission_list, name="list"),
    path("toezicht/nieuw/", views.submission_new, name="new"),
    path("toezicht/<uuid:submission>/", views.submission_edit, name="edit"),
    path("toezicht/<uuid:submission>/verwijderen/", views.submission_delete, name="delete"),
    path("toezicht/<uuid:submission>/corrigeren/", views.submission_correct, name="correct"),
    path("toezicht/<uuid:submission>/versturen/", views.submission_confirm, name="confirm"),
    path("toezicht/<uuid:submission>/formuliergegevens.nt", views.submission_form_data, name="form-data"),
    path("toezicht/<uuid:submission>/bestanden/<uuid:file>/", views.submission_file, name="file"),
    path("toezicht/<uuid:submission>/ontvangstbewijs.<str:fmt>", views.submission_receipt_view, name="receipt"),
    path("toezichthouder/inzendingen/", views.inbox, name="inbox"),
    path("toezichthouder/inzendingen/export.csv", views.inbox_export, name="inbox-export"),
    path("toezichthouder/inzendingen/<uuid:submission>/", views.inbox_detail, name="inbox-detail"),
    path("toezichthouder/inzendingen/<uuid:submission>/bestanden/<uuid:file>/", views.inbox_file, name="inbox-file"),
    path(
        "toezichthouder/inzendingen/<uuid:submission>/formuliergegevens.nt",
        views.inbox_form_data,
        name="inbox-form-data",
    ),
    path(
        "toezichthouder/inzendingen/<uuid:submission>/ontvangstbewijs.<str:fmt>",
        views.inbox_receipt,
        name="inbox-receipt",
    ),
    path("toezichthouder/inzendingen/<uuid:submission>/heropenen/", views.submission_reopen, name="reopen"),
    path("submissions/<uuid:submission>", views.submission_resource, name="resource"),
    # Every URI under our base that a published submission points to (open data).
    path("form-data/<uuid:key>", resources.form_data_resource, name="form-data-resource"),
    path("form-data/nodes/<uuid:key>", resources.form_data_node_resource, name="form-data-node-resource"),
    path("submission-documents/<uuid:key>", resources.document_resource, name="document-resource"),
    path("remote-url/<uuid:key>", resources.remote_url_resource, name="remote-url-resource"),
    path("files/<uuid:key>", resources.file_resource, name="file-resource"),
    path("files/<uuid:key>/download", resources.file_download, name="file-download"),
    path("id/bestuursorganen/<str:key>", resources.governing_body_resource, name="governing-body-resource"),
    path(
        "id/bestuursorganen/<str:key>/periode/<str:period>",
        resources.organ_in_time_resource,
        name="organ-in-time-resource",
    ),
    path("loket/forms/<str:version>", resources.form_resource, name="form-resource"),
]
