"""Writes of BBC-DR: a concept with its two files, the check (worker), sending through the secure-sending core,
packaging and delivery (worker), and the helpdesk offering a failed package again. Every write by a person is
audited in its own transaction; sending and delivery are register (ledger) entries."""

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from loket.core import scanwait
from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError, reason_required
from loket.core.files import XML, FileRejected, format_size_nl, store_upload
from loket.core.ledger import KIND_DELIVERED, KIND_REOPENED, KIND_SENT, SentFile, ledger_append
from loket.core.quota import Uploader, quota_refund
from loket.core.tasks import send_email
from loket.organisations.identifiers import validate_kbo
from loket.organisations.models import Organisation
from loket.reports import checks, delivery, packaging, xmlscan
from loket.reports.models import Report, ReportFile

MODULE = "bbcdr"


def actor_name(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return actor.get_full_name() or actor.get_username()
    return ""


def organisation_kbo(organisation: Organisation) -> str:
    """The body's KBO number when it is a valid one, else ""."""
    from django.core.exceptions import ValidationError

    if not organisation.kbo:
        return ""
    try:
        validate_kbo(organisation.kbo)
    except ValidationError:
        return ""
    return organisation.kbo


# Files --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingFile:
    kind: str
    file_name: str
    storage_name: str
    size: int
    sha256: str
    root: str


def _kind_name(kind: str) -> str:
    return "XBRL" if kind == ReportFile.Kind.XBRL else "XML"


def _receive(upload: File, uploader: Uploader) -> IncomingFile:
    """Check one uploaded file (size, XML from its bytes), keep it, and tell XML from XBRL by its root element."""
    minimum, maximum = settings.LOKET_BBCDR_MIN_BYTES, settings.LOKET_BBCDR_MAX_BYTES
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    if upload.size is not None and upload.size < minimum:
        raise FileRejected(
            _("%(name)s is te klein (minstens %(size)s).") % {"name": name, "size": format_size_nl(minimum)}
        )
    try:
        stored = store_upload(upload, allowed={XML}, max_bytes=maximum, prefix="bbcdr", uploader=uploader)
    except FileRejected as error:
        raise FileRejected(f"{name}: {error.message_nl}") from error
    try:
        with default_storage.open(stored.name, "rb") as stream:
            root = xmlscan.root_element(stream)
    except xmlscan.NotXml as error:
        scanwait.forget(stored.name)
        quota_refund([stored.name])
        default_storage.delete(stored.name)
        if error.reason in {"entity_declaration", "external_entity"}:
            raise FileRejected(
                _(
                    "%(name)s declareert entiteiten of verwijst naar externe entiteiten (regel %(line)s); dat wordt "
                    "om veiligheidsredenen niet aanvaard."
                )
                % {"name": name, "line": error.line}
            ) from error
        where = _(" (regel %(line)s, kolom %(column)s)") % {"line": error.line, "column": error.column}
        raise FileRejected(
            _("%(name)s is geen leesbare XML%(where)s.") % {"name": name, "where": where if error.line else ""}
        ) from error
    kind = ReportFile.Kind.XBRL if xmlscan.is_xbrl_root(root) else ReportFile.Kind.XML
    return IncomingFile(
        kind=kind,
        file_name=stored.original_name or name or f"rapport.{kind}",
        storage_name=stored.name,
        size=stored.size,
        sha256=stored.sha256,
        root=f"{{{root[0]}}}{root[1]}" if root[0] else root[1],
    )


def receive_files(uploads: Sequence[File], *, uploader: Uploader) -> list[IncomingFile]:
    """All files of one post, checked and charged to `uploader`'s storage quota (the body and the clerk), or none
    kept: a refused file leaves no bytes behind, and no charge."""
    if len(uploads) > 2:
        raise FileRejected(_("Een rapport bestaat uit precies twee bestanden: één XML en één XBRL."))
    received: list[IncomingFile] = []
    try:
        for upload in uploads:
            received.append(_receive(upload, uploader))
        kinds = [item.kind for item in received]
        for kind in set(kinds):
            if kinds.count(kind) > 1:
                raise FileRejected(
                    _("Beide bestanden zijn %(kind)s-bestanden: een rapport bestaat uit één XML en één XBRL.")
                    % {"kind": _kind_name(kind)}
                )
    except FileRejected:
        discard(received)
        raise
    return received


def discard(received: Sequence[IncomingFile]) -> None:
    """Received files the post then did not keep: their bytes go, and they count no more on the quota."""
    quota_refund([item.storage_name for item in received])
    for item in received:
        scanwait.forget(item.storage_name)
        default_storage.delete(item.storage_name)


def _touch(report: Report, actor: Any) -> None:
    report.modified_at = timezone.now()
    report.modified_by = actor if getattr(actor, "is_authenticated", False) else None
    report.modified_by_name = actor_name(actor)


def _locked_concept(report: Report) -> Report:
    locked = Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)
    if locked.is_sent:
        raise ConflictError(_("Dit rapport is al verstuurd en kan niet meer gewijzigd worden."), code="sent")
    return locked


