from django.urls import path

from loket.reports import views

app_name = "reports"

urlpatterns = [
    path("bbcdr/", views.report_list, name="list"),
    path("bbcdr/nieuw/", views.report_new, name="new"),
    path("bbcdr/<uuid:report>/", views.report_detail, name="detail"),
    path("bbcdr/<uuid:report>/versturen/", views.report_send, name="send"),
    path("bbcdr/<uuid:report>/verwijderen/", views.report_delete, name="delete"),
    path("bbcdr/<uuid:report>/bestanden/<uuid:file>/", views.report_file, name="file"),
    path("bbcdr/<uuid:report>/bestanden/<uuid:file>/vervangen/", views.report_file_replace, name="file-replace"),
    path("bbcdr/<uuid:report>/bestanden/<uuid:file>/verwijderen/", views.report_file_delete, name="file-delete"),
    path("bbcdr/<uuid:report>/ontvangstbewijs.<str:fmt>", views.report_receipt_view, name="receipt"),
    path("bbcdr-abb/", views.agency_list, name="agency-list"),
    path("bbcdr-abb/export.csv", views.agency_csv, name="agency-csv"),
    path("bbcdr-abb/<uuid:report>/", views.agency_detail, name="agency-detail"),
    path("bbcdr-abb/<uuid:report>/bestanden/<uuid:file>/", views.agency_file, name="agency-file"),
    path("bbcdr-abb/<uuid:report>/heropenen/", views.agency_reopen, name="agency-reopen"),
    path("bbcdr-reports/<uuid:report>", views.report_resource, name="resource"),
]
