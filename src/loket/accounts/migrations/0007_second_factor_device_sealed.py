"""The back office's authenticator apps leave django-otp's TOTP table, where their keys are hex in clear, for the
Loket's own device table, where each key is sealed (`loket.accounts.second_factor_keys`, ASVS 2.8.2). Every row is
moved with its state (confirmed, last used time step, drift, back-off), so a person signs in with the same app as
before; the old rows are deleted, so no clear key is left behind in the table. Reversible: going back opens every seal
(with any configured key) into django-otp's table again."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATE = (
    "user_id",
    "name",
    "confirmed",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "last_used_at",
)


def seal_devices(apps, schema_editor):  # type: ignore[no-untyped-def]
    from binascii import unhexlify

    from loket.accounts.second_factor_keys import app_key_seal

    alias = schema_editor.connection.alias
    Plain = apps.get_model("otp_totp", "TOTPDevice")
    Sealed = apps.get_model("accounts", "SecondFactorDevice")
    for plain in Plain.objects.using(alias).order_by("pk"):
        sealed = Sealed.objects.using(alias).create(
            sealed_key=app_key_seal(unhexlify(plain.key)), **{name: getattr(plain, name) for name in STATE}
        )
        Sealed.objects.using(alias).filter(pk=sealed.pk).update(created_at=plain.created_at)  # not the move's time
    Plain.objects.using(alias).all().delete()


def unseal_devices(apps, schema_editor):  # type: ignore[no-untyped-def]
    from binascii import hexlify

    from loket.accounts.second_factor_keys import SealUnreadable, app_key_unseal

    alias = schema_editor.connection.alias
    Plain = apps.get_model("otp_totp", "TOTPDevice")
    Sealed = apps.get_model("accounts", "SecondFactorDevice")
    for sealed in Sealed.objects.using(alias).order_by("pk"):
        try:
            key = app_key_unseal(sealed.sealed_key)
        except SealUnreadable as error:  # never the key in the message; the row's id says which
            raise RuntimeError(f"Second factor device {sealed.pk}: {error}") from error
        plain = Plain.objects.using(alias).create(
            key=hexlify(key).decode("ascii"), **{name: getattr(sealed, name) for name in STATE}
        )
        Plain.objects.using(alias).filter(pk=plain.pk).update(created_at=sealed.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_signed_in_sessions"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="SecondFactorDevice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="The human-readable name of this device.", max_length=64)),
                ("confirmed", models.BooleanField(default=True, help_text="Is this device ready for use?")),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(default=0, help_text="Number of successive failed attempts."),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="The date and time when this device was initially created in the system.",
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True, help_text="The most recent date and time this device was used.", null=True
                    ),
                ),
                ("sealed_key", models.TextField(editable=False, verbose_name="sleutel (versleuteld)")),
                ("step", models.PositiveSmallIntegerField(default=30)),
                ("t0", models.BigIntegerField(default=0)),
                ("digits", models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)),
                ("tolerance", models.PositiveSmallIntegerField(default=1)),
                ("drift", models.SmallIntegerField(default=0)),
                ("last_t", models.BigIntegerField(default=-1)),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "app voor de tweede aanmeldstap",
                "verbose_name_plural": "apps voor de tweede aanmeldstap",
                "abstract": False,
            },
        ),
        migrations.RunPython(seal_devices, unseal_devices),
    ]
