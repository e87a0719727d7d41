from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "loket.accounts"
    label = "accounts"
    verbose_name = _("Gebruikers en toegang")

    def ready(self) -> None:
        from loket.accounts import step_up  # noqa: F401 - stamps every sign-in (Django's user_logged_in)
        from loket.accounts.services import register_channel_switch_participant

        register_channel_switch_participant()