def _start_check(report: Report) -> None:
    from loket.reports.tasks import check_report

    report.check_status = Report.Check.PENDING if report.files.exists() else Report.Check.NONE
    report.check_findings = []
    report.check_fingerprint = ""
    report.save(update_fields=["check_status", "check_findings", "check_fingerprint"])
    if report.check_status == Report.Check.PENDING:
        check_report.enqueue(report_id=report.pk)  # the queue row commits with the change


def _attach(report: Report, item: IncomingFile, actor: Any) -> ReportFile:
    return ReportFile.objects.create(
        report=report,
        kind=item.kind,
        file_name=item.file_name[:255],
        storage_name=item.storage_name,
        size=item.size,
        sha256=item.sha256,
        root_element=item.root[:300],
        uploaded_by_name=actor_name(actor),
    )


def report_create(*, actor: Any, organisation: Organisation, received: Sequence[IncomingFile]) -> Report:
    """A new concept with one or two files (already received with `receive_files`)."""
    if not received:
        raise DomainError(
            _("Kies minstens één bestand om het concept te bewaren."), fields={"files": _("Kies een bestand.")}
        )
    with transaction.atomic():
        report = Report(organisation=organisation)
        _touch(report, actor)
        report.save()
        for item in received:
            _attach(report, item, actor)
        _start_check(report)
        audit_record(
            action="bbcdr.created",
            actor=actor,
            organisation=organisation,
            report=report.uri,
            files=[item.file_name for item in received],
        )
    return report


def report_files_add(*, actor: Any, report: Report, received: Sequence[IncomingFile]) -> Report:
    if not received:
        raise DomainError(_("Kies een bestand om toe te voegen."), fields={"files": _("Kies een bestand.")})
    with transaction.atomic():
        locked = _locked_concept(report)
        present = {f.kind: f for f in locked.files.all()}
        for item in received:
            if item.kind in present:
                raise ConflictError(
                    _(
                        "Dit rapport heeft al een %(kind)s-bestand (%(name)s). Vervang het of verwijder het eerst: "
                        "een rapport bestaat uit één XML en één XBRL."
                    )
                    % {"kind": _kind_name(item.kind), "name": present[item.kind].file_name},
                    code="kind_present",
                )
        for item in received:
            _attach(locked, item, actor)
        _touch(locked, actor)
        locked.save(update_fields=["modified_at", "modified_by", "modified_by_name"])
        _start_check(locked)
        audit_record(
            action="bbcdr.files_added",
            actor=actor,
            organisation=locked.organisation,
            report=locked.uri,
            files=[item.file_name for item in received],
        )
    return locked


def report_file_replace(*, actor: Any, report: Report, report_file: ReportFile, received: IncomingFile) -> Report:
    if received.kind != report_file.kind:
        raise ConflictError(
            _("%(name)s is een %(new)s-bestand; vervang het %(old)s-bestand door een %(old)s-bestand.")
            % {"name": received.file_name, "new": _kind_name(received.kind), "old": _kind_name(report_file.kind)},
            code="kind_differs",
        )
    with transaction.atomic():
        locked = _locked_concept(report)
        old = locked.files.select_for_update().get(pk=report_file.pk)
        old_storage, old_name = old.storage_name, old.file_name
        old.delete()
        _attach(locked, received, actor)
        _touch(locked, actor)
        locked.save(update_fields=["modified_at", "modified_by", "modified_by_name"])
        _start_check(locked)
        audit_record(
            action="bbcdr.file_replaced",
            actor=actor,
            organisation=locked.organisation,
            report=locked.uri,
            previous=old_name,
            file=received.file_name,
        )
        scanwait.forget(old_storage)
        transaction.on_commit(lambda: default_storage.delete(old_storage))
    return locked


