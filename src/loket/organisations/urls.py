from django.urls import path

from loket.organisations import views
from loket.organisations.views import ORGANISATION_URI_KINDS

app_name = "organisations"

urlpatterns = [
    path(f"id/{kind}/<str:key>", views.organisation_resource, {"kind": kind}, name=f"resource-{kind}")
    for kind in ORGANISATION_URI_KINDS
] + [path("id/werkingsgebieden/<uuid:key>", views.werkingsgebied_resource, name="werkingsgebied")]
