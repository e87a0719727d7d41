"""Is a sent submission's stored content still what was sent? Re-hash it and compare with its register entry.

What was sent is fixed by the "sent" register entry: its content hash (SHA-256 over the frozen form data and the
uploaded files' hashes, `services.content_hash_of`) and its payload's list of files ("<uri> <sha256>"). Checked:
the submission's stored content hash, its stored form data, every uploaded file's recorded hash and (when asked,
as `ledger verify --content` does) the bytes in storage, plus cached copies of linked decisions against the hash
recorded when they were fetched. Pages check everything but the bytes; downloads check the bytes of the one file.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage

from loket.core.ledger import entry_problem
from loket.core.ledger_content import ContentReport, Mismatch, register_content_checker
from loket.supervision.models import Submission, SubmissionFile

BATCH = 1000
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileFacts:
    uri: str
    label: str
    kind: str
    storage_name: str
    sha256: str
    cache_status: str


def file_facts(record: SubmissionFile) -> FileFacts:
    return FileFacts(
        uri=record.uri,
        label=record.original_name or record.url or record.uri,
        kind=record.kind,
        storage_name=record.storage_name,
        sha256=record.sha256,
        cache_status=record.cache_status,
    )


def stored_sha256(storage_name: str) -> str | None:
    """SHA-256 of a stored file's bytes, read in chunks; None when it is not in storage."""
    digest = hashlib.sha256()
    try:
        with _open(storage_name) as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return digest.hexdigest()


def _open(storage_name: str) -> Any:
    """Local files are opened directly (the storage API's path checks cost more than the read for 100,000 small
    files); other storages (S3) through the API."""
    try:
        path = default_storage.path(storage_name)
    except NotImplementedError:
        return default_storage.open(storage_name, "rb")
    return open(path, "rb")  # closed by the caller's with


def content_problems_of(
    *,
    form_data_nt: str,
    stored_hash: str,
    entry_hash: str | None,
    payload: dict[str, Any] | None,
    files: list[FileFacts],
    check_bytes: bool,
) -> list[str]:
    """Every way the stored content differs from its "sent" register entry ([] when it matches)."""
    from loket.supervision.services import content_hash_of

    if entry_hash is None:
        return ["no register entry for this sent submission"]
    problems = []
    if stored_hash != entry_hash:
        problems.append("the stored content hash differs from the register")
    sent_files = dict(line.split(" ", 1) for line in (payload or {}).get("files", []) if " " in line)
    uploads = {f.uri: f for f in files if f.kind == SubmissionFile.Kind.UPLOAD}
    for uri, sha256 in sorted(sent_files.items()):
        record = uploads.get(uri)
        if record is None:
            problems.append(f"file {uri} was sent but its record is gone")
        elif record.sha256 != sha256:
            problems.append(f"file {record.label} ({uri}): its recorded SHA-256 differs from the register")
    for uri in sorted(set(uploads) - set(sent_files)):
        problems.append(f"file {uploads[uri].label} ({uri}) was not part of what was sent")
    if content_hash_of(form_data_nt, list(sent_files.values())) != entry_hash:
        problems.append("the stored form data differs from what was sent")
    if check_bytes:
        problems.extend(_bytes_problems(files))
    return problems


def _bytes_problems(files: list[FileFacts]) -> Iterator[str]:
    for record in files:
        if not record.storage_name or (
            record.kind == SubmissionFile.Kind.LINK and record.cache_status != SubmissionFile.CacheStatus.DONE
        ):
            continue
        what = "file" if record.kind == SubmissionFile.Kind.UPLOAD else "cached copy of"
        actual = stored_sha256(record.storage_name)
        if actual is None:
            yield f"{what} {record.label} ({record.uri}) is missing from storage"
        elif actual != record.sha256:
            yield f"{what} {record.label} ({record.uri}): the bytes in storage differ from the recorded SHA-256"


def submission_content_problems(submission: Submission, *, check_bytes: bool = False) -> list[str]:
    """The problems with one sent submission (its register entry checked too: hash and signature)."""
    entry = submission.sent_entry
    if entry is not None:
        problem = entry_problem(entry)
        if problem:
            return [f"register entry {entry.position}: {problem}"]
    return content_problems_of(
        form_data_nt=submission.form_data_nt,
        stored_hash=submission.content_hash,
        entry_hash=entry.content_hash if entry else None,
        payload=entry.payload if entry else None,
        files=[file_facts(record) for record in submission.files.all()],
        check_bytes=check_bytes,
    )


def _check_subject(subject_uri: str) -> list[str] | None:
    prefix = f"{settings.LOKET_URI_BASE}/submissions/"
    if not subject_uri.startswith(prefix):
        return None
    submission = (
        Submission.objects.select_related("sent_entry")
        .filter(uuid__in=_uuid_or_nothing(subject_uri[len(prefix) :]), status=Submission.Status.SENT)
        .first()
    )
    if submission is None:
        return ["no sent submission with this URI"]
    return submission_content_problems(submission)


def _uuid_or_nothing(text: str) -> list[str]:
    import uuid

    try:
        return [str(uuid.UUID(text))]
    except ValueError:
        return []


