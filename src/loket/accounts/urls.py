from django.urls import path

from loket.accounts.views import managers, pages, self_service, sign_in

app_name = "accounts"

urlpatterns = [
    path("", pages.home, name="home"),
    path("aanmelden/", sign_in.login_page, name="login"),
    path("aanmelden/oidc/", sign_in.oidc_start, name="oidc-start"),
    path("authorization/callback", sign_in.oidc_callback, name="oidc-callback"),
    path("aanmelden/ontwikkeling/", sign_in.dev_login, name="dev-login"),
    path("afmelden/", sign_in.logout_view, name="logout"),
    path("aanmelden/bevestigen/", sign_in.confirm_identity, name="confirm-identity"),
    path("aanmelden/bevestigen/verder/", sign_in.confirm_continue, name="confirm-continue"),
    path("bestuur-wisselen/", pages.switch_organisation, name="switch"),
    path("modules/<slug:code>/", pages.module_page, name="module"),
    path("simulatie/", pages.simulation_page, name="simulation"),
    path("simulatie/stoppen/", pages.simulation_stop_view, name="simulation-stop"),
    path("toegang-aanvragen/", self_service.registration_search, name="registration-search"),
    path("toegang-aanvragen/<str:key>/", self_service.registration_form, name="registration-form"),
    path("mijn-aanvragen/", self_service.my_requests, name="my-requests"),
    path("mijn-sessies/", self_service.my_sessions, name="sessions"),
    path("mijn-gegevens/", self_service.my_data, name="my-data"),
    path("mijn-gegevens/downloaden/", self_service.my_data_download, name="my-data-download"),
    path("mijn-aanvragen/<int:pk>/", self_service.request_detail, name="request-detail"),
    path("toegangsbeheer/", managers.manager_requests, name="manager-requests"),
    path("toegangsbeheer/aanvragen/<int:pk>/", managers.manager_decide, name="manager-decide"),
    path("toegangsbeheer/besturen/<str:key>/leden/", managers.manager_members, name="manager-members"),
    path("toegangsbeheer/besturen/<str:key>/leden/alle-stopzetten/", managers.manager_end_all, name="manager-end-all"),
    path(
        "toegangsbeheer/lidmaatschappen/<int:pk>/stopzetten/",
        managers.manager_end_membership,
        name="manager-end-membership",
    ),
]
