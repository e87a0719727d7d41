from django.urls import path

from loket.core import views

app_name = "core"

urlpatterns = [
    path("ontvangstbewijs/controleren/", views.receipt_check, name="receipt-check"),
    path("privacyverklaring/", views.privacy_notice, name="privacy"),
]
