"""Reads for Toezicht: the clerk's list, the supervisor's inbox (filters, keyset pagination), CSV rows."""

import base64
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from loket.core.statements import Columns, columns, instances, quote, table
from loket.core.statements import cursor as statements_cursor
from loket.core.statements import value as statement_value
from loket.organisations.identifiers import normalise_kbo
from loket.organisations.models import Organisation, OrganisationKind
from loket.organisations.naming import display_name_of
from loket.supervision.models import DocumentType, GoverningBody, Submission, SubmissionReceiver

PAGE_SIZE = 25


def _day_start(day: date) -> datetime:
    """The first moment of `day` in the Loket's time zone. A filter on a day compares the moment itself with it
    (`sent_at >= …`), not the moment's date (`sent_at__date >= …`): the database can then use its indexes on the
    column instead of converting every row's time to Brussels time (a parallel scan of every submission)."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Page:
    items: list[Submission]
    next_cursor: str | None


def _encode(moment: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([moment.isoformat(), pk]).encode()).decode()


def _decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        moment, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        parsed = parse_datetime(moment)
        return (parsed, int(pk)) if parsed else None
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


def keyset_page(
    queryset: QuerySet[Submission],
    *,
    field: str,
    cursor: str | None,
    size: int = PAGE_SIZE,
    rows: Callable[[list[int]], dict[int, Submission]] | None = None,
) -> Page:
    """Newest first by `field` then id; the cursor is the last row's (field, id) — no OFFSET.

    Two queries: first the page's keys alone, which PostgreSQL reads from a covering index without touching the
    table (filters on the submission's own columns included), then those rows in full with their relations (from
    `queryset`, or `rows`: keys → rows by key)."""
    position = _decode(cursor) if cursor else None
    if position is not None:
        moment, pk = position
        # `field <= moment` bounds the index scan; the OR only sorts out the rows that tie on `moment`.
        queryset = queryset.filter(Q(**{f"{field}__lte": moment}) & (Q(**{f"{field}__lt": moment}) | Q(pk__lt=pk)))
    keys = list(queryset.order_by(f"-{field}", "-pk").values_list("pk", field)[: size + 1])
    page_keys = keys[:size]
    if not page_keys:
        return Page([], None)
    wanted = [pk for pk, _ in page_keys]
    found = rows(wanted) if rows is not None else {row.pk: row for row in queryset.order_by().filter(pk__in=wanted)}
    items = [found[pk] for pk, _ in page_keys if pk in found]
    last_pk, last_moment = page_keys[-1]
    next_cursor = _encode(last_moment, last_pk) if len(keys) > size else None
    return Page(items, next_cursor)


def with_relations(queryset: QuerySet[Submission], *, delivered_only: bool = False) -> QuerySet[Submission]:
    """Each row with the submission it replaces (joined) and the uuid of the newest sent correction that replaces
    it (`replaced_by_uuid`, a subquery in the same query) — for "vervangt" / "vervangen door" in lists."""
    newest_correction = (
        Submission.objects.filter(replaces=OuterRef("pk"), status=Submission.Status.SENT)
        .filter(Q(delivered_at__isnull=False) if delivered_only else Q())
        .order_by("-sent_at", "-pk")
        .values("uuid")[:1]
    )
    reopened = Submission.objects.filter(replaces=OuterRef("pk")).exclude(reopen_reason="")
    return queryset.select_related("replaces", "replaces__document_type").annotate(
        replaced_by_uuid=Subquery(newest_correction), reopened=Exists(reopened)
    )


def replacement_of(submission: Submission) -> Submission | None:
    """The correction that replaces `submission`, with its document type: the newest sent one, else a concept in
    progress. Every detail page asks, so it is one statement of its own (`core.statements`): the ORM's query with its
    CASE ordering cost about 1 ms of CPU to build (tests/supervision/test_selectors.py compares it with the ORM)."""
    sql, read = _replacement_statement(connection.vendor)
    with statements_cursor() as cursor:
        cursor.execute(sql, [submission.pk, str(Submission.Status.SENT)])
        row = cursor.fetchone()
    if row is None:
        return None
    correction, document_type = instances(row, read)
    correction.document_type = document_type
    return correction


@lru_cache(maxsize=4)
def _replacement_statement(vendor: str) -> tuple[str, tuple[Columns, ...]]:
    read = (columns(Submission, "s"), columns(DocumentType, "d"))
    # Only the models' own table and column names, quoted; the submission and the status are parameters.
    sql = (
        f"SELECT {', '.join(part.sql for part in read)} FROM {table(Submission)} s "  # noqa: S608
        f"JOIN {table(DocumentType)} d ON d.{quote('id')} = s.{quote('document_type_id')} "
        f"WHERE s.{quote('replaces_id')} = %s "
        f"ORDER BY CASE WHEN s.{quote('status')} = %s THEN 0 ELSE 1 END, s.{quote('sent_at')} DESC NULLS LAST, "
        f"s.{quote('created_at')} DESC, s.{quote('id')} DESC LIMIT 1"
    )
    return sql, read


def submissions_of_organisation(
    organisation: Organisation,
    *,
    document_type: str = "",
    status: str = "",
    since: date | None = None,
    until: date | None = None,
    relations: bool = True,
) -> QuerySet[Submission]:
    """The organisation's submissions, filtered; with their relations as the list shows them (`with_relations`), or
    without (`relations=False`: for keys only, as `clerk_page` reads them)."""
    queryset = Submission.objects.filter(organisation=organisation)
    if relations:
        queryset = with_relations(queryset.select_related("document_type", "governing_body"))
    if document_type:
        queryset = queryset.filter(document_type__uri=document_type)
    if status in Submission.Status.values:
        queryset = queryset.filter(status=status)
    if since:
        queryset = queryset.filter(modified_at__gte=_day_start(since))
    if until:
        queryset = queryset.filter(modified_at__lt=_day_start(until + timedelta(days=1)))
    return queryset


def clerk_page(
    organisation: Organisation,
    *,
    document_type: str = "",
    status: str = "",
    since: date | None = None,
    until: date | None = None,
    by_sent: bool = False,
    cursor: str | None = None,
) -> Page:
    """The clerk's list: a keyset page of the organisation's submissions, newest changed (or sent) first. The keys
    come from the ORM's filters; the rows from one statement of their own (`clerk_rows`)."""
    queryset = submissions_of_organisation(
        organisation, document_type=document_type, status=status, since=since, until=until, relations=False
    )
    if by_sent:
        queryset = queryset.filter(sent_at__isnull=False)
    return keyset_page(
        queryset,
        field="sent_at" if by_sent else "modified_at",
        cursor=cursor,
        rows=lambda keys: clerk_rows(organisation, keys),
    )


