from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "loket.accounts"
    label = "accounts"
    verbose_name = "Gebruikers en toegang"
