"""Mail to bodies: one mail per body to the addresses of its members with role subsidies, through the core e-mail
task, enqueued inside the transaction that decides it (it exists exactly when the decision commits)."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from loket.accounts.roles import Role
from loket.accounts.selectors import role_holder_emails
from loket.core.tasks import send_email
from loket.organisations.models import Organisation


def addresses_of(organisation_ids: list[int]) -> dict[int, list[str]]:
    return role_holder_emails(organisation_ids, Role.SUBSIDIES)


def mail_bodies(bodies: Iterable[Organisation], *, subject: str, lines: list[str]) -> int:
    """Queue one mail per body that has addresses; returns how many were queued."""
    ids = sorted({body.pk for body in bodies})
    link = settings.LOKET_SITE_URL.rstrip("/") + reverse("subsidies:list")
    body = "\n".join([_("Beste,"), "", *lines, "", _("Bekijk uw dossiers: %(link)s") % {"link": link}])
    queued = 0
    for to in addresses_of(ids).values():
        send_email.enqueue(to=to, subject=subject, body=body)
        queued += 1
    return queued