def clerk_rows(organisation: Organisation, keys: Sequence[int]) -> dict[int, Submission]:
    """The rows of the clerk's list by key, as `submissions_of_organisation` reads them (its document type, governing
    body, the submission it replaces with that one's type, `replaced_by_uuid`: the newest sent correction's uuid), in
    one statement (`core.statements`): building the ORM's query with its subqueries and making 25 rows of 5 instances
    cost about 3 ms. Only the organisation's own rows, whatever keys are asked (the tenant filter is in the
    statement). tests/supervision/test_selectors.py compares it with the ORM."""
    if not keys:
        return {}
    sql, read = _clerk_rows_statement(connection.vendor)
    found: dict[int, Submission] = {}
    with statements_cursor() as cursor:
        cursor.execute(
            sql.format(keys=", ".join(["%s"] * len(keys))),
            [str(Submission.Status.SENT), organisation.pk, *keys],
        )
        for row in cursor.fetchall():
            submission, document_type, governing_body, replaces, replaced_type = instances(row[:-1], read)
            submission.document_type = document_type
            submission.governing_body = governing_body
            if replaces is not None:
                replaces.document_type = replaced_type
            submission.replaces = replaces
            submission.replaced_by_uuid = statement_value(Submission, "uuid", row[-1]) if row[-1] is not None else None
            found[submission.pk] = submission
    return found