def report_file_delete(*, actor: Any, report: Report, report_file: ReportFile) -> Report:
    with transaction.atomic():
        locked = _locked_concept(report)
        old = locked.files.select_for_update().get(pk=report_file.pk)
        storage_name, name = old.storage_name, old.file_name
        old.delete()
        _touch(locked, actor)
        locked.save(update_fields=["modified_at", "modified_by", "modified_by_name"])
        _start_check(locked)
        audit_record(
            action="bbcdr.file_deleted", actor=actor, organisation=locked.organisation, report=locked.uri, file=name
        )
        scanwait.forget(storage_name)
        transaction.on_commit(lambda: default_storage.delete(storage_name))
    return locked


def report_delete(*, actor: Any, report: Report) -> None:
    """Delete a concept with its files (never a sent report)."""
    with transaction.atomic():
        locked = _locked_concept(report)
        files = list(locked.files.all())
        storage_names = [f.storage_name for f in files]
        audit_record(
            action="bbcdr.deleted",
            actor=actor,
            organisation=locked.organisation,
            report=locked.uri,
            files=[f.file_name for f in files],
        )
        locked.delete()
        for name in storage_names:
            scanwait.forget(name)

        def delete_files() -> None:
            for name in storage_names:
                default_storage.delete(name)

        transaction.on_commit(delete_files)


def report_file_remove_infected(storage_name: str) -> list[str]:
    """A file that waited for the virus scan was infected: out of its concept (checked again); the scan deletes
    the bytes and leaves a notice on the report (`core.scanwait`)."""
    removed = []
    for report_file in ReportFile.objects.filter(storage_name=storage_name).select_related("report"):
        try:
            locked = _locked_concept(report_file.report)
        except DomainError:  # sent meanwhile: a sent report never holds a waiting file (ledger_append)
            continue
        report_file.delete()
        _start_check(locked)
        removed.append(locked.uri)
    return removed


# The check ------------------------------------------------------------------------------------------------------------


def _status_of(findings: list[dict[str, Any]]) -> str:
    if any(item["level"] == checks.ERROR for item in findings):
        return Report.Check.INVALID
    if findings:
        return Report.Check.WARNINGS
    return Report.Check.VALID


def report_check(*, report_id: int) -> Report | None:
    """Check a report's files (worker). The result is kept only if the files did not change meanwhile."""
    report = Report.objects.select_related("organisation").filter(pk=report_id).first()
    if report is None:
        return None
    files = list(report.files.all())
    kbo = organisation_kbo(report.organisation)
    fingerprint = checks.fingerprint(files, kbo)
    if report.check_fingerprint == fingerprint:
        return report  # already checked on exactly these files and rules
    verdict = checks.check_report_files(files, organisation_kbo=kbo)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report_id)
        now_files = list(locked.files.all())
        if locked.is_sent or checks.fingerprint(now_files, kbo) != fingerprint:
            return locked  # sent meanwhile, or the files changed: the newer check decides
        locked.check_findings = verdict.findings
        locked.check_status = _status_of(verdict.findings) if files else Report.Check.NONE
        locked.check_fingerprint = fingerprint
        locked.checked_at = timezone.now()
        locked.report_type = verdict.report_type[:60]
        locked.fiscal_year = verdict.fiscal_year
        locked.period = verdict.period[:60]
        locked.save(
            update_fields=[
                "check_findings",
                "check_status",
                "check_fingerprint",
                "checked_at",
                "report_type",
                "fiscal_year",
                "period",
            ]
        )
    return locked


