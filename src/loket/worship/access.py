"""Who may see which worship rows: the unit the user acts for, one 404 for absent and not yours."""

from uuid import UUID

from django.http import Http404, HttpRequest

from loket.worship.models import BoardMember, Minister, WorshipUnit


def unit_for_request(request: HttpRequest) -> WorshipUnit | None:
    """The worship board or central board the user acts for (None when the body is no such unit)."""
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return None
    return (
        WorshipUnit.objects.select_related("organisation__platform", "organisation__kind")
        .filter(organisation=organisation, kind__in=[WorshipUnit.Kind.BOARD, WorshipUnit.Kind.CENTRAL_BOARD])
        .first()
    )


def board_member_for_user(request: HttpRequest, key: UUID | str) -> BoardMember:
    unit = unit_for_request(request)
    rows = BoardMember.objects.select_related("mandate", "person", "unit__organisation")
    if not request.user.is_staff:
        rows = rows.filter(hidden="")
    found = rows.filter(unit=unit, uuid=key).first() if unit is not None else None
    if found is None:
        raise Http404
    return found


def minister_for_user(request: HttpRequest, key: UUID | str) -> Minister:
    unit = unit_for_request(request)
    rows = Minister.objects.select_related("position", "person")
    if not request.user.is_staff:
        rows = rows.filter(hidden="")
    found = rows.filter(position__unit=unit, uuid=key).first() if unit is not None else None
    if found is None:
        raise Http404
    return found


def unit_for_supervisor(request: HttpRequest, key: str) -> WorshipUnit:
    """A board the supervisor's body may read (see `selectors.units_supervised_by`), by its URI key; else 404."""
    from loket.worship.selectors import units_supervised_by

    found = units_supervised_by(getattr(request, "organisation", None)).filter(organisation__uri__endswith="/" + key)
    unit = found.first()
    if unit is None:
        raise Http404
    return unit