@lru_cache(maxsize=4)
def _clerk_rows_statement(vendor: str) -> tuple[str, tuple[Columns, ...]]:
    read = (
        columns(Submission, "s"),
        columns(DocumentType, "d"),
        columns(GoverningBody, "g"),
        columns(Submission, "r"),
        columns(DocumentType, "rd"),
    )
    key, sent_at = quote("id"), quote("sent_at")
    replaces, type_key = quote("replaces_id"), quote("document_type_id")
    # Only the models' own table and column names, quoted; the status, the organisation and the keys are parameters
    # ({keys}: one %s per key). The newest sent correction is ordered as the ORM orders it (`-sent_at`, `-pk`).
    sql = (
        f"SELECT {', '.join(part.sql for part in read)}, "  # noqa: S608
        f"(SELECT c.{quote('uuid')} FROM {table(Submission)} c WHERE c.{replaces} = s.{key} "
        f"AND c.{quote('status')} = %s ORDER BY c.{sent_at} DESC, c.{key} DESC LIMIT 1) "
        f"FROM {table(Submission)} s "
        f"JOIN {table(DocumentType)} d ON d.{key} = s.{type_key} "
        f"LEFT JOIN {table(GoverningBody)} g ON g.{key} = s.{quote('governing_body_id')} "
        f"LEFT JOIN {table(Submission)} r ON r.{key} = s.{replaces} "
        f"LEFT JOIN {table(DocumentType)} rd ON rd.{key} = r.{type_key} "
        f"WHERE s.{quote('organisation_id')} = %s AND s.{key} IN ({{keys}})"
    )
    return sql, read


@dataclass(frozen=True)
class InboxFilter:
    organisation: str = ""  # URI key
    kind: str = ""  # OrganisationKind uri
    province: str = ""
    document_type: str = ""
    governing_body: str = ""  # classification URI
    session_from: date | None = None
    session_until: date | None = None
    sent_from: date | None = None
    sent_until: date | None = None
    handled: str = ""  # "yes" | "no" | ""
    search: str = ""


def inbox_for(supervisor_organisation: Organisation) -> QuerySet[Submission]:
    """Delivered submissions a supervisor at `supervisor_organisation` may see: all, for the agency; for a
    municipality, province or representative body: the worship decisions of the boards it supervises."""
    queryset = Submission.objects.filter(status=Submission.Status.SENT, delivered_at__isnull=False)
    category = supervisor_organisation.kind.category if supervisor_organisation.kind_id else ""  # type: ignore[union-attr]
    if category != OrganisationKind.Category.AGENCY:
        supervised = Organisation.objects.filter(
            supervised_by=supervisor_organisation,
            kind__category__in=[
                OrganisationKind.Category.WORSHIP_BOARD,
                OrganisationKind.Category.CENTRAL_WORSHIP_BOARD,
            ],
        ).values("pk")
        # Shared supervision: the receivers that a module's dispatch named (`SubmissionReceiver`).
        received = SubmissionReceiver.objects.filter(organisation=supervisor_organisation).values("submission_id")
        queryset = queryset.filter(Q(organisation__in=supervised) | Q(pk__in=received))
    return queryset.select_related("organisation", "organisation__kind", "document_type", "governing_body")


def inbox_filtered(queryset: QuerySet[Submission], filters: InboxFilter) -> QuerySet[Submission]:
    """`queryset` (an `inbox_for`) narrowed by the inbox's filters: for the page's keys and for the CSV export."""
    conditions = Q()
    if filters.organisation:
        conditions &= Q(organisation__uri__endswith="/" + filters.organisation)
    if filters.kind:
        conditions &= Q(organisation__in=Organisation.objects.filter(kind__uri=filters.kind).values("pk"))
    if filters.province:
        conditions &= Q(organisation__in=Organisation.objects.filter(province=filters.province).values("pk"))
    if filters.document_type:
        # A scalar subquery, not a join: the database then walks the (document type, sent_at) index in order.
        conditions &= Q(document_type=Subquery(DocumentType.objects.filter(uri=filters.document_type).values("pk")))
    if filters.governing_body:
        conditions &= Q(governing_body__classification_uri=filters.governing_body)
    if filters.session_from:
        conditions &= Q(session_date__gte=filters.session_from)
    if filters.session_until:
        conditions &= Q(session_date__lte=filters.session_until)
    if filters.sent_from:
        conditions &= Q(sent_at__gte=_day_start(filters.sent_from))
    if filters.sent_until:
        conditions &= Q(sent_at__lt=_day_start(filters.sent_until + timedelta(days=1)))
    if filters.handled == "yes":
        conditions &= Q(handled_at__isnull=False)
    elif filters.handled == "no":
        conditions &= Q(handled_at__isnull=True)
    if filters.search.strip():
        term = filters.search.strip()
        digits = normalise_kbo(term)
        search = Q(organisation__name__icontains=term)
        if digits.isdigit() and len(digits) >= 4:
            search |= Q(organisation__kbo__startswith=digits)
        conditions &= search
    return queryset.filter(conditions)


