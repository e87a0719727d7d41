"""The register covers content, not just entries: what was sent can be re-hashed from what is stored and compared
with its register entry. The register itself (core) does not know what a module sends, so each module that
writes "sent" entries registers a content checker here:

* `check_subject(subject_uri)` — the problems with one sent thing's stored content (a page that shows it, the
  receipt check), or None when the subject is not the module's;
* `check_all(check_bytes=…)` — every sent thing, streamed, yielding (subject URI, problems) for each mismatch
  (`manage.py ledger verify --content`, the nightly run).

A problem is a short English sentence for operators (the command's output); pages say in Dutch that the content
does not match and show nothing else of it.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Mismatch = tuple[str, list[str]]


@dataclass(frozen=True)
class ContentChecker:
    check_subject: Callable[[str], list[str] | None]
    check_all: Callable[..., Iterator[Mismatch]]  # (*, check_bytes: bool, report: ContentReport), counts in report


_CHECKERS: dict[str, ContentChecker] = {}


def register_content_checker(
    name: str, *, check_subject: Callable[[str], list[str] | None], check_all: Callable[..., Iterator[Mismatch]]
) -> None:
    _CHECKERS[name] = ContentChecker(check_subject=check_subject, check_all=check_all)


def content_problems(subject_uri: str) -> list[str]:
    """The problems with a sent subject's stored content; [] when it matches (or no module knows it)."""
    for checker in _CHECKERS.values():
        problems = checker.check_subject(subject_uri)
        if problems is not None:
            return problems
    return []


@dataclass
class ContentReport:
    checked: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def content_verify(*, check_bytes: bool = True, on_mismatch: Callable[[Mismatch], None] | None = None) -> ContentReport:
    """Every module's sent content against the register; mismatches are passed on as they are found."""
    report = ContentReport()
    for _name, checker in sorted(_CHECKERS.items()):
        for mismatch in checker.check_all(check_bytes=check_bytes, report=report):
            report.mismatches.append(mismatch)
            if on_mismatch is not None:
                on_mismatch(mismatch)
    return report


def record_content_verification(*, chain_ok: bool, report: ContentReport) -> None:
    """The audit trail remembers each full check (the nightly run): when, how many, which subjects differed."""
    from loket.core.audit import audit_record

    audit_record(
        action="ledger.content_verified",
        actor_label="manage.py ledger verify --content",
        chain_ok=chain_ok,
        checked=report.checked,
        mismatches=len(report.mismatches),
        subjects=[subject for subject, _problems in report.mismatches[:20]],
    )
