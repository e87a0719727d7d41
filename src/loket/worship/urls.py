from django.urls import path

from loket.worship import views
from loket.worship.views import RESOURCE_KINDS

app_name = "worship"

urlpatterns = [
    *[path(f"id/{kind}/<str:key>", views.resource, {"kind": kind}, name=f"resource-{kind}") for kind in RESOURCE_KINDS],
]