def inbox_page(supervisor_organisation: Organisation, filters: InboxFilter, *, cursor: str | None) -> Page:
    """The supervisor's inbox: a keyset page of what `inbox_for` lets them see, filtered, newest sent first. The keys
    come from the ORM's filters; the rows from one statement of their own (`inbox_rows`)."""
    return keyset_page(
        inbox_filtered(inbox_for(supervisor_organisation), filters),
        field="sent_at",
        cursor=cursor,
        rows=lambda keys: inbox_rows(supervisor_organisation, keys),
    )


# Large columns the inbox list never shows (the detail page reads them through `inbox_for`): deferred.
_NOT_IN_INBOX_LIST = ("source_ttl", "form_data_nt", "handled_note")


def inbox_rows(supervisor_organisation: Organisation, keys: Sequence[int]) -> dict[int, Submission]:
    """The rows of the inbox by key, with what the list shows: the organisation and its kind, the document type, the
    governing body, the submission it replaces (with that one's type), who handled it, `replaced_by_uuid` (the
    newest delivered correction) and `reopened`; the large columns deferred. One statement (`core.statements`):
    building the ORM's query with its joins and subqueries and making 25 rows of 8 instances cost about 3 ms. Only
    rows `inbox_for` lets the supervisor see, whatever keys are asked (the rule is in the statement too,
    `_inbox_visible`). tests/supervision/test_inbox_rows.py compares it with the ORM."""
    if not keys:
        return {}
    sql, read = _inbox_rows_statement(connection.vendor)
    visible, visible_parameters = _inbox_visible(supervisor_organisation)
    sent = str(Submission.Status.SENT)
    found: dict[int, Submission] = {}
    with statements_cursor() as cursor:
        cursor.execute(
            sql.format(keys=", ".join(["%s"] * len(keys)), visible=visible),
            [sent, sent, *keys, *visible_parameters],
        )
        for row in cursor.fetchall():
            made = instances(row[:-2], read)
            submission, organisation, kind, document_type, body, replaces, replaced_type, handled_by = made
            organisation.kind = kind
            submission.organisation = organisation
            submission.document_type = document_type
            submission.governing_body = body
            if replaces is not None:
                replaces.document_type = replaced_type
            submission.replaces = replaces
            submission.handled_by = handled_by
            submission.replaced_by_uuid = statement_value(Submission, "uuid", row[-2]) if row[-2] is not None else None
            submission.reopened = bool(row[-1])
            found[submission.pk] = submission
    return found


def _inbox_visible(supervisor_organisation: Organisation) -> tuple[str, list[int | str]]:
    """`inbox_for`'s rule as a condition on `s` (the statement's submission; sent and delivered are asked there):
    nothing more for the agency; else the worship boards it supervises, or a receiver it is."""
    category = supervisor_organisation.kind.category if supervisor_organisation.kind_id else ""  # type: ignore[union-attr]
    if category == OrganisationKind.Category.AGENCY:
        return "", []
    sql, worship = _inbox_visible_statement(connection.vendor)
    return sql, [supervisor_organisation.pk, *worship, supervisor_organisation.pk]


@lru_cache(maxsize=4)
def _inbox_visible_statement(vendor: str) -> tuple[str, tuple[str, ...]]:
    through = Organisation.supervised_by.through
    supervised = Organisation._meta.get_field("supervised_by")
    key = quote("id")
    worship = (str(OrganisationKind.Category.WORSHIP_BOARD), str(OrganisationKind.Category.CENTRAL_WORSHIP_BOARD))
    sql = (
        f" AND (s.{quote('organisation_id')} IN (SELECT so.{key} FROM {table(Organisation)} so "  # noqa: S608
        f"JOIN {table(through)} t ON t.{quote(supervised.m2m_column_name())} = so.{key} "  # type: ignore[attr-defined]
        f"JOIN {table(OrganisationKind)} sk ON sk.{key} = so.{quote('kind_id')} "
        f"WHERE t.{quote(supervised.m2m_reverse_name())} = %s AND sk.{quote('category')} IN (%s, %s)) "  # type: ignore[attr-defined]
        f"OR s.{key} IN (SELECT sr.{quote('submission_id')} FROM {table(SubmissionReceiver)} sr "
        f"WHERE sr.{quote('organisation_id')} = %s))"
    )
    return sql, worship


