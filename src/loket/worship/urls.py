from django.urls import path

from loket.worship import member_views, push, views
from loket.worship.views import RESOURCE_KINDS

app_name = "worship"

urlpatterns = [
    path("eredienst-mandatenbeheer/", member_views.member_list, name="members"),
    path("eredienst-mandatenbeheer/nieuw/", member_views.member_new, name="member-new"),
    path("eredienst-mandatenbeheer/<uuid:member>/", member_views.member_edit, name="member-edit"),
    path("eredienst-bedienarenbeheer/", member_views.minister_list, name="ministers"),
    path("eredienst-bedienarenbeheer/nieuw/", member_views.minister_new, name="minister-new"),
    path("eredienst-bedienarenbeheer/<uuid:minister>/", member_views.minister_edit, name="minister-edit"),
    path("toezichthouder/erediensten/", member_views.supervised_units, name="supervised-units"),
    path("toezichthouder/erediensten/<str:unit>/", member_views.supervised_unit, name="supervised-unit"),
    path("erediensten/platform/push", push.platform_push, name="platform-push"),
    *[path(f"id/{kind}/<str:key>", views.resource, {"kind": kind}, name=f"resource-{kind}") for kind in RESOURCE_KINDS],
]
