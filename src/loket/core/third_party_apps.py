"""Third-party apps in the Loket's words, named in INSTALLED_APPS by these configurations (kept out of apps.py, where
a second configuration would make Django's choice of the core app's configuration ambiguous)."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class LoketAdminConfig(AdminConfig):
    """The admin with the Loket's site (Dutch headers, messages with the right article)."""

    default_site = "loket.core.admin_site.LoketAdminSite"


class TasksConfig(TasksAppConfig):
    """django-tasks-db under a Dutch name in the back office (its models' own words: locale/nl)."""

    # django-tasks declares verbose_name as str; Django's AppConfig takes lazy text as well.
    verbose_name = _("Achtergrondtaken")  # type: ignore[assignment]


class TOTPConfig(AppConfig):
    """django-otp's TOTP devices, whose keys are hex in clear. The back office's apps live, sealed, in
    `accounts.SecondFactorDevice`; this app stays installed because the migration that moved them there (accounts
    0007, reversible) reads and empties its table. Its admin would show a device's key and QR code to every superuser:
    `accounts/admin.py` takes it off the site. A lost app is removed with `manage.py second_factor_reset`."""

    name = "django_otp.plugins.otp_totp"
    label = "otp_totp"
    default_auto_field = "django.db.models.AutoField"  # the plugin's migrations
    verbose_name = _("Tweede aanmeldstap")  # type: ignore[assignment]
