"""Who may see which submission. One answer (404) for absent and not yours."""

from functools import lru_cache
from uuid import UUID

from django.db import connection
from django.http import Http404, HttpRequest

from loket.accounts.roles import Role
from loket.core.statements import Columns, columns, instances, quote, table
from loket.organisations.models import Organisation, OrganisationKind
from loket.supervision.models import DocumentType, GoverningBody, Submission
from loket.supervision.selectors import inbox_for


def submission_for_clerk(request: HttpRequest, key: str | UUID) -> Submission:
    """A submission of the organisation the clerk acts for (role Toezicht is checked by the view), with its
    organisation and kind, document type and governing body.

    Nearly every clerk's page asks this, so it is one statement of its own (`core.statements`): the ORM's
    `select_related(...).get(uuid=…, organisation=…)` cost about 1.3 ms of CPU, this about 0.4 ms
    (tests/supervision/test_access_statement.py compares it with the ORM's answer)."""
    try:
        uuid = UUID(str(key))
    except ValueError as error:
        raise Http404 from error
    organisation = request.organisation  # type: ignore[attr-defined]
    if organisation is None:
        raise Http404
    sql, read = _clerk_statement(connection.vendor)
    uuid_value = Submission._meta.get_field("uuid").get_db_prep_value(uuid, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [uuid_value, organisation.pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    submission, found_organisation, kind, document_type, governing_body = instances(row, read)
    found_organisation.kind = kind
    submission.organisation = found_organisation
    submission.document_type = document_type
    submission.governing_body = governing_body
    return submission


@lru_cache(maxsize=4)
def _clerk_statement(vendor: str) -> tuple[str, tuple[Columns, ...]]:
    read = (
        columns(Submission, "s"),
        columns(Organisation, "o"),
        columns(OrganisationKind, "k"),
        columns(DocumentType, "d"),
        columns(GoverningBody, "g"),
    )
    key = quote("id")
    # Only the models' own table and column names, quoted; the submission's uuid and the organisation are parameters.
    sql = (
        f"SELECT {', '.join(part.sql for part in read)} FROM {table(Submission)} s "  # noqa: S608
        f"JOIN {table(Organisation)} o ON o.{key} = s.{quote('organisation_id')} "
        f"LEFT JOIN {table(OrganisationKind)} k ON k.{key} = o.{quote('kind_id')} "
        f"JOIN {table(DocumentType)} d ON d.{key} = s.{quote('document_type_id')} "
        f"LEFT JOIN {table(GoverningBody)} g ON g.{key} = s.{quote('governing_body_id')} "
        f"WHERE s.{quote('uuid')} = %s AND s.{quote('organisation_id')} = %s"
    )
    return sql, read


def submission_for_supervisor(request: HttpRequest, key: str) -> Submission:
    if Role.SUPERVISOR not in request.roles:  # type: ignore[attr-defined]
        raise Http404
    try:
        return inbox_for(request.organisation).get(uuid=key)  # type: ignore[attr-defined, arg-type]
    except (Submission.DoesNotExist, ValueError) as error:
        raise Http404 from error


def sent_submission_for_agency_admin(request: HttpRequest, key: str) -> Submission:
    """Any body's sent submission, for agency staff (the page rule has checked `is_staff`); else 404."""
    if not request.user.is_staff:
        raise Http404
    try:
        return (
            Submission.objects.select_related("organisation", "document_type", "sent_entry")
            .filter(status=Submission.Status.SENT)
            .get(uuid=key)
        )
    except (Submission.DoesNotExist, ValueError) as error:
        raise Http404 from error
