"""Who may see which submission. One answer (404) for absent and not yours."""

from django.http import Http404, HttpRequest

from loket.accounts.roles import Role
from loket.supervision.models import Submission
from loket.supervision.selectors import inbox_for


def submission_for_clerk(request: HttpRequest, key: str) -> Submission:
    """A submission of the organisation the clerk acts for (role Toezicht is checked by the view)."""
    queryset = Submission.objects.select_related("organisation__kind", "document_type", "governing_body")
    try:
        return queryset.get(uuid=key, organisation=request.organisation)  # type: ignore[attr-defined]
    except (Submission.DoesNotExist, ValueError) as error:
        raise Http404 from error


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
