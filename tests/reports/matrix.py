"""A sent BBC-DR report of the authorisation matrix's own organisation (the agency), with its two files: made
directly (the agency has no KBO number, so the service would refuse to send it; the matrix is about access)."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone


def reports_kwargs(cast: dict, converters: set[str]) -> dict:  # type: ignore[type-arg]
    from loket.core.ledger import KIND_SENT, ledger_append
    from loket.reports.models import Report, ReportFile
    from loket.reports.samples import sample_xml

    if "reports" not in cast:
        organisation = cast["with_role"].memberships.get().organisation
        content = sample_xml(kbo="0207451227")
        name = default_storage.save("matrix/bbcdr.xml", ContentFile(content))
        with transaction.atomic():
            report = Report.objects.create(organisation=organisation, modified_at=timezone.now())
            report_file = ReportFile.objects.create(
                report=report,
                kind="xml",
                file_name="matrix.xml",
                storage_name=name,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
            entry = ledger_append(
                kind=KIND_SENT,
                subject_uri=report.uri,
                organisation_uri=organisation.uri,
                actor_label="matrix",
                content_hash="0" * 64,
                payload={"module": "bbcdr"},
                stored_files=(),
            )
            Report.objects.filter(pk=report.pk).update(
                status=Report.Status.SENT, sent_entry=entry, sent_at=entry.recorded_at, content_hash="0" * 64
            )
        cast["reports"] = {"report": report.uuid, "file": report_file.uuid}
    return {name: value for name, value in cast["reports"].items() if name in converters}