def send_blockers(report: Report) -> list[str]:
    """Why this report cannot be sent now, in words (empty: it can)."""
    reasons = []
    if report.is_sent:
        return [_("Dit rapport is al verstuurd.")]
    if not organisation_kbo(report.organisation):
        reasons.append(str(checks.MESSAGES["organisation_without_kbo"]))
    kinds = {f.kind for f in report.files.all()}
    for kind in (ReportFile.Kind.XML, ReportFile.Kind.XBRL):
        if kind not in kinds:
            reasons.append(str(checks.MESSAGES["missing_file"]) % {"kind": _kind_name(kind)})
    if reasons:
        return reasons
    waiting = scanwait.waiting_names(f.storage_name for f in report.files.all())
    if waiting:  # the same rule ledger_append enforces, said before the clerk tries
        reasons.append(scanwait.waiting_message([f.file_name for f in report.files.all() if f.storage_name in waiting]))
    if report.check_status in {Report.Check.PENDING, Report.Check.NONE}:
        reasons.append(_("De bestanden worden nog gecontroleerd; even geduld."))
    elif report.check_status == Report.Check.INVALID:
        reasons.append(_("De controle vond fouten; los ze op en laad de bestanden opnieuw op."))
    return reasons


def content_hash_of(files: Sequence[ReportFile]) -> str:
    """What a report's register entry covers: both files' kind, name, size and SHA-256."""
    canonical = json.dumps(
        sorted(
            ({"kind": f.kind, "name": f.file_name, "size": f.size, "sha256": f.sha256} for f in files),
            key=lambda item: item["kind"],
        ),
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def stored_sha256(storage_name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(storage_name, "rb") as stream:
        while chunk := stream.read(xmlscan.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def report_send(*, actor: Any, report: Report) -> Report:
    """Send a checked concept: lock it, check again that the check holds for exactly these bytes, the rules and the
    organisation of now, freeze both SHA-256 hashes in a register entry, and queue the packaging (same commit)."""
    from loket.reports.tasks import check_report, package_report

    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)
        if locked.is_sent:
            raise ConflictError(_("Dit rapport is al verstuurd."), code="already_sent")
        reasons = send_blockers(locked)
        if reasons:
            raise DomainError(" ".join(reasons), code="not_sendable")
        files = list(locked.files.all())
        for report_file in files:
            try:
                same = stored_sha256(report_file.storage_name) == report_file.sha256
            except OSError:
                same = False
            if not same:
                raise ConflictError(
                    _("%(name)s is niet meer wat werd opgeladen; laad het opnieuw op.")
                    % {"name": report_file.file_name},
                    code="file_changed",
                )
        kbo = organisation_kbo(locked.organisation)
        if locked.check_fingerprint != checks.fingerprint(files, kbo):
            locked.check_status = Report.Check.PENDING
            locked.save(update_fields=["check_status"])
            check_report.enqueue(report_id=locked.pk)
            raise_later = ConflictError(
                _(
                    "De regels of gegevens waartegen de bestanden gecontroleerd werden, zijn gewijzigd: de controle "
                    "wordt opnieuw gedaan. Verstuur opnieuw zodra ze klaar is."
                ),
                code="check_stale",
            )
        else:
            raise_later = None
        if raise_later is None:
            content_hash = content_hash_of(files)
            sender = actor_name(actor)
            entry = ledger_append(
                kind=KIND_SENT,
                subject_uri=locked.uri,
                organisation_uri=locked.organisation.uri,
                actor_label=sender,
                content_hash=content_hash,
                payload={
                    "module": MODULE,
                    "files": sorted(f"{f.uri} {f.sha256}" for f in files),  # as receipts list them
                    "report_type": locked.report_type,
                    "fiscal_year": locked.fiscal_year,
                    "kbo": kbo,
                },
                stored_files=[SentFile(f.storage_name, f.file_name, f.sha256) for f in files],
            )
            now = entry.recorded_at
            Report.objects.filter(pk=locked.pk).update(
                status=Report.Status.SENT,
                sent_at=now,
                sent_by_name=sender,
                content_hash=content_hash,
                sent_entry=entry,
                modified_at=now,
                modified_by=actor if getattr(actor, "is_authenticated", False) else None,
                modified_by_name=sender,
                delivery_status=Report.Delivery.QUEUED,
            )
            audit_record(
                action="bbcdr.sent",
                actor=actor,
                organisation=locked.organisation,
                report=locked.uri,
                content_hash=content_hash,
                ledger_position=entry.position,
            )
            package_report.enqueue(report_id=locked.pk)  # the queue row commits with the sending
    if raise_later is not None:
        raise raise_later
    return Report.objects.select_related("organisation").get(pk=report.pk)


# Packaging and delivery (worker) --------------------------------------------------------------------------------------


def backoff_seconds(attempt: int) -> int:
    """1 minute after the first failure, doubling, at most an hour."""
    return int(min(60 * 2 ** max(attempt - 1, 0), 3600))


def _fail(report_id: int, message: str, *, attempts_used: int) -> Report:
    from loket.reports.tasks import deliver_report, package_report

    maximum = settings.LOKET_BBCDR_MAX_ATTEMPTS
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("organisation").get(pk=report_id)
        if locked.delivery_status == Report.Delivery.DELIVERED:
            return locked
        locked.delivery_attempts = attempts_used
        locked.delivery_error = message[:2000]
        locked.delivery_started_at = locked.delivery_alive_at = None
        if attempts_used >= maximum:
            locked.delivery_status = Report.Delivery.FAILED_FINAL
            locked.next_attempt_at = None
            audit_record(
                action="bbcdr.delivery_failed",
                actor_label="Loket",
                organisation=locked.organisation,
                report=locked.uri,
                attempts=attempts_used,
                error=message[:300],
            )
        else:
            locked.delivery_status = Report.Delivery.FAILED
            locked.next_attempt_at = timezone.now() + timedelta(seconds=backoff_seconds(attempts_used))
            task = deliver_report if locked.package_sha256 else package_report
            task.using(run_after=locked.next_attempt_at).enqueue(report_id=locked.pk)
        locked.save(
            update_fields=[
                "delivery_attempts",
                "delivery_error",
                "delivery_started_at",
                "delivery_alive_at",
                "delivery_status",
                "next_attempt_at",
            ]
        )
    return locked


def report_package(*, report_id: int) -> Report:
    """Build the package once (worker); then queue its delivery."""
    from loket.reports.tasks import deliver_report

    report = Report.objects.select_related("organisation").get(pk=report_id)
    if not report.is_sent or report.package_sha256 or report.delivery_status == Report.Delivery.FAILED_FINAL:
        return report
    files = list(report.files.all())
    moment = timezone.now()
    try:
        built = packaging.build_package(
            report=report,
            files=files,
            kbo=report.organisation.kbo,
            moment=moment,
            package_uuid=str(uuid.uuid4()),
        )
    except (OSError, packaging.BorderelInvalid) as error:
        return _fail(
            report_id, _("Verpakken mislukte: %(error)s") % {"error": error}, attempts_used=report.delivery_attempts + 1
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report_id)
        if locked.package_sha256:  # another worker was first: keep its package, drop ours
            transaction.on_commit(lambda: default_storage.delete(built.storage_name))
            return locked
        locked.package_name = built.name
        locked.package_storage_name = built.storage_name
        locked.package_sha256 = built.sha256
        locked.package_size = built.size
        locked.packaged_at = moment
        locked.delivery_status = Report.Delivery.PACKAGED
        locked.delivery_attempts = 0
        locked.delivery_error = ""
        locked.next_attempt_at = None
        locked.save(
            update_fields=[
                "package_name",
                "package_storage_name",
                "package_sha256",
                "package_size",
                "packaged_at",
                "delivery_status",
                "delivery_attempts",
                "delivery_error",
                "next_attempt_at",
            ]
        )
        transaction.on_commit(lambda: _remove_unnamed_packages(report_id, keep=built.storage_name))
        deliver_report.enqueue(report_id=locked.pk)
    return locked


def _remove_unnamed_packages(report_id: int, *, keep: str) -> None:
    """A report's package folder holds only the package it names: a file of a worker killed between writing its
    package and recording it (recovery then packages again, under a new name) is removed once ours is recorded."""
    report = Report.objects.filter(pk=report_id).values("uuid", "package_storage_name").first()
    if report is None or report["package_storage_name"] != keep:
        return
    folder = f"bbcdr/pakketten/{report['uuid']}"
    try:
        _, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        if f"{folder}/{name}" != keep:
            default_storage.delete(f"{folder}/{name}")


def delivery_lease() -> timedelta:
    """How long a delivery "bezig" may go without progress before it counts as abandoned (its worker was killed or
    its connection hangs) and another attempt takes over: the task lease (LOKET_TASK_LEASE)."""
    return timedelta(seconds=settings.LOKET_TASK_LEASE)


def _delivery_alive(report_id: int) -> Callable[[int, int], None]:
    """The upload's progress callback: renews the report's sign of life, at most every tenth of a lease."""
    every = delivery_lease() / 10
    last = [timezone.now()]

    def renew(done: int, total: int) -> None:
        now = timezone.now()
        if now - last[0] >= every:
            last[0] = now
            Report.objects.filter(pk=report_id, delivery_status=Report.Delivery.DELIVERING).update(
                delivery_alive_at=now
            )

    return renew


def report_deliver(*, report_id: int) -> Report:
    """Put the package on the target (worker). Marks the report "bezig" in its own transaction first, so a
    second worker leaves it alone; the upload renews that mark as it progresses, so a killed worker's or a hung
    connection's delivery is taken up again once it has shown no progress for a task lease (recovery)."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("organisation").get(pk=report_id)
        if not locked.package_sha256 or locked.delivery_status in {
            Report.Delivery.DELIVERED,
            Report.Delivery.FAILED_FINAL,
        }:
            return locked
        alive = locked.delivery_alive_at or locked.delivery_started_at
        if locked.delivery_status == Report.Delivery.DELIVERING and alive and alive > timezone.now() - delivery_lease():
            return locked  # another worker is at it
        if locked.next_attempt_at and locked.next_attempt_at > timezone.now() + timedelta(seconds=1):
            return locked  # a retry that is not due yet (its own task comes at that time)
        locked.delivery_status = Report.Delivery.DELIVERING
        locked.delivery_started_at = locked.delivery_alive_at = timezone.now()
        locked.save(update_fields=["delivery_status", "delivery_started_at", "delivery_alive_at"])
    attempt = locked.delivery_attempts + 1
    try:
        target = delivery.configured_target()
        with default_storage.open(locked.package_storage_name, "rb") as stream:
            delivery.deliver(
                target=target,
                name=locked.package_name,
                stream=stream,
                size=locked.package_size or 0,
                progress=_delivery_alive(report_id),
            )
    except delivery.DeliveryFailed as error:
        return _fail(report_id, error.message, attempts_used=attempt)
    except OSError as error:
        return _fail(
            report_id, _("Het pakket kon niet gelezen worden: %(error)s") % {"error": error}, attempts_used=attempt
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("organisation").get(pk=report_id)
        if locked.delivered_entry_id:
            return locked
        entry = ledger_append(
            kind=KIND_DELIVERED,
            subject_uri=locked.uri,
            organisation_uri=locked.organisation.uri,
            actor_label="Loket",
            content_hash=locked.content_hash,
            payload={
                "module": MODULE,
                "sent_position": locked.sent_entry.position,  # type: ignore[union-attr]
                "package": locked.package_name,
                "package_sha256": locked.package_sha256,
                "target": target.label,
            },
            stored_files=(),  # not a send
        )
        locked.delivered_entry = entry
        locked.delivered_at = entry.recorded_at
        locked.delivery_status = Report.Delivery.DELIVERED
        locked.delivery_attempts = attempt
        locked.delivery_error = ""
        locked.next_attempt_at = None
        locked.delivery_target = target.label[:300]
        locked.save(
            update_fields=[
                "delivered_entry",
                "delivered_at",
                "delivery_status",
                "delivery_attempts",
                "delivery_error",
                "next_attempt_at",
                "delivery_target",
            ]
        )
    return locked


def report_offer_again(*, actor: Any, report: Report, reason: str = "") -> Report:
    """The helpdesk offers a failed package again: a fresh series of attempts (audited)."""
    from loket.reports.tasks import deliver_report, package_report

    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)
        if locked.delivery_status not in {Report.Delivery.FAILED, Report.Delivery.FAILED_FINAL}:
            raise ConflictError(_("Enkel een mislukte aflevering kan opnieuw aangeboden worden."), code="not_failed")
        previous = locked.delivery_status
        locked.delivery_status = Report.Delivery.PACKAGED if locked.package_sha256 else Report.Delivery.QUEUED
        locked.delivery_attempts = 0
        locked.next_attempt_at = None
        locked.delivery_started_at = locked.delivery_alive_at = None
        locked.save(
            update_fields=[
                "delivery_status",
                "delivery_attempts",
                "next_attempt_at",
                "delivery_started_at",
                "delivery_alive_at",
            ]
        )
        (deliver_report if locked.package_sha256 else package_report).enqueue(report_id=locked.pk)
        audit_record(
            action="bbcdr.offered_again",
            actor=actor,
            organisation=locked.organisation,
            report=locked.uri,
            previous=previous,
            reason=reason,
        )
    return locked


REOPEN_REASON_MISSING = gettext_lazy("Geef de reden van de heropening op: de gebruikers van het bestuur lezen ze.")


def report_reopen(*, actor: Any, report: Report, reason: str) -> Report:
    """The agency reopens a sent report as a correction (as Toezicht does, supervision.services.submission_reopen):
    the sent report, its register entries, package and receipt stay as they are; the register gets "reopened"; a
    concept with copies of its files (own storage names: deleting the concept never touches what was sent), pointing
    to it and showing the reason, opens for the body's BBC-DR users, who get a mail."""
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from loket.accounts.roles import Role
    from loket.accounts.selectors import role_holder_emails

    reason = reason_required(reason, message=REOPEN_REASON_MISSING)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)
            if not locked.is_sent:
                raise ConflictError(_("Alleen een verstuurd rapport kan heropend worden."), code="not_sent")
            if Report.objects.filter(replaces=locked).exists():
                raise ConflictError(_("Dit rapport werd al heropend."), code="corrected")
            copy = Report(organisation=locked.organisation, replaces=locked, reopen_reason=reason)
            _touch(copy, actor)
            copy.save()
            for sent_file in locked.files.all():
                with default_storage.open(sent_file.storage_name, "rb") as source:
                    content = source.read()
                if hashlib.sha256(content).hexdigest() != sent_file.sha256:
                    raise ConflictError(
                        _("Het bestand %(name)s van het verstuurde rapport klopt niet meer met zijn vingerafdruk.")
                        % {"name": sent_file.file_name},
                        code="damaged",
                    )
                name = default_storage.save(f"bbcdr/{copy.uuid}/{sent_file.file_name}", ContentFile(content))
                stored.append(name)
                ReportFile.objects.create(
                    report=copy,
                    kind=sent_file.kind,
                    file_name=sent_file.file_name,
                    storage_name=name,
                    size=sent_file.size,
                    sha256=sent_file.sha256,
                    root_element=sent_file.root_element,
                    uploaded_by_name=sent_file.uploaded_by_name,
                )
            _start_check(copy)
            entry = ledger_append(
                kind=KIND_REOPENED,
                subject_uri=locked.uri,
                organisation_uri=locked.organisation.uri,
                actor_label=actor_name(actor),
                content_hash=locked.content_hash,
                payload={"module": "bbcdr", "reason": reason, "correction": copy.uri},
                stored_files=(),  # not a send
            )
            copy.reopened_entry = entry
            copy.save(update_fields=["reopened_entry"])
            audit_record(
                action="bbcdr.reopened",
                actor=actor,
                organisation=locked.organisation,
                report=locked.uri,
                correction=copy.uri,
                reason=reason,
                ledger_position=entry.position,
            )
            link = settings.LOKET_SITE_URL.rstrip("/") + reverse("reports:detail", args=[copy.uuid])
            with override("nl"):
                for to in role_holder_emails([locked.organisation.pk], Role.BBCDR).values():
                    send_email.enqueue(
                        to=to,
                        subject=_("BBC-DR: het agentschap heropende een rapport"),
                        body=_(
                            "Beste,\n\nHet Agentschap Binnenlands Bestuur heropende het rapport verstuurd op "
                            "%(sent)s.\nReden: %(reason)s\n\nHet verstuurde rapport blijft zoals het is; een nieuw "
                            "concept met dezelfde bestanden staat voor u klaar. Vervang wat nodig is en verstuur het: "
                            "%(link)s"
                        )
                        % {
                            "sent": timezone.localtime(locked.sent_at).strftime("%d-%m-%Y %H:%M"),
                            "reason": reason,
                            "link": link,
                        },
                    )
    except BaseException:
        for name in stored:  # nothing half-written: copies of a rolled-back reopening go too
            default_storage.delete(name)
        raise
    return copy
