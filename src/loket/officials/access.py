"""Who may see which function or holder: the body's members with role leidinggevenden; absent and not yours give
the same 404."""

from uuid import UUID

from django.http import Http404, HttpRequest

from loket.officials.models import Official, OfficialFunction


def function_for_clerk(request: HttpRequest, key: UUID | str) -> OfficialFunction:
    function = OfficialFunction.objects.filter(uuid=key, organisation=request.organisation).first()  # type: ignore[attr-defined]
    if function is None:
        raise Http404
    return function


def official_of(function: OfficialFunction, key: UUID | str) -> Official:
    official = function.officials.select_related("person").filter(uuid=key).first()
    if official is None:
        raise Http404
    return official
