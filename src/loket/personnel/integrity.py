"""The register covers the content of confirmations: the stored figures are re-hashed and compared with the ledger
entry (see core.ledger_content)."""

from collections.abc import Iterator

from django.conf import settings

from loket.core.ledger_content import ContentReport, Mismatch, register_content_checker
from loket.personnel.models import Confirmation
from loket.personnel.services import figures_hash

_PREFIX = f"{settings.LOKET_URI_BASE}/id/personeelsbevestigingen/"


def confirmation_problems(confirmation: Confirmation) -> list[str]:
    problems = []
    recomputed = figures_hash(confirmation.figures)
    if recomputed != confirmation.sent_entry.content_hash:
        problems.append("the stored figures differ from the ledger entry")
    if confirmation.content_hash != confirmation.sent_entry.content_hash:
        problems.append("the stored content hash differs from the ledger entry")
    return problems


def _check_subject(subject_uri: str) -> list[str] | None:
    if not subject_uri.startswith(_PREFIX):
        return None
    key = subject_uri[len(_PREFIX) :]
    confirmation = (
        Confirmation.objects.filter(uuid=key).select_related("sent_entry").first() if len(key) == 36 else None
    )
    if confirmation is None:
        return ["the confirmation is missing"]
    return confirmation_problems(confirmation)


def _check_all(*, check_bytes: bool = True, report: ContentReport) -> Iterator[Mismatch]:
    for confirmation in Confirmation.objects.select_related("sent_entry").order_by("pk").iterator(chunk_size=500):
        report.checked += 1
        problems = confirmation_problems(confirmation)
        if problems:
            yield confirmation.uri, problems


register_content_checker("personeelsbeheer", check_subject=_check_subject, check_all=_check_all)
