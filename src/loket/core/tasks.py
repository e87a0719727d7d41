"""Background work shared by every module: e-mail. Enqueued inside the transaction that decides to send, so
the mail exists exactly when the decision commits; the worker (`manage.py db_worker`) delivers it."""

from django.core.mail import send_mail
from django_tasks import task

from loket.core.recovery import register_rerun


@task()
def send_email(*, to: list[str], subject: str, body: str) -> int:
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=to, fail_silently=False)


register_rerun(send_email)  # a killed worker's mail is sent again after the lease (core.recovery)
