"""Who may see which organ and holder: those of the organisation the clerk acts for (role Mandaten is checked by
the view). One answer, 404, for absent and not yours."""

from uuid import UUID

from django.http import Http404, HttpRequest

from loket.mandates.models import Holder, OrganTerm


def term_for_user(request: HttpRequest, key: UUID | str) -> OrganTerm:
    term = (
        OrganTerm.objects.select_related("organ__organisation")
        .filter(
            uuid=key,
            organ__organisation=request.organisation,  # type: ignore[attr-defined]
        )
        .first()
    )
    if term is None:
        raise Http404
    return term


def holder_for_user(request: HttpRequest, key: UUID | str) -> Holder:
    holder = (
        Holder.objects.select_related("person", "mandate__term__organ__organisation", "fractie", "replaced_by__person")
        .filter(
            uuid=key,
            deleted_at__isnull=True,
            mandate__term__organ__organisation=request.organisation,  # type: ignore[attr-defined]
        )
        .first()
    )
    if holder is None:
        raise Http404
    return holder
