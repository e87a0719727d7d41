"""The receipt of a sent report: the core receipt over its register entries and its two files, and once delivered
the package that went to ABB (its SHA-256 is in the delivery entry of the register)."""

from typing import Any

from django.conf import settings
from django.urls import reverse

from loket.core.receipts import receipt_build
from loket.reports.models import Report


def report_receipt(report: Report) -> dict[str, Any]:
    if report.sent_entry is None:
        raise ValueError("Only a sent report has a receipt.")
    files = [
        {"name": f.file_name, "size": f.size, "sha256": f.sha256, "uri": f.uri, "kind": f.kind}
        for f in report.files.all()
    ]
    package = None
    if report.package_sha256 and report.delivered_entry is not None:  # the package the delivery entry records
        package = {"name": report.package_name, "size": report.package_size, "sha256": report.package_sha256}
    described = ", ".join(str(part) for part in (report.report_type, report.fiscal_year) if part)
    return receipt_build(
        sent=report.sent_entry,
        delivered=report.delivered_entry,
        organisation_name=report.organisation.display_name,
        sender_name=report.sent_entry.actor_label,
        document_type=f"BBC-DR-rapport{f' ({described})' if described else ''}",
        check_url=settings.LOKET_SITE_URL + reverse("core:receipt-check"),
        files=files,
        package=package,
    )
