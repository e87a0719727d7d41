"""Import organisations from CSV (`uri,uuid,name,classification_uri,classification_label,kbo,province`).

Idempotent: a row updates the organisation with the same URI. A row without a usable URI, or with a
malformed identifier, is rejected and reported; a KBO number that fails the mod-97 check is left out and
reported (the body is still imported, under its real URI)."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from loket.organisations.identifiers import kbo_is_valid, normalise_kbo
from loket.organisations.models import CLASSIFICATION_BASE, Organisation, OrganisationKind, TargetGroup

REQUIRED_COLUMNS = {"uri", "name", "classification_uri", "classification_label", "kbo"}

_CATEGORY_BY_ID = {
    "5ab0e9b8a3b2ca7c5e000001": OrganisationKind.Category.MUNICIPALITY,
    "5ab0e9b8a3b2ca7c5e000002": OrganisationKind.Category.OCMW,
    "5ab0e9b8a3b2ca7c5e000000": OrganisationKind.Category.PROVINCE,
    "5ab0e9b8a3b2ca7c5e000003": OrganisationKind.Category.DISTRICT,
    "66ec74fd-8cfc-4e16-99c6-350b35012e86": OrganisationKind.Category.WORSHIP_BOARD,
    "f9cac08a-13c1-49da-9bcb-f650b0604054": OrganisationKind.Category.CENTRAL_WORSHIP_BOARD,
    "36372fad-0358-499c-a4e3-f412d2eae213": OrganisationKind.Category.REPRESENTATIVE_BODY,
    "52cc9d8d-1c9a-4d92-9936-da9d4a622ec4": OrganisationKind.Category.AGENCY,
}


def category_for(uri: str, label: str) -> str:
    key = uri.rstrip("/").rsplit("/", 1)[-1]
    if key in _CATEGORY_BY_ID and uri.startswith(CLASSIFICATION_BASE):
        return _CATEGORY_BY_ID[key]
    if label.strip().lower() == "representatief orgaan":
        return OrganisationKind.Category.REPRESENTATIVE_BODY
    return OrganisationKind.Category.OTHER


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


class ImportFileError(Exception):
    """The file itself cannot be read as an organisations CSV."""


def _row_problem(row: dict[str, str]) -> str:
    uri = row.get("uri", "").strip()
    if not uri:
        return "no URI"
    if not uri.startswith(("http://", "https://")) or " " in uri:
        return f"URI '{uri}' is not an absolute http(s) URI"
    classification = row.get("classification_uri", "").strip()
    if classification and not classification.startswith(("http://", "https://")):
        return f"classification '{classification}' is not a URI"
    return ""


def import_organisations(path: Path, *, statuses: Path | None = None, target_group: str | None = None) -> ImportReport:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
            if missing:
                raise ImportFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(f"{path}: {error}") from error
    status_by_uri = _read_statuses(statuses) if statuses else {}
    return _import_rows(rows, status_by_uri=status_by_uri, target_group=target_group)


def _read_statuses(path: Path) -> dict[str, str]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return {row["uri"]: row.get("status_label", "") for row in csv.DictReader(handle)}
    except (OSError, KeyError, UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(f"{path}: {error}") from error


@transaction.atomic
def _import_rows(
    rows: Iterable[dict[str, str]], *, status_by_uri: dict[str, str], target_group: str | None
) -> ImportReport:
    report = ImportReport()
    kinds = {kind.uri: kind for kind in OrganisationKind.objects.all()}
    existing = set(Organisation.objects.values_list("uri", flat=True))
    seen: set[str] = set()
    to_save: list[Organisation] = []
    for line, row in enumerate(rows, start=2):
        problem = _row_problem(row)
        uri = row.get("uri", "").strip()
        if not problem and uri in seen:
            problem = f"URI {uri} occurs twice in the file"
        if problem:
            report.rejected.append((line, problem))
            continue
        seen.add(uri)
        kind = _kind(kinds, row.get("classification_uri", "").strip(), row.get("classification_label", "").strip())
        kbo = normalise_kbo(row.get("kbo", "").strip())
        if kbo and not kbo_is_valid(kbo):
            report.warnings.append((line, f"KBO number {kbo} fails the mod-97 check; imported without KBO"))
            kbo = ""
        to_save.append(
            Organisation(
                uri=uri,
                uuid=row.get("uuid", "").strip() or uri.rstrip("/").rsplit("/", 1)[-1],
                name=row.get("name", "").strip(),
                kind=kind,
                kbo=kbo,
                province=row.get("province", "").strip(),
                status=status_by_uri.get(uri, ""),
            )
        )
        if uri in existing:
            report.updated += 1
        else:
            report.created += 1
    Organisation.objects.bulk_create(
        to_save,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["uri"],
        update_fields=["uuid", "name", "kind", "kbo", "province", "status"],
    )
    if target_group:
        group = TargetGroup.objects.get(code=target_group)
        through = Organisation.target_groups.through
        ids = Organisation.objects.filter(uri__in=seen).values_list("pk", flat=True)
        through.objects.bulk_create(
            [through(organisation_id=pk, targetgroup_id=group.pk) for pk in ids], ignore_conflicts=True
        )
    return report


def _kind(kinds: dict[str, OrganisationKind], uri: str, label: str) -> OrganisationKind | None:
    if not uri:
        return None
    if uri not in kinds:
        kinds[uri] = OrganisationKind.objects.create(uri=uri, label=label or uri, category=category_for(uri, label))
    return kinds[uri]
