"""The daily mail to subscribed receivers of worship decisions: what was delivered to them since the last mail
(not what they sent themselves), with a link to each in their supervisor inbox. Run daily from cron
(`manage.py worship mail`, the real service mails at 10:00)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.tasks import send_email
from loket.organisations.naming import display_name
from loket.supervision.selectors import received_since
from loket.worship.models import MailSubscription


@transaction.atomic
def daily_mail_send() -> int:
    """One mail per active subscription with new decisions; returns how many mails were enqueued."""
    now = timezone.now()
    sent = 0
    subscriptions = (
        MailSubscription.objects.select_for_update(of=("self",)).filter(is_active=True).select_related("organisation")
    )
    for subscription in subscriptions:
        since = subscription.last_sent_at or now - timedelta(days=1)
        decisions = list(received_since(subscription.organisation, since)[:500])
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at"])
        if not decisions:
            continue
        lines = [
            f"- {d.document_type.label} — {display_name(d.organisation)} — "
            f"{timezone.localtime(d.sent_at):%d-%m-%Y %H:%M}\n  {settings.LOKET_SITE_URL}"
            f"{reverse('supervision:inbox-detail', args=[d.uuid])}"
            for d in decisions
        ]
        body = _("Nieuwe besluiten van erediensten voor %(organisation)s:") % {
            "organisation": display_name(subscription.organisation)
        }
        send_email.enqueue(
            to=[subscription.email],
            subject=_("Loket: %(count)s nieuwe besluiten van erediensten") % {"count": len(decisions)},
            body=body + "\n\n" + "\n".join(lines) + "\n",
        )
        audit_record(
            action="worship.daily_mail_sent",
            organisation=subscription.organisation,
            email=subscription.email,
            count=len(decisions),
        )
        sent += 1
    return sent
