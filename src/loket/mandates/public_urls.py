from django.urls import path

from loket.mandates import public_views

app_name = "mandates-public"

# /id/bestuursorganen/ is served by Toezicht's governing bodies (included first).
KINDS = ["mandatarissen", "mandaten", "fracties"]

urlpatterns = [
    *(path(f"id/{kind}/<uuid:key>", public_views.resource, {"kind": kind}, name=f"resource-{kind}") for kind in KINDS),
    path("id/concept/Bestuursperiode/<uuid:key>", public_views.period_resource, name="resource-period"),
]
