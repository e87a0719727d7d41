from django.contrib import admin
from django.urls import include, path

from loket.accounts.views import password_meter, sign_in

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("helpdesk/login/", sign_in.helpdesk_login, name="helpdesk-login"),
    path("helpdesk/login/code/", sign_in.helpdesk_login_code, name="helpdesk-login-code"),
    # Before the admin's own addresses, whose last one catches every other address under /helpdesk/.
    path("helpdesk/wachtwoordsterkte/", password_meter.password_strength_check, name="helpdesk-password-strength"),
    path("helpdesk/", admin.site.urls),
    path("", include("loket.organisations.urls")),
    path("", include("loket.accounts.urls")),
    path("", include("loket.supervision.urls")),
    path("", include("loket.messaging.urls")),
    path("", include("loket.officials.urls")),
    path("", include("loket.personnel.urls")),
    path("", include("loket.subsidies.urls")),
    path("", include("loket.core.urls")),
    path("", include("loket.vendors.urls")),
    path("", include("loket.worship.urls")),
    path("", include("loket.reports.urls")),
    path("", include("loket.opendata.urls")),
    path("mandaten/", include("loket.mandates.urls")),
    path("", include("loket.mandates.public_urls")),
]

handler403 = "loket.accounts.views.pages.permission_denied"
handler400 = "loket.core.views.bad_request"
handler404 = "loket.core.views.page_not_found"
handler500 = "loket.core.views.server_error"
