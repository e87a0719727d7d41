"""The register covers the content of sent steps: the stored form data is re-hashed and compared with the ledger
entry (see core.ledger_content), for `manage.py ledger verify --content` and the receipt check page."""

import hashlib
import uuid
from collections.abc import Iterator

from django.conf import settings

from loket.core.ledger_content import ContentReport, Mismatch, register_content_checker
from loket.subsidies.models import ApplicationForm

_PREFIX = f"{settings.LOKET_URI_BASE}/id/application-forms/"


def form_problems(form: ApplicationForm) -> list[str]:
    problems = []
    if hashlib.sha256(form.form_data_nt.encode("utf-8")).hexdigest() != form.sent_entry.content_hash:  # type: ignore[union-attr]
        problems.append("the stored form data differ from the ledger entry")
    if form.content_hash != form.sent_entry.content_hash:  # type: ignore[union-attr]
        problems.append("the stored content hash differs from the ledger entry")
    return problems


def _check_subject(subject_uri: str) -> list[str] | None:
    if not subject_uri.startswith(_PREFIX):
        return None
    try:
        key = uuid.UUID(subject_uri[len(_PREFIX) :])
    except ValueError:
        return ["the sent application form is missing"]
    form = ApplicationForm.objects.filter(uuid=key, sent_entry__isnull=False).select_related("sent_entry").first()
    if form is None:
        return ["the sent application form is missing"]
    return form_problems(form)


def _check_all(*, check_bytes: bool = True, report: ContentReport) -> Iterator[Mismatch]:
    sent = ApplicationForm.objects.filter(sent_entry__isnull=False).select_related("sent_entry").order_by("pk")
    for form in sent.iterator(chunk_size=500):
        report.checked += 1
        problems = form_problems(form)
        if problems:
            yield form.uri, problems


register_content_checker("subsidiebeheer", check_subject=_check_subject, check_all=_check_all)