@lru_cache(maxsize=4)
def _inbox_rows_statement(vendor: str) -> tuple[str, tuple[Columns, ...]]:
    from django.contrib.auth import get_user_model

    read = (
        columns(Submission, "s", without=_NOT_IN_INBOX_LIST),
        columns(Organisation, "o"),
        columns(OrganisationKind, "k"),
        columns(DocumentType, "d", without=("definition",)),
        columns(GoverningBody, "g"),
        columns(Submission, "r", without=_NOT_IN_INBOX_LIST),
        columns(DocumentType, "rd", without=("definition",)),
        columns(get_user_model(), "u"),
    )
    key, status, sent_at = quote("id"), quote("status"), quote("sent_at")
    replaces, type_key, delivered_at = quote("replaces_id"), quote("document_type_id"), quote("delivered_at")
    # Only the models' own table and column names, quoted; statuses, keys and the supervisor are parameters ({keys}:
    # one %s per key; {visible}: `_inbox_visible`). The newest correction is ordered as the ORM orders it.
    sql = (
        f"SELECT {', '.join(part.sql for part in read)}, "  # noqa: S608
        f"(SELECT c.{quote('uuid')} FROM {table(Submission)} c WHERE c.{replaces} = s.{key} "
        f"AND c.{status} = %s AND c.{delivered_at} IS NOT NULL ORDER BY c.{sent_at} DESC, c.{key} DESC LIMIT 1), "
        f"EXISTS (SELECT 1 FROM {table(Submission)} x WHERE x.{replaces} = s.{key} "
        f"AND NOT (x.{quote('reopen_reason')} = '')) "
        f"FROM {table(Submission)} s "
        f"JOIN {table(Organisation)} o ON o.{key} = s.{quote('organisation_id')} "
        f"LEFT JOIN {table(OrganisationKind)} k ON k.{key} = o.{quote('kind_id')} "
        f"JOIN {table(DocumentType)} d ON d.{key} = s.{type_key} "
        f"LEFT JOIN {table(GoverningBody)} g ON g.{key} = s.{quote('governing_body_id')} "
        f"LEFT JOIN {table(Submission)} r ON r.{key} = s.{replaces} "
        f"LEFT JOIN {table(DocumentType)} rd ON rd.{key} = r.{type_key} "
        f"LEFT JOIN {table(get_user_model())} u ON u.{key} = s.{quote('handled_by_id')} "
        f"WHERE s.{status} = %s AND s.{delivered_at} IS NOT NULL AND s.{key} IN ({{keys}}){{visible}}"
    )
    return sql, read


CSV_HEADER = [
    "uri",
    "bestuur",
    "soort_bestuur",
    "kbo",
    "provincie",
    "type_dossier",
    "bestuursorgaan",
    "zittingsdatum",
    "verstuurd_op",
    "afgeleverd_op",
    "opmerking_voor_de_toezichthouder",
    "vervangt",
    "vervangen_door",
    "behandeld_op",
    "behandeld_door",
    "notitie_behandeling",
    "inhoud_sha256",
]


def inbox_csv_rows(queryset: QuerySet[Submission]) -> Iterator[Sequence[object]]:
    """The rows of the inbox export (written by core.csvexport: `;`, BOM, Brussels times, formulas escaped)."""
    from loket.supervision.formdata import REMARK_MARKER, remark_of

    yield CSV_HEADER
    # The stored form data only of rows that hold a remark (most do not): a fraction of the bytes to transfer.
    with_remark = Case(
        When(form_data_nt__contains=REMARK_MARKER, then=F("form_data_nt")), default=Value(""), output_field=TextField()
    )
    rows = (
        queryset.order_by("-sent_at", "-pk")
        .annotate(remark_source=with_remark)
        .values_list(
            "pk",
            "uuid",
            "organisation_id",
            "organisation__name",
            "organisation__kbo",
            "organisation__kind__label",
            "organisation__province",
            "document_type__label",
            "governing_body__label",
            "session_date",
            "sent_at",
            "delivered_at",
            "remark_source",
            "replaces__uuid",
            "handled_at",
            "handled_by__first_name",
            "handled_by__last_name",
            "handled_note",
            "content_hash",
        )
    )
    base = f"{settings.LOKET_URI_BASE}/submissions/"
    # "vervangen door": corrections are few; one query for all of them instead of a subquery per row.
    replaced_by: dict[int, str] = {}
    for original, correction in (
        Submission.objects.filter(replaces__isnull=False, status=Submission.Status.SENT, delivered_at__isnull=False)
        .order_by("sent_at", "pk")
        .values_list("replaces_id", "uuid")
    ):
        replaced_by[original] = f"{base}{correction}"  # the newest correction wins
    for row in rows.iterator(chunk_size=2000):
        (pk, uuid, org_pk, name, kbo, kind, province, doc_type, organ, session, sent, delivered, form_data,
         replaces, handled_at, first, last, note, content_hash) = row  # fmt: skip
        yield [
            f"{base}{uuid}",
            display_name_of(pk=org_pk, name=name, kbo=kbo, kind_label=kind),
            kind,
            kbo,
            province,
            doc_type,
            organ,
            session,
            sent,
            delivered,
            remark_of(form_data, uuid) if form_data else "",
            f"{base}{replaces}" if replaces else "",
            replaced_by.get(pk, ""),
            handled_at,
            f"{first or ''} {last or ''}".strip(),
            note,
            content_hash,
        ]


