"""Who may see which submission. One answer (404) for absent and not yours."""

from uuid import UUID

from django.db import connection
from django.http import Http404, HttpRequest

from loket.accounts.roles import Role
from loket.supervision.models import Submission
from loket.supervision.selectors import inbox_for, submission_with_relations


def submission_for_clerk(request: HttpRequest, key: str | UUID) -> Submission:
    """A submission of the organisation the clerk acts for (role Toezicht is checked by the view), with its
    organisation and kind, document type and governing body.

    Nearly every clerk's page asks this, so it is one statement of its own (`selectors.submission_with_relations`):
    the ORM's `select_related(...).get(uuid=…, organisation=…)` cost about 1.3 ms of CPU, this about 0.4 ms
    (tests/supervision/test_access_statement.py compares it with the ORM's answer)."""
    try:
        uuid = UUID(str(key))
    except ValueError as error:
        raise Http404 from error
    organisation = request.organisation  # type: ignore[attr-defined]
    if organisation is None:
        raise Http404
    uuid_value = Submission._meta.get_field("uuid").get_db_prep_value(uuid, connection)
    submission = submission_with_relations("uuid_of_organisation", [uuid_value, organisation.pk])
    if submission is None:
        raise Http404
    return submission


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
