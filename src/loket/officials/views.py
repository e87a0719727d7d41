"""Pages of Leidinggevendenbeheer: the body's functions, a function with its holders (add, change), and the
function's contact point."""

from datetime import date

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.accounts.roles import Role
from loket.core.access import role_required
from loket.core.errors import DomainError
from loket.officials import access, selectors, services
from loket.officials.functions import ONLY_APPOINTED
from loket.officials.models import Official
from loket.persons.search import person_search
from loket.persons.selectors import person_by_uuid


def _date(value: str, field: str) -> date | None:
    """No date when the field is empty; an impossible one (30 February) is refused, never read as empty."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        message = _("Geef een geldige datum op (JJJJ-MM-DD).")
        raise DomainError(message, fields={field: message}) from None


def _errors(error: DomainError) -> dict[str, str]:
    return {"general": str(error.message), **{k: str(v) for k, v in error.fields.items()}}


def _values(request: HttpRequest, official: Official | None = None) -> dict[str, str]:
    """What the period fields show: what was posted, else the holder's current values, else the defaults."""
    if request.method == "POST":
        return {
            "start": request.POST.get("start", ""),
            "end": request.POST.get("einde", ""),
            "status": request.POST.get("status", ""),
        }
    if official is not None:
        return {
            "start": official.start.isoformat(),
            "end": official.end.isoformat() if official.end else "",
            "status": official.status,
        }
    return {"start": "", "end": "", "status": Official.Status.APPOINTED}


def _term(request: HttpRequest) -> services.Term:
    return services.Term(
        start=_date(request.POST.get("start", ""), "start"),
        end=_date(request.POST.get("einde", ""), "end"),
        status=request.POST.get("status", Official.Status.APPOINTED),
    )


@role_required(Role.LEIDINGGEVENDEN)
def function_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    overview = selectors.function_overview(organisation, on=today)
    reason = "" if overview else selectors.why_no_functions(organisation)
    context = {"overview": overview, "reason": reason, "today": today.isoformat()}
    return render(request, "officials/function_list.html", context)


@role_required(Role.LEIDINGGEVENDEN)
def function_detail(request: HttpRequest, function) -> HttpResponse:  # type: ignore[no-untyped-def]
    function = access.function_for_clerk(request, function)
    search = person_search(request)
    errors, status = {}, 200
    if request.method == "POST" and not search.submitted:
        chosen = request.POST.get("person", "")
        try:
            person = person_by_uuid(chosen) if chosen else None
            if chosen and person is None:
                raise DomainError(_("Deze persoon bestaat niet (meer); zoek opnieuw."), fields={"person": "x"})
            services.official_add_person(
                actor=request.user,
                function=function,
                national_number=request.POST.get("rrn", ""),
                given_names=request.POST.get("voornaam", ""),
                family_name=request.POST.get("achternaam", ""),
                term=_term(request),
                person=person,
            )
        except DomainError as error:
            errors, status = _errors(error), 400
        else:
            flash.success(request, _("De functionaris werd toegevoegd. Bevestig nu de contactgegevens van de functie."))
            return redirect("officials:contact", function.uuid)
    officials = function.officials.select_related("person")
    return render(
        request,
        "officials/function_detail.html",
        {
            "function": function,
            "officials": officials,
            "errors": errors,
            "params": request.POST,
            "values": _values(request),
            "only_appointed": function.role_code in ONLY_APPOINTED,
            "statuses": Official.Status.choices,
            "search": search,
        },
        status=search.status or status,
    )


@role_required(Role.LEIDINGGEVENDEN)
def official_end(request: HttpRequest, function, official) -> HttpResponse:  # type: ignore[no-untyped-def]
    """End an appointment on a date: from the overview (a small form per current holder) or this page."""
    function = access.function_for_clerk(request, function)
    official = access.official_of(function, official)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            services.official_end(
                actor=request.user, official=official, end=_date(request.POST.get("einde", ""), "end")
            )
        except DomainError as error:
            errors, status = _errors(error), 400
        else:
            flash.success(
                request,
                _("De aanstelling van %(person)s eindigt op %(end)s.")
                % {"person": official.person, "end": official.end.strftime("%d-%m-%Y")},  # type: ignore[union-attr]
            )
            return redirect("officials:list")
    end = request.POST.get("einde", "") if request.method == "POST" else timezone.localdate().isoformat()
    return render(
        request,
        "officials/official_end.html",
        {"function": function, "official": official, "errors": errors, "end": end},
        status=status,
    )


@role_required(Role.LEIDINGGEVENDEN)
def official_edit(request: HttpRequest, function, official) -> HttpResponse:  # type: ignore[no-untyped-def]
    function = access.function_for_clerk(request, function)
    official = access.official_of(function, official)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            services.official_update(actor=request.user, official=official, term=_term(request))
        except DomainError as error:
            errors, status = _errors(error), 400
        else:
            flash.success(request, _("De aanstelling werd bewaard."))
            return redirect("officials:detail", function.uuid)
    return render(
        request,
        "officials/official_edit.html",
        {
            "function": function,
            "official": official,
            "errors": errors,
            "values": _values(request, official),
            "only_appointed": function.role_code in ONLY_APPOINTED,
            "statuses": Official.Status.choices,
        },
        status=status,
    )


@role_required(Role.LEIDINGGEVENDEN)
def function_contact(request: HttpRequest, function) -> HttpResponse:  # type: ignore[no-untyped-def]
    function = access.function_for_clerk(request, function)
    errors, status = {}, 200
    if request.method == "POST":
        contact = services.Contact(
            **{name: request.POST.get(name, "") for name in services.Contact.__dataclass_fields__}
        )
        try:
            services.function_contact_confirm(actor=request.user, function=function, contact=contact)
        except DomainError as error:
            errors, status = _errors(error), 400
        else:
            flash.success(request, _("De contactgegevens van de functie werden bevestigd."))
            return redirect("officials:list")
    return render(
        request,
        "officials/contact.html",
        {"function": function, "errors": errors, "params": request.POST or None},
        status=status,
    )
