"""Writes for vendors: create a vendor (its key shown once), register a melding (one transaction: the job, its
first tasks, the audit entry and the background task), delete a melding's concept, record a refusal."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError, NotFoundError
from loket.core.quota import Uploader, quota_full
from loket.organisations.models import Organisation, Platform
from loket.supervision.models import Submission
from loket.vendors.access import vendor_access_changed
from loket.vendors.credentials import credentials_encrypt
from loket.vendors.keys import key_generate, key_hash, key_id_of
from loket.vendors.models import Job, JobCredential, JobTask, Vendor
from loket.vendors.payload import SUBMITTABLE, Melding
from loket.vendors.transitions import JobMovedOn, JobState, job_transition


@dataclass(frozen=True)
class CreatedVendor:
    vendor: Vendor
    key: str  # in clear: shown once, never stored


@transaction.atomic
def vendor_create(
    *,
    uri: str,
    name: str,
    organisations: list[Organisation],
    platform: Platform | None = None,
    actor: Any = None,
    key: str | None = None,
) -> CreatedVendor:
    """A new vendor with a fresh key (or the given one, e.g. when migrating a vendor of the real Loket)."""
    if Vendor.objects.filter(uri=uri).exists():
        raise ConflictError(_("Er bestaat al een leverancier met deze URI."), code="duplicate")
    clear_key = key or key_generate()
    vendor = Vendor.objects.create(
        uri=uri,
        name=name,
        kind=Vendor.Kind.PLATFORM if platform else Vendor.Kind.MEETING_SOFTWARE,
        platform=platform,
        key_hash=key_hash(clear_key),
        key_id=key_id_of(clear_key),
    )
    vendor.organisations.set(organisations)
    audit_record(
        action="vendor.created",
        actor=actor,
        vendor=uri,
        name=name,
        kind=vendor.kind,
        organisations=[o.uri for o in organisations],
        platform=platform.name if platform else None,
    )
    return CreatedVendor(vendor=vendor, key=clear_key)


@transaction.atomic
def vendor_key_reset(*, vendor: Vendor, actor: Any) -> str:
    clear_key = key_generate()
    Vendor.objects.filter(pk=vendor.pk).update(key_hash=key_hash(clear_key), key_id=key_id_of(clear_key))
    vendor_access_changed()  # update() sends no signal
    audit_record(action="vendor.key_reset", actor=actor, vendor=vendor.uri)
    return clear_key


class MeldingQuotaFull(DomainError):
    """The body's storage quota has no room for the page a melding would download: refused at once (429), not as a
    job that fails later. In English, as the vendor API's other errors; `retry_after` in seconds, or None when no
    file fits before the quota's settings change."""

    code = "quota_exceeded"

    def __init__(self, message: str, *, retry_after: int | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _quota_room_check(organisation: Organisation) -> None:
    full = quota_full(Uploader(organisation), source="leverancier")
    if full is None:
        return
    # Only the bounds that are set: 0 is no limit (core.quota).
    bounds = [f"{full.max_files} file(s)"] if full.max_files > 0 else []
    if full.max_bytes > 0:
        bounds.append(_size_en(full.max_bytes))
    limit = f"at most {' and '.join(bounds)} in {settings.LOKET_UPLOAD_QUOTA_HOURS} hours"
    if full.again is None:
        raise MeldingQuotaFull(
            f"The storage quota of this body is used up: {limit}. Nothing was registered.", retry_after=None
        )
    raise MeldingQuotaFull(
        f"The storage quota of this body is used up: {limit}. Nothing was registered; "
        f"try again after {full.again.isoformat(timespec='seconds')}.",
        retry_after=max(1, int((full.again - timezone.now()).total_seconds()) + 1),
    )


def _size_en(size: int) -> str:
    """A quota's size in the vendor API's English: "5 GiB", "1.5 MiB", "512 bytes"."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{round(size / factor, 1):g} {unit}"
    return f"{size} bytes"


def melding_register(*, melding: Melding, vendor: Vendor, organisation: Organisation) -> Job:
    """Accept a melding: one transaction with the job, its register (done) and download (scheduled) tasks, the
    encrypted credentials if any, the audit entry and the background task. ConflictError when the decision was
    already submitted (also when two requests race: the unique index lets exactly one through)."""
    from loket.vendors.tasks import process_job

    duplicate = ConflictError(
        f"The given submittedResource <{melding.submitted_resource}> has already been submitted.", code="duplicate"
    )
    if Submission.objects.filter(submitted_resource=melding.submitted_resource).exists():
        raise duplicate
    _quota_room_check(organisation)
    now = timezone.now()
    try:
        with transaction.atomic():
            job = Job.objects.create(
                uuid=uuid.uuid4(),
                submission_uuid=uuid.uuid4(),
                vendor=vendor,
                organisation=organisation,
                submitted_resource=melding.submitted_resource,
                href=melding.href,
                requested_status=Job.RequestedStatus.SUBMITTABLE
                if melding.status == SUBMITTABLE
                else Job.RequestedStatus.CONCEPT,
                created_at=now,
                modified_at=now,
            )
            JobTask.objects.bulk_create(
                [
                    JobTask(
                        job=job,
                        operation=JobTask.Operation.REGISTER,
                        index=0,
                        status=Job.Status.SUCCESS,
                        created_at=now,
                        modified_at=now,
                    ),
                    JobTask(job=job, operation=JobTask.Operation.DOWNLOAD, index=1, created_at=now, modified_at=now),
                ]
            )
            if melding.credentials is not None:
                JobCredential.objects.create(
                    job=job, scheme=melding.credentials.scheme, secret=credentials_encrypt(melding.credentials)
                )
            audit_record(
                action="vendor.melding_accepted",
                organisation=organisation,
                actor_label=vendor.name,
                vendor=vendor.uri,
                job=job.uri,
                submission=job.submission_uri,
                submitted_resource=melding.submitted_resource,
                href=melding.href,
                requested_status=job.requested_status,
            )
            process_job.enqueue(job_id=job.pk)
    except IntegrityError:
        raise duplicate from None
    return job


def refusal_record(
    *, reason: str, vendor_uri: str, organisation: Organisation | None, endpoint: str, message: str = ""
) -> None:
    """Audit a refused request (wrong key, organisation not allowed, channel); outside any failed transaction."""
    audit_record(
        action="vendor.refused",
        organisation=organisation,
        actor_label=vendor_uri[:150],
        vendor=vendor_uri,
        reason=reason,
        endpoint=endpoint,
        **({"message": message} if message else {}),
    )


def job_for_vendor(*, subject: str, vendor: Vendor, organisation: Organisation | None = None) -> Job:
    """The vendor's job for a submission URI (ours) or a submitted decision's URI; NotFoundError otherwise."""
    jobs = Job.objects.select_related("submission", "organisation", "vendor").filter(vendor=vendor)
    if organisation is not None:
        jobs = jobs.filter(organisation=organisation)
    key = subject.rstrip("/").rsplit("/", 1)[-1]
    job = None
    if "/submissions/" in subject:
        try:
            job = jobs.filter(submission_uuid=uuid.UUID(key)).first()
        except ValueError:
            job = None
    if job is None:
        job = jobs.filter(submitted_resource=subject).order_by("-holds_resource", "-created_at").first()
    if job is None:
        raise NotFoundError(_("Deze inzending bestaat niet of hoort niet bij deze leverancier."))
    return job


@transaction.atomic
def melding_delete(*, job: Job, vendor: Vendor) -> None:
    """Delete the concept a melding produced (or stop its job); ConflictError when it was already sent."""
    from loket.supervision.services import submission_delete

    locked = Job.objects.select_for_update(of=("self",)).select_related("submission", "organisation").get(pk=job.pk)
    if locked.submission is not None:
        if locked.submission.is_sent:
            raise ConflictError(_("Deze inzending is al verstuurd en kan niet meer verwijderd worden."), code="sent")
        submission_delete(submission=locked.submission, actor=None, actor_label=vendor.name)
    elif not locked.holds_resource:
        raise NotFoundError(_("Deze inzending bestaat niet of hoort niet bij deze leverancier."))
    # From the state read above (and locked, on PostgreSQL): a running job is stopped, a finished one keeps its
    # status; either way it gives up the decision's URI. A job that moved on meanwhile is reported as a conflict.
    stopped = locked.status in (Job.Status.SCHEDULED, Job.Status.BUSY)
    try:
        job_transition(
            job=locked,
            source=JobState.of(locked),
            target=Job.Status.FAILED if stopped else locked.status,
            holds_resource=False,
            **({"error_message": _("Ingetrokken door de leverancier.")} if stopped else {}),
        )
    except JobMovedOn:
        raise ConflictError(
            _("Deze inzending veranderde net van toestand; vraag de status op en probeer het opnieuw."),
            code="changed",
        ) from None
    JobCredential.objects.filter(job=locked).delete()
    transaction.on_commit(lambda: _delete_stored_copies(locked))  # the page and attachments go with the concept
    audit_record(
        action="vendor.melding_deleted",
        organisation=locked.organisation,
        actor_label=vendor.name,
        vendor=vendor.uri,
        job=locked.uri,
        submission=locked.submission_uri,
        submitted_resource=locked.submitted_resource,
    )


def _delete_stored_copies(job: Job) -> None:
    from loket.vendors.pipeline import delete_stored

    delete_stored(job)


KEY_FAILURES = frozenset({"unknown_vendor", "wrong_key"})  # a guessed identity or key; other refusals had the key right


@dataclass(frozen=True)
class RequestRefused:
    """Why a vendor request is refused: HTTP status (401, 403, 429), the message, and when to try again."""

    status: int
    message: str
    retry_after: int | None = None


def vendor_request_authorise(*, publisher: Any, address: str, endpoint: str) -> Any:
    """The one authorisation of every vendor endpoint (this module's and other modules', e.g. the worship
    platform push): failure budgets first (guard.py), then key and channel (access.py), then the vendor's quota —
    only authenticated requests use it. Returns the `VendorAccess`, or a `RequestRefused` (refusals audited)."""
    from loket.core.throttle import throttle_hit
    from loket.vendors import conf, guard
    from loket.vendors.access import AUTHENTICATION_FAILED, ChannelRefused, VendorUnauthenticated, vendor_access

    refused = guard.before_verification(vendor_uri=publisher.vendor_uri, key=publisher.key, address=address)
    if refused is not None:
        return RequestRefused(429, refused.message, refused.retry_after)
    try:
        granted = vendor_access(publisher)
    except VendorUnauthenticated as refusal:
        if refusal.reason in KEY_FAILURES:
            guard.failed(vendor_uri=publisher.vendor_uri, address=address)
        else:
            guard.succeeded(vendor_uri=publisher.vendor_uri, key=publisher.key, address=address)
        organisation = refusal.organisation or Organisation.objects.filter(uri=publisher.organisation_uri).first()
        refusal_record(
            reason=refusal.reason, vendor_uri=publisher.vendor_uri, organisation=organisation, endpoint=endpoint
        )
        return RequestRefused(401, AUTHENTICATION_FAILED)
    except ChannelRefused as refusal:
        guard.succeeded(vendor_uri=publisher.vendor_uri, key=publisher.key, address=address)
        refusal_record(
            reason="channel",
            vendor_uri=publisher.vendor_uri,
            organisation=refusal.organisation,
            endpoint=endpoint,
            message=refusal.message,
        )
        return RequestRefused(403, refusal.message)
    guard.succeeded(vendor_uri=publisher.vendor_uri, key=publisher.key, address=address)
    if not throttle_hit(key=f"vendor:{granted.vendor.uri}", limit=conf.rate_per_minute(), window_seconds=60):
        return RequestRefused(429, "Too many requests for this vendor; try again in a minute.", 60)
    return granted