_ROW = ("id", "uuid", "form_data_nt", "content_hash", "sent_entry__content_hash", "sent_entry__payload")
_FILE_ROW = ("submission_id", "uuid", "kind", "storage_name", "original_name", "url", "sha256", "cache_status")


def _check_all(*, check_bytes: bool, report: ContentReport) -> Iterator[Mismatch]:
    """Every sent submission, in batches by id (memory stays flat however many there are); then every "sent"
    register entry whose submission is gone or no longer sent."""
    checked = 0
    for mismatch, counted in _check_submissions(check_bytes=check_bytes):
        checked += counted
        if mismatch is not None:
            yield mismatch
    report.checked += checked
    yield from _entries_without_submission(checked)


def _entries_without_submission(checked: int) -> Iterator[Mismatch]:
    """Only when the counts differ (a deleted row, a status changed back) are the entries' subjects compared."""
    from loket.core.ledger import KIND_SENT
    from loket.core.ledger_models import LedgerEntry

    prefix = f"{settings.LOKET_URI_BASE}/submissions/"
    entries = LedgerEntry.objects.filter(kind=KIND_SENT, subject_uri__startswith=prefix)
    if entries.count() == checked:
        return
    sent = {str(key) for key in Submission.objects.filter(status=Submission.Status.SENT).values_list("uuid", flat=True)}
    for subject in entries.values_list("subject_uri", flat=True).iterator(chunk_size=5000):
        if subject[len(prefix) :] not in sent:
            yield subject, ["the register records it as sent, but no sent submission is stored"]


def _check_submissions(*, check_bytes: bool) -> Iterator[tuple[Mismatch | None, int]]:
    base = settings.LOKET_URI_BASE
    last_id = 0
    while True:
        rows = list(
            Submission.objects.filter(status=Submission.Status.SENT, id__gt=last_id)
            .order_by("id")
            .values_list(*_ROW)[:BATCH]
        )
        if not rows:
            return
        last_id = rows[-1][0]
        files: dict[int, list[FileFacts]] = defaultdict(list)
        for submission_id, key, kind, storage_name, name, url, sha256, cache_status in (
            SubmissionFile.objects.filter(submission_id__in=[row[0] for row in rows])
            .order_by("submission_id", "id")
            .values_list(*_FILE_ROW)
        ):
            uri = f"{base}/remote-files/{key}" if kind == SubmissionFile.Kind.LINK else f"{base}/files/{key}"
            files[submission_id].append(FileFacts(uri, name or url or uri, kind, storage_name, sha256, cache_status))
        for submission_id, key, form_data_nt, stored_hash, entry_hash, payload in rows:
            problems = content_problems_of(
                form_data_nt=form_data_nt,
                stored_hash=stored_hash,
                entry_hash=entry_hash,
                payload=payload,
                files=files.get(submission_id, []),
                check_bytes=check_bytes,
            )
            yield ((f"{base}/submissions/{key}", problems) if problems else None), 1


register_content_checker("supervision", check_subject=_check_subject, check_all=_check_all)


class FileTampered(Exception):
    """A stored file's bytes differ from its recorded SHA-256 (or are gone): it is not handed out."""

    def __init__(self, record: SubmissionFile, problem: str) -> None:
        super().__init__(problem)
        self.record = record
        self.problem = problem


def submission_file_check(*, record: SubmissionFile, actor: Any) -> None:
    """Before a download: the bytes in storage must hash to the recorded SHA-256. A mismatch is audited and
    raises FileTampered (the view refuses the download with a message)."""
    from loket.core.audit import audit_record

    if not record.sha256:
        return
    actual = stored_sha256(record.storage_name)
    if actual == record.sha256:
        return
    problem = "missing from storage" if actual is None else f"SHA-256 {actual} instead of {record.sha256}"
    audit_record(
        action="submission.file_refused",
        actor=actor,
        organisation=record.submission.organisation,
        submission=record.submission.uri,
        file=record.uri,
        problem=problem,
    )
    raise FileTampered(record, problem)


class FormDataTampered(Exception):
    """The stored form data of a sent submission no longer matches its register entry: it is not handed out."""


def submission_form_data_check(*, submission: Submission, actor: Any) -> None:
    """Before the sent form data is downloaded: it must match the register (audited and refused otherwise)."""
    from loket.core.audit import audit_record

    problems = _form_data_problems(submission)
    if not problems:
        return
    audit_record(
        action="submission.file_refused",
        actor=actor,
        organisation=submission.organisation,
        submission=submission.uri,
        file="formuliergegevens",
        problem="; ".join(problems)[:500],
    )
    raise FormDataTampered("; ".join(problems))


def _form_data_problems(submission: Submission) -> list[str]:
    """Only what concerns the form data itself (its files are checked when they are downloaded)."""
    from loket.supervision.services import content_hash_of

    entry = submission.sent_entry
    if entry is None:
        return ["no register entry for this sent submission"]
    problem = entry_problem(entry)
    if problem:
        return [f"register entry {entry.position}: {problem}"]
    hashes = [line.split(" ", 1)[1] for line in (entry.payload or {}).get("files", []) if " " in line]
    if content_hash_of(submission.form_data_nt, hashes) != entry.content_hash:
        return ["the stored form data differs from what was sent"]
    return []