def delivered_submissions_of_or_about(organisation: Organisation, *, reason_suffix: str) -> QuerySet[Submission]:
    """Delivered submissions sent by `organisation`, or naming it as a receiver for a reason ending in
    `reason_suffix` (shared supervision re-computes their receivers when the body's relations change)."""
    return (
        Submission.objects.filter(status=Submission.Status.SENT, delivered_at__isnull=False)
        .filter(
            Q(organisation=organisation)
            | Q(receivers__organisation=organisation, receivers__reason__endswith=reason_suffix)
        )
        .select_related("organisation__kind", "document_type")
        .distinct()
        .order_by("pk")
    )


def received_since(organisation: Organisation, since: datetime) -> QuerySet[Submission]:
    """Submissions delivered after `since` that name `organisation` as a receiver and were not sent by it."""
    return (
        Submission.objects.filter(
            status=Submission.Status.SENT,
            delivered_at__gt=since,
            pk__in=SubmissionReceiver.objects.filter(organisation=organisation).values("submission_id"),
        )
        .exclude(organisation=organisation)
        .select_related("organisation__kind", "document_type")
        .order_by("delivered_at", "pk")
    )


# A submission with its organisation and kind, document type and governing body, as one statement of its own
# (`core.statements`): what the ORM's `select_related("organisation__kind", "document_type", "governing_body")` reads.
# The clerk's pages ask it by uuid within their organisation (access.submission_for_clerk), every save, send and delete
# of a concept by key, locked (services._locked_submission); the ORM spent 1-1.5 ms of CPU building each.
_SUBMISSION_BY = {"key": ("id",), "uuid_of_organisation": ("uuid", "organisation_id")}


def submission_with_relations(by: str, parameters: Sequence[Any], *, lock: bool = False) -> Submission | None:
    """The submission whose columns named by `by` (a key of _SUBMISSION_BY) equal `parameters`, with its relations;
    `lock`: FOR UPDATE OF the submission's row where the database has it (PostgreSQL). None when there is none."""
    lock_of = lock and connection.features.has_select_for_update_of
    sql, read = _submission_with_relations_statement(connection.vendor, by, lock_of)
    with statements_cursor() as cursor:
        cursor.execute(sql, list(parameters))
        row = cursor.fetchone()
    if row is None:
        return None
    submission, organisation, kind, document_type, governing_body = instances(row, read)
    organisation.kind = kind
    submission.organisation = organisation
    submission.document_type = document_type
    submission.governing_body = governing_body
    return submission


@lru_cache(maxsize=8)
def _submission_with_relations_statement(vendor: str, by: str, lock_of: bool) -> tuple[str, tuple[Columns, ...]]:
    read = (
        columns(Submission, "s"),
        columns(Organisation, "o"),
        columns(OrganisationKind, "k"),
        columns(DocumentType, "d"),
        columns(GoverningBody, "g"),
    )
    key = quote("id")
    where = " AND ".join(f"s.{quote(column)} = %s" for column in _SUBMISSION_BY[by])
    # Only the models' own table and column names, quoted; the values are parameters.
    sql = (
        f"SELECT {', '.join(part.sql for part in read)} FROM {table(Submission)} s "  # noqa: S608
        f"JOIN {table(Organisation)} o ON o.{key} = s.{quote('organisation_id')} "
        f"LEFT JOIN {table(OrganisationKind)} k ON k.{key} = o.{quote('kind_id')} "
        f"JOIN {table(DocumentType)} d ON d.{key} = s.{quote('document_type_id')} "
        f"LEFT JOIN {table(GoverningBody)} g ON g.{key} = s.{quote('governing_body_id')} "
        f"WHERE {where}"
    )
    return sql + (" FOR UPDATE OF s" if lock_of else ""), read
