"""Users, their memberships of organisations with roles, and self-registration requests.

A person acts for one organisation at a time. `Membership` holds the roles a user has at one organisation;
it is created by an approved `AccessRequest` (zelfregistratie), by the identity provider's role claim, or by the
development login, and it is ended (never deleted) when access is revoked.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.accounts.roles import Role


class User(AbstractUser):
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
