"""The register covers the content of sent reports: both files are re-hashed from what is stored and compared with
the report's register entry, and a built package with its recorded hash (see core.ledger_content)."""

import uuid
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Prefetch

from loket.core.ledger_content import ContentReport, Mismatch, register_content_checker
from loket.reports.models import Report, ReportFile
from loket.reports.services import content_hash_of, stored_sha256

_PREFIX = f"{settings.LOKET_URI_BASE}/bbcdr-reports/"


def _hash_or_none(storage_name: str) -> str | None:
    try:
        return stored_sha256(storage_name)
    except OSError:
        return None


def report_problems(report: Report, *, check_bytes: bool = True) -> list[str]:
    files = list(report.files.all())
    problems = []
    if report.sent_entry is None or content_hash_of(files) != report.sent_entry.content_hash:
        problems.append("the stored files differ from the ledger entry")
    if report.sent_entry is not None and report.content_hash != report.sent_entry.content_hash:
        problems.append("the stored content hash differs from the ledger entry")
    if check_bytes:
        for report_file in files:
            actual = _hash_or_none(report_file.storage_name)
            if actual is None:
                problems.append(f"file {report_file.file_name} is missing")
            elif actual != report_file.sha256:
                problems.append(f"file {report_file.file_name} was replaced")
        if report.package_sha256:
            actual = _hash_or_none(report.package_storage_name)
            if actual is None:
                problems.append(f"package {report.package_name} is missing")
            elif actual != report.package_sha256:
                problems.append(f"package {report.package_name} was replaced")
    return problems


def _check_subject(subject_uri: str) -> list[str] | None:
    if not subject_uri.startswith(_PREFIX):
        return None
    try:
        key = uuid.UUID(subject_uri[len(_PREFIX) :])
    except ValueError:
        return None
    report = Report.objects.filter(uuid=key, status=Report.Status.SENT).select_related("sent_entry").first()
    return None if report is None else report_problems(report)


def _check_all(*, check_bytes: bool, report: ContentReport) -> Iterator[Mismatch]:
    sent = (
        Report.objects.filter(status=Report.Status.SENT)
        .select_related("sent_entry")
        .prefetch_related(Prefetch("files", queryset=ReportFile.objects.all()))
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for item in sent:
        report.checked += 1
        problems = report_problems(item, check_bytes=check_bytes)
        if problems:
            yield item.uri, problems


register_content_checker("bbcdr", check_subject=_check_subject, check_all=_check_all)
