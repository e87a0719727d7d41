from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "loket.accounts"
    label = "accounts"
    verbose_name = "Gebruikers en toegang"

    def ready(self) -> None:
        from loket.accounts.services import register_channel_switch_participant

        register_channel_switch_participant()
