from django.urls import path

from loket.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("aanmelden/", views.login_page, name="login"),
    path("aanmelden/oidc/", views.oidc_start, name="oidc-start"),
    path("authorization/callback", views.oidc_callback, name="oidc-callback"),
    path("aanmelden/ontwikkeling/", views.dev_login, name="dev-login"),
    path("afmelden/", views.logout_view, name="logout"),
    path("aanmelden/bevestigen/", views.confirm_identity, name="confirm-identity"),
    path("bestuur-wisselen/", views.switch_organisation, name="switch"),
    path("modules/<slug:code>/", views.module_page, name="module"),
    path("simulatie/", views.simulation_page, name="simulation"),
    path("simulatie/stoppen/", views.simulation_stop_view, name="simulation-stop"),
    path("toegang-aanvragen/", views.registration_search, name="registration-search"),
    path("toegang-aanvragen/<str:key>/", views.registration_form, name="registration-form"),
    path("mijn-aanvragen/", views.my_requests, name="my-requests"),
    path("mijn-sessies/", views.my_sessions, name="sessions"),
    path("mijn-gegevens/", views.my_data, name="my-data"),
    path("mijn-gegevens/downloaden/", views.my_data_download, name="my-data-download"),
    path("mijn-aanvragen/<int:pk>/", views.request_detail, name="request-detail"),
    path("toegangsbeheer/", views.manager_requests, name="manager-requests"),
    path("toegangsbeheer/aanvragen/<int:pk>/", views.manager_decide, name="manager-decide"),
    path("toegangsbeheer/besturen/<str:key>/leden/", views.manager_members, name="manager-members"),
    path("toegangsbeheer/besturen/<str:key>/leden/alle-stopzetten/", views.manager_end_all, name="manager-end-all"),
    path(
        "toegangsbeheer/lidmaatschappen/<int:pk>/stopzetten/",
        views.manager_end_membership,
        name="manager-end-membership",
    ),
]
