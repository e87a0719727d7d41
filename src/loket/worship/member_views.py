"""Pages of the worship boards: board members (role eredienst-mandaten) and ministers (role eredienst-bedienaren).

The body the user acts for must be a worship board or central board; its rows only (404 otherwise). On a platform,
or with the module switched to read-only, the rows are shown without forms ("beheerd via <platform>")."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.accounts.roles import Role
from loket.core.access import role_required
from loket.core.errors import DomainError
from loket.worship import boards, ministers
from loket.worship.access import board_member_for_user, minister_for_user, unit_for_request, unit_for_supervisor
from loket.worship.boards import CONTACT_FIELDS, MemberInput
from loket.worship.forms import MemberForm, MinisterForm
from loket.worship.ministers import MinisterInput
from loket.worship.models import BoardMember, Minister, WorshipUnit
from loket.worship.people import person_for


def _not_a_unit(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "worship/not_a_unit.html", {"title": title})


def _selected_period(unit: WorshipUnit, key: str) -> tuple[list[boards.Period], boards.Period | None]:
    periods = boards.periods_of(unit)
    chosen = next((period for period in periods if period.key == key), None)
    return periods, chosen or boards.default_period(periods, timezone.localdate())


@role_required(Role.WORSHIP_MANDATES)
def member_list(request: HttpRequest) -> HttpResponse:
    unit = unit_for_request(request)
    if unit is None:
        return _not_a_unit(request, _("Mandatenbeheer erediensten"))
    periods, period = _selected_period(unit, request.GET.get("periode", ""))
    show_hidden = request.user.is_staff and request.GET.get("verborgen") == "1"
    rows = list(boards.members_in(unit, period, include_hidden=show_hidden)) if period else []
    if request.GET.get("actief") == "1":
        today = timezone.localdate()
        rows = [row for row in rows if row.end is None or row.end > today]
    return render(
        request,
        "worship/member_list.html",
        {
            "unit": unit,
            "periods": periods,
            "period": period,
            "rows": rows,
            "warnings": boards.period_warnings(unit, period, [r for r in rows if not r.hidden]) if period else [],
            "read_only": boards.read_only_reason(unit, WorshipUnit.Module.MANDATES),
            "params": request.GET,
        },
    )


PERSON_NAMES = ("rrn", "first_name", "last_name", "sex", "nationality", "birth_date")


def _form_context(form: Any) -> dict[str, Any]:
    """Dates as the date input wants them (ISO), and which fields are the person's and the contact's."""

    def value(name: str) -> str:
        raw = form[name].value()
        return raw.isoformat() if hasattr(raw, "isoformat") else (raw or "")

    return {
        "start_value": value("start"),
        "end_value": value("end"),
        "contact_names": CONTACT_FIELDS,
        "person_names": PERSON_NAMES,
    }


def _contact(data: dict[str, Any]) -> dict[str, str]:
    return {name: data.get(name) or "" for name in CONTACT_FIELDS}


def _form_errors(form: Any, error: DomainError) -> None:
    if not error.fields:
        form.add_error(None, str(error.message))
    for field, problems in error.fields.items():
        for problem in problems if isinstance(problems, list) else [problems]:
            form.add_error(field if field in form.fields else None, str(problem))


def _member_page(request: HttpRequest, unit: WorshipUnit, member: BoardMember | None) -> HttpResponse:
    periods, period = _selected_period(unit, request.GET.get("periode", ""))
    mandates = list(boards.mandates_in(unit, period)) if period else []
    if member is not None and member.mandate not in mandates:
        mandates.append(member.mandate)
    read_only = boards.read_only_reason(unit, WorshipUnit.Module.MANDATES) or (
        _("Deze rij is verborgen.") if member is not None and member.hidden else ""
    )
    initial = {}
    if member is not None:
        initial = {"mandate": str(member.mandate.pk), "start": member.start, "end": member.end}
        initial.update({name: getattr(member, name) for name in CONTACT_FIELDS})
    form = MemberForm(request.POST or None, initial=initial)
    cast(forms.ChoiceField, form.fields["mandate"]).choices = [
        (
            str(m.pk),
            f"{m.get_role_display()} ({m.start:%Y}{'–' + format(m.planned_end, '%Y') if m.planned_end else ''})",
        )
        for m in mandates
    ]
    status = 200
    if request.method == "POST" and not read_only:
        if form.is_valid():
            data = form.cleaned_data
            mandate = next(m for m in mandates if str(m.pk) == data["mandate"])
            try:
                person = member.person if member is not None else person_for(data, actor=request.user)
                _row, warnings = boards.board_member_save(
                    unit=unit,
                    member=member,
                    actor=request.user,
                    data=MemberInput(
                        person=person, mandate=mandate, start=data["start"], end=data["end"], contact=_contact(data)
                    ),
                )
            except DomainError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Het bestuurslid is bewaard."))
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect(reverse("worship:members") + (f"?periode={period.key}" if period else ""))
        status = 400
    elif request.method == "POST":
        status = 403
    return render(
        request,
        "worship/member_form.html",
        {
            "unit": unit,
            "form": form,
            "member": member,
            "period": period,
            "periods": periods,
            "read_only": read_only,
            **_form_context(form),
        },
        status=status,
    )


@role_required(Role.WORSHIP_MANDATES)
def member_new(request: HttpRequest) -> HttpResponse:
    unit = unit_for_request(request)
    if unit is None:
        return _not_a_unit(request, _("Mandatenbeheer erediensten"))
    return _member_page(request, unit, None)


@role_required(Role.WORSHIP_MANDATES)
def member_edit(request: HttpRequest, member: Any) -> HttpResponse:
    found = board_member_for_user(request, member)
    return _member_page(request, found.unit, found)


@role_required(Role.WORSHIP_MINISTERS)
def minister_list(request: HttpRequest) -> HttpResponse:
    unit = unit_for_request(request)
    if unit is None:
        return _not_a_unit(request, _("Bedienarenbeheer"))
    show_hidden = request.user.is_staff and request.GET.get("verborgen") == "1"
    return render(
        request,
        "worship/minister_list.html",
        {
            "unit": unit,
            "rows": ministers.ministers_of(unit, include_hidden=show_hidden),
            "read_only": boards.read_only_reason(unit, WorshipUnit.Module.MINISTERS),
        },
    )


def _minister_page(request: HttpRequest, unit: WorshipUnit, minister: Minister | None) -> HttpResponse:
    positions = list(ministers.positions_of(unit))
    read_only = boards.read_only_reason(unit, WorshipUnit.Module.MINISTERS) or (
        _("Deze rij is verborgen.") if minister is not None and minister.hidden else ""
    )
    initial = {}
    if minister is not None:
        initial = {"position": str(minister.position.pk), "start": minister.start, "end": minister.end}
        initial.update({name: getattr(minister, name) for name in CONTACT_FIELDS})
    form = MinisterForm(request.POST or None, initial=initial)
    cast(forms.ChoiceField, form.fields["position"]).choices = [
        (str(p.pk), p.get_function_display()) for p in positions
    ]
    status = 200
    if request.method == "POST" and not read_only:
        if form.is_valid():
            data = form.cleaned_data
            position = next(p for p in positions if str(p.pk) == data["position"])
            try:
                person = minister.person if minister is not None else person_for(data, actor=request.user)
                ministers.minister_save(
                    unit=unit,
                    minister=minister,
                    actor=request.user,
                    data=MinisterInput(
                        person=person, position=position, start=data["start"], end=data["end"], contact=_contact(data)
                    ),
                )
            except DomainError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("De bedienaar is bewaard."))
                return redirect("worship:ministers")
        status = 400
    elif request.method == "POST":
        status = 403
    return render(
        request,
        "worship/minister_form.html",
        {"unit": unit, "form": form, "minister": minister, "read_only": read_only, **_form_context(form)},
        status=status,
    )


@role_required(Role.WORSHIP_MINISTERS)
def minister_new(request: HttpRequest) -> HttpResponse:
    unit = unit_for_request(request)
    if unit is None:
        return _not_a_unit(request, _("Bedienarenbeheer"))
    return _minister_page(request, unit, None)


@role_required(Role.WORSHIP_MINISTERS)
def minister_edit(request: HttpRequest, minister: Any) -> HttpResponse:
    found = minister_for_user(request, minister)
    return _minister_page(request, found.position.unit, found)


@role_required(Role.SUPERVISOR)
def supervised_units(request: HttpRequest) -> HttpResponse:
    """The worship boards a supervisor's body may read (involved, central board, representative body; the agency:
    all)."""
    from loket.worship.selectors import units_supervised_by

    units = units_supervised_by(request.organisation)  # type: ignore[attr-defined]
    search = request.GET.get("zoek", "").strip()
    if search:
        units = units.filter(Q(organisation__name__icontains=search) | Q(organisation__kbo__contains=search))
    return render(request, "worship/supervised_units.html", {"units": units[:200], "search": search})


@role_required(Role.SUPERVISOR)
def supervised_unit(request: HttpRequest, unit: str) -> HttpResponse:
    """One board's board members (current period, else the default one) and ministers, read-only, without the
    persons' contact data or national register number."""
    found = unit_for_supervisor(request, unit)
    periods, period = _selected_period(found, request.GET.get("periode", ""))
    return render(
        request,
        "worship/supervised_unit.html",
        {
            "unit": found,
            "periods": periods,
            "period": period,
            "members": boards.members_in(found, period) if period else [],
            "ministers": ministers.ministers_of(found),
        },
    )
