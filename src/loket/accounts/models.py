"""Users, their memberships of organisations with roles, and self-registration requests.

A person acts for one organisation at a time. `Membership` holds the roles a user has at one organisation;
it is created by an approved `AccessRequest` (zelfregistratie), by the identity provider's role claim, or by the
development login, and it is ended (never deleted) when access is revoked. A back-office person's authenticator app
is a `SecondFactorDevice`, its key sealed.
"""

import time
from base64 import b32encode
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from loket.accounts.roles import Role


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp has no stubs: SecondFactorDevice.user
    """A person (gebruiker). `subject` is the identity provider's stable id for them."""

    subject = models.CharField(_("identiteit (sub)"), max_length=255, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """Bestuurslid: a user's access to one organisation, with roles."""

    class Source(models.TextChoices):
        REQUEST = "request", _("goedgekeurde aanvraag")
        TOKEN = "token", _("identiteitsprovider")
        DEVELOPMENT = "dev", _("ontwikkelaanmelding")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("gebruiker")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bestuur")
    )
    source = models.CharField(max_length=16, choices=Source.choices, verbose_name=_("bron"))
    is_active = models.BooleanField(_("actief"), default=True)
    granted_at = models.DateTimeField(_("toegekend op"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("toegekend door"),
    )
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("beëindigd door"),
    )
    end_reason = models.CharField(_("reden beëindiging"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(is_active=True),
                name="one_active_membership_per_user_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    @property
    def role_codes(self) -> list[str]:
        return sorted(role.role for role in self.roles.all())


class MembershipRole(models.Model):
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="roles", verbose_name=_("lidmaatschap")
    )
    role = models.CharField(max_length=32, choices=Role.choices, verbose_name=_("rol"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "role"], name="unique_role_per_membership")]

    def __str__(self) -> str:
        return self.get_role_display()


class AccessRequest(models.Model):
    """Zelfregistratie: a person asks for roles at an organisation; an access manager decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("In behandeling")
        APPROVED = "approved", _("Goedgekeurd")
        REFUSED = "refused", _("Geweigerd")
        CANCELLED = "cancelled", _("Vervallen")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests", verbose_name=_("gebruiker")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="access_requests",
        verbose_name=_("bestuur"),
    )
    first_name = models.CharField(_("voornaam"), max_length=150)
    last_name = models.CharField(_("familienaam"), max_length=150)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    job_title = models.CharField(_("functie"), max_length=150, blank=True)
    roles = models.JSONField(_("gevraagde rollen"), default=list)
    granted_roles = models.JSONField(_("toegekende rollen"), default=list, blank=True)
    reason = models.CharField(_("reden"), max_length=500)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("aangevraagd op"))
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("beslist door"),
    )
    decision_reason = models.CharField(_("motivering"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("toegangsaanvraag")
        verbose_name_plural = _("toegangsaanvragen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_request_per_user_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} → {self.organisation}"

    def role_labels(self) -> list[str]:
        return role_labels(self.roles)

    def granted_role_labels(self) -> list[str]:
        return role_labels(self.granted_roles)

    def refused_role_labels(self) -> list[str]:
        """Asked for but not granted (the approver may grant fewer roles than asked)."""
        if self.status != self.Status.APPROVED:
            return []
        return role_labels([code for code in self.roles if code not in self.granted_roles])


def role_labels(codes: list[str]) -> list[str]:
    return [str(Role(code).label) for code in codes if code in Role.values]


class SignedInSession(models.Model):
    """Aanmelding: one browser session a user signed in with (OpenID Connect, the back office's password or the
    development login), listed on "Mijn sessies" so that they can end one they do not recognise (ASVS 3.3.4). The
    session itself lives in Django's session store; this row only names it. Rows whose session is gone (logged out,
    expired, ended) are removed when the list is read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
        verbose_name=_("gebruiker"),
    )
    session_key = models.CharField(_("sessiesleutel"), max_length=64, unique=True)
    started_at = models.DateTimeField(_("aangemeld op"))
    method = models.CharField(_("aanmeldwijze"), max_length=20)
    address = models.CharField(_("adres"), max_length=64, blank=True)
    browser = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"


class SecondFactorDevice(TimestampMixin, ThrottlingMixin, Device):
    """App voor de tweede aanmeldstap: a back-office person's authenticator app (TOTP, RFC 6238) on django-otp's
    building blocks (its device, back-off after wrong codes and RFC 6238 arithmetic), with the shared key sealed
    (`accounts/second_factor_keys.py`, ASVS 2.8.2) where django-otp's TOTP device keeps it in clear. `last_t` is the
    time step of the last accepted code: only a later one is accepted (the replay guard); `drift` follows the app's
    clock within `tolerance` steps."""

    sealed_key = models.TextField(_("sleutel (versleuteld)"), editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("app voor de tweede aanmeldstap")
        verbose_name_plural = _("apps voor de tweede aanmeldstap")

    @property
    def bin_key(self) -> bytes:
        """The key in clear, in memory only; SealUnreadable when no configured secret opens it."""
        from loket.accounts.second_factor_keys import app_key_unseal

        return app_key_unseal(self.sealed_key)

    def verify_token(self, token: object) -> bool:
        """Whether `token` is a code of this app later than the last accepted one (saved as the new last one), as
        django-otp's TOTP device decides; a wrong code counts for the back-off. SealUnreadable propagates before
        anything is counted: an unreadable key is not the person's wrong code."""
        allowed, _why = self.verify_is_allowed()
        if not allowed:
            return False
        key = self.bin_key
        try:
            code = int(str(token))
        except ValueError:
            verified = False
        else:
            totp = TOTP(key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(code, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                if getattr(settings, "OTP_TOTP_SYNC", True):
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return bool(verified)

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))

    @property
    def config_url(self) -> str:
        """The otpauth:// address of the set-up QR code (Google's Key Uri Format), with the key: never stored."""
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "")).replace(":", "")
        label = f"{issuer}:{self.user.get_username()}" if issuer else self.user.get_username()
        params = {"secret": b32encode(self.bin_key).decode("ascii"), "algorithm": "SHA1", "digits": self.digits}
        query = urlencode({**params, "period": self.step}) + (f"&issuer={quote(issuer)}" if issuer else "")
        return f"otpauth://totp/{quote(label)}?{query}"
