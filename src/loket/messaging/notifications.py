"""Notification mails: one per new agency message to the body (when it asked for them), and one per reply to the
dossier handler at the agency. A `Notification` row per (message, audience) is made in the transaction that creates
the message, so a message is never mailed twice; the worker sends it through SMTP and retries when SMTP fails."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from loket.core.receipts import local_timestamp
from loket.messaging.models import Message, Notification, NotificationSetting

MAX_ATTEMPTS = 8


def _queue(message: Message, audience: str, to: list[str]) -> None:
    from loket.messaging.tasks import send_notification

    notification, created = Notification.objects.get_or_create(
        message=message, audience=audience, defaults={"to": to, "queued_at": timezone.now()}
    )
    if created:  # the queue row commits with the message: mailed exactly when the message exists
        send_notification.enqueue(notification_id=notification.pk)


def notify_body_of(message: Message) -> None:
    setting = NotificationSetting.objects.filter(organisation_id=message.recipient_id, is_enabled=True).first()
    if setting is not None and setting.addresses:
        _queue(message, "body", list(setting.addresses))


def notify_handler_of(message: Message) -> None:
    conversation = message.conversation
    if conversation.handler_email:
        _queue(message, "handler", [conversation.handler_email])


def subject_of(message: Message) -> str:
    conversation = message.conversation
    return f"Dossier {conversation.dossier_number}: '{conversation.subject}' - Nieuw bericht: {message.kind}"


def body_of(notification: Notification, message: Message) -> str:
    conversation = message.conversation
    base = settings.LOKET_SITE_URL.rstrip("/")
    with override("nl"):
        if notification.audience == "handler":
            link = base + reverse("messaging:agency-detail", args=[conversation.uuid])
            lines = [
                _("%(body)s reageerde in het Berichtencentrum.") % {"body": conversation.organisation.name},
                "",
                _("Dossiernummer: %(nr)s") % {"nr": conversation.dossier_number},
                _("Betreft: %(subject)s") % {"subject": conversation.subject},
                _("Verzonden op: %(at)s") % {"at": local_timestamp(message.sent_at)},
                "",
                _("Bekijk de reactie: %(link)s") % {"link": link},
            ]
        else:
            link = base + reverse("messaging:detail", args=[conversation.uuid])
            lines = [
                _("Beste,"),
                "",
                _(
                    "%(body)s ontving een nieuw bericht in de module Berichtencentrum van het Loket voor Lokale "
                    "Besturen."
                )
                % {"body": conversation.organisation.name},
                "",
                _("Dossiernummer: %(nr)s") % {"nr": conversation.dossier_number},
                _("Betreft: %(subject)s") % {"subject": conversation.subject},
                _("Type communicatie: %(type)s") % {"type": message.kind},
                _("Verzonden door het Agentschap Binnenlands Bestuur op %(at)s")
                % {"at": local_timestamp(message.sent_at)},
                "",
                _("Bekijk het nieuwe bericht: %(link)s") % {"link": link},
                "",
                _("Reageer via 'Plaats reactie' in het Loket; op deze mail antwoorden kan niet."),
            ]
    return "\n".join(lines)


def notification_send(*, notification_id: int) -> str:
    """Send one notification once; on an SMTP failure count the attempt and ask to be tried again."""
    from django.core.mail import send_mail

    notification = Notification.objects.select_related("message__conversation__organisation").get(pk=notification_id)
    if notification.sent_at is not None:
        return "already sent"
    message = notification.message
    try:
        send_mail(
            subject=subject_of(message),
            message=body_of(notification, message),
            from_email=None,
            recipient_list=list(notification.to),
            fail_silently=False,
        )
    except OSError as error:  # SMTPException is an OSError, as are refused and broken connections
        attempts = notification.attempts + 1
        Notification.objects.filter(pk=notification.pk).update(attempts=attempts, last_error=str(error)[:500])
        return "retry" if attempts < MAX_ATTEMPTS else "failed"
    Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=notification.attempts + 1, last_error=""
    )
    return "sent"
