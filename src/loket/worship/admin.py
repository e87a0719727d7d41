"""The helpdesk's back office for worship: the units (religion, cross-border, central board, representative body,
read-only modules), their involved local governments (one page with the running total and what is missing), and
the nightly report. Every change goes through a service, which checks the rules and audits."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loket.core.admin import ReadOnlyAdmin
from loket.core.errors import DomainError
from loket.worship import boards, selectors, services
from loket.worship.codes import InvolvementType
from loket.worship.involvements import parse_percentage
from loket.worship.models import (
    BoardMember,
    DispatchRule,
    InvolvementReport,
    MailSubscription,
    Minister,
    MinisterPosition,
    WorshipUnit,
)


class WorshipUnitForm(forms.ModelForm):
    read_only_modules = forms.MultipleChoiceField(
        label=gettext_lazy("Alleen lezen"),
        choices=WorshipUnit.Module.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WorshipUnit
        fields = ["religion", "is_cross_border", "central_board", "representative_body", "read_only_modules"]

    def clean(self) -> dict:
        data = super().clean() or {}
        try:
            services.worship_unit_check(
                self.instance, data.get("religion", ""), data.get("central_board"), data.get("representative_body")
            )
        except DomainError as error:
            for field, problems in error.fields.items():
                self.add_error(field if field in self.fields else None, problems)
        return data


@admin.register(WorshipUnit)
class WorshipUnitAdmin(admin.ModelAdmin):
    form = WorshipUnitForm
    list_display = [
        "display_name",
        "kbo",
        "kind",
        "religion",
        "is_cross_border",
        "central_board",
        "representative_body",
    ]
    list_filter = ["kind", "religion", "is_cross_border"]
    search_fields = ["organisation__name", "organisation__kbo", "organisation__uri"]
    autocomplete_fields = ["central_board", "representative_body"]
    readonly_fields = ["organisation", "kind", "involvements_link"]
    list_select_related = ["organisation__kind", "central_board__organisation", "representative_body__organisation"]

    @admin.display(description=gettext_lazy("naam"), ordering="organisation__name")
    def display_name(self, obj: WorshipUnit) -> str:
        return obj.organisation.display_name  # a board without a name: its KBO number

    @admin.display(description=gettext_lazy("KBO-nummer"), ordering="organisation__kbo")
    def kbo(self, obj: WorshipUnit) -> str:
        return obj.organisation.kbo

    @admin.display(description=gettext_lazy("betrokken lokale besturen"))
    def involvements_link(self, obj: WorshipUnit) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:worship_involvements", args=[obj.pk]), _("Betrokken lokale besturen")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # units come from the imported organisations (`manage.py worship units`)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: WorshipUnit, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        data = form.cleaned_data
        services.worship_unit_update(
            unit=obj,
            actor=request.user,
            religion=data.get("religion", ""),
            is_cross_border=bool(data.get("is_cross_border")),
            central_board=data.get("central_board"),
            representative_body=data.get("representative_body"),
            read_only_modules=list(data.get("read_only_modules") or []),
        )

    def get_urls(self):  # type: ignore[no-untyped-def]
        return [
            path(
                "<int:pk>/betrokken-besturen/",
                self.admin_site.admin_view(self.involvements_view),
                name="worship_involvements",
            ),
            *super().get_urls(),
        ]

    def involvements_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_change_permission(request):
            return HttpResponse(status=403)
        unit = get_object_or_404(WorshipUnit.objects.select_related("organisation"), pk=pk)
        status = 200
        if request.method == "POST":
            rows, row_errors = _posted_rows(request.POST)
            try:
                if row_errors:
                    raise DomainError(" ".join(row_errors), fields={"involvements": row_errors})
                outcome = services.involvements_save(
                    unit=unit, rows=rows, actor=request.user, confirm_inactive=bool(request.POST.get("confirm"))
                )
            except DomainError as error:
                status = 400
                problems_shown = list(error.fields.get("involvements", [error.message]))
                return _involvements_page(request, self, unit, request.POST, problems_shown, status=status)
            messages.success(request, _("De betrokken lokale besturen zijn bewaard."))
            for warning in outcome.warnings:
                messages.warning(request, warning)
            return redirect("admin:worship_involvements", unit.pk)
        return _involvements_page(request, self, unit, None, [], status=status)


# The page posts three fields a row and Django refuses a post of more than 1,000 fields, so no real form has more.
MAX_INVOLVEMENT_ROWS = 300


def _row_count(post: QueryDict) -> tuple[int, str]:
    """How many rows the form posted, and what is wrong with that number ('' if nothing). A count that is no number
    or above the cap is no rows: the page would otherwise loop over, and draw, millions of empty ones."""
    text = str(post.get("rows", ""))
    if not (text.isascii() and text.isdigit()):  # "²" is a digit to isdigit, not to int()
        return 0, _("Het formulier is onvolledig: het aantal regels ontbreekt of is geen getal.")
    if len(text) > 6 or int(text) > MAX_INVOLVEMENT_ROWS:
        return 0, _("Het formulier heeft te veel regels (hoogstens %(max)s).") % {"max": MAX_INVOLVEMENT_ROWS}
    return int(text), ""


def _posted_rows(post: QueryDict) -> tuple[list[services.InvolvementInput], list[str]]:
    count, problem = _row_count(post)
    if problem:
        return [], [problem]
    bodies = {str(body.pk): body for body in selectors.involvable_bodies()}
    rows: list[services.InvolvementInput] = []
    errors: list[str] = []
    for index in range(count):
        body_key = post.get(f"body-{index}", "")
        if not body_key:
            continue
        body = bodies.get(body_key)
        if body is None:
            errors.append(_("Regel %(row)s: kies een gemeente of provincie.") % {"row": index + 1})
            continue
        try:
            percentage = parse_percentage(post.get(f"percentage-{index}", ""))
        except ValueError:
            errors.append(_("Regel %(row)s: het percentage is geen getal.") % {"row": index + 1})
            continue
        rows.append(
            services.InvolvementInput(
                organisation=body,
                type=post.get(f"type-{index}", ""),
                percentage=percentage,
            )
        )
    return rows, errors


def _involvements_page(request, model_admin, unit, posted, errors, *, status):  # type: ignore[no-untyped-def]
    stored = list(selectors.involvements_of(unit))
    if posted is None:
        lines = [
            (str(row.organisation_id), row.type, "" if row.percentage is None else str(row.percentage))
            for row in stored
        ]
    else:
        count, _problem = _row_count(posted)
        lines = [
            (posted.get(f"body-{i}", ""), posted.get(f"type-{i}", ""), posted.get(f"percentage-{i}", ""))
            for i in range(count)
        ]
    lines += [("", "", "")] * 3
    total = Decimal("0")
    for _body, type_, percentage in lines:
        try:
            value = parse_percentage(percentage)
        except ValueError:
            continue
        if value is not None and type_ in (InvolvementType.SUPERVISING, InvolvementType.CO_FINANCING):
            total += value
    context = {
        **model_admin.admin_site.each_context(request),
        "unit": unit,
        "lines": list(enumerate(lines)),
        "row_count": len(lines),
        "bodies": selectors.involvable_bodies(),
        "types": InvolvementType.choices,
        "errors": errors,
        "current": selectors.unit_involvement_problems(unit),
        "total": f"{total:.2f}",
        "title": _("Betrokken lokale besturen"),
        "opts": WorshipUnit._meta,
    }
    return render(request, "admin/worship/involvements.html", context, status=status)


@admin.register(InvolvementReport)
class InvolvementReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "unit_count", "problem_count", "seconds"]
    readonly_fields = ("created_at", "unit_count", "seconds", "problem_list")
    fields = readonly_fields

    @admin.display(description=gettext_lazy("besturen met problemen"))
    def problem_count(self, obj: InvolvementReport) -> int:
        return len(obj.rows)

    @admin.display(description=gettext_lazy("problemen"))
    def problem_list(self, obj: InvolvementReport) -> str:
        from django.utils.html import format_html_join

        return format_html_join(
            "",
            '<p><a href="{}">{}</a> ({}): {}</p>',
            (
                (
                    reverse("admin:worship_involvements", args=[row["unit"]]),
                    row["name"],
                    row["kbo"],
                    " ".join([*row["errors"], *row["warnings"]]),
                )
                for row in obj.rows
            ),
        )

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_staff)


class DispatchRuleForm(forms.ModelForm):
    RECEIVER_CODES = [
        "sender",
        "subject",
        "involved:toezichthoudend",
        "involved:mede-financierend",
        "involved:adviserend",
        "central_board",
        "central_board_else_subject",
        "representative_body",
        "boards_of_subject",
        "agency",
    ]

    class Meta:
        model = DispatchRule
        fields = [
            "name",
            "document_type_uri",
            "senders",
            "central_board_condition",
            "subject",
            "receivers",
            "is_active",
        ]

    def clean_senders(self) -> list[str]:
        senders = self.cleaned_data.get("senders") or []
        if not isinstance(senders, list) or not senders or any(s not in DispatchRule.Sender.values for s in senders):
            raise forms.ValidationError(
                _("Geef een lijst van soorten afzender: %(codes)s.") % {"codes": ", ".join(DispatchRule.Sender.values)}
            )
        return senders

    def clean_receivers(self) -> list[str]:
        receivers = self.cleaned_data.get("receivers") or []
        if not isinstance(receivers, list) or any(code not in self.RECEIVER_CODES for code in receivers):
            raise forms.ValidationError(
                _("Geef een lijst van ontvangers: %(codes)s.") % {"codes": ", ".join(self.RECEIVER_CODES)}
            )
        return receivers


@admin.register(DispatchRule)
class DispatchRuleAdmin(admin.ModelAdmin):
    form = DispatchRuleForm
    list_display = [
        "name",
        "document_type_uri",
        "senders",
        "central_board_condition",
        "subject",
        "receivers",
        "is_active",
    ]
    list_filter = ["is_active", "subject", "central_board_condition"]
    search_fields = ["name", "document_type_uri"]

    def save_model(self, request: HttpRequest, obj: DispatchRule, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        from loket.core.audit import audit_record

        super().save_model(request, obj, form, change)
        audit_record(
            action="worship.dispatch_rule_changed",
            actor=request.user,
            rule=obj.name,
            change="gewijzigd" if change else "toegevoegd",
            after=f"{obj.senders} {obj.central_board_condition} {obj.subject} {obj.receivers} actief={obj.is_active}",
        )

    def delete_model(self, request: HttpRequest, obj: DispatchRule) -> None:
        from loket.core.audit import audit_record

        audit_record(
            action="worship.dispatch_rule_changed", actor=request.user, rule=obj.name, change="verwijderd", after="-"
        )
        super().delete_model(request, obj)


class MinisterPositionForm(forms.ModelForm):
    class Meta:
        model = MinisterPosition
        fields = ["unit", "function"]

    def clean(self) -> dict:
        data = super().clean() or {}
        unit = data.get("unit")
        if unit is not None and data.get("function"):
            try:
                services.minister_function_check(unit, data["function"])
            except DomainError as error:
                for field, problems in error.fields.items():
                    self.add_error(field if field in self.fields else None, problems)
        return data


@admin.register(MinisterPosition)
class MinisterPositionAdmin(admin.ModelAdmin):
    form = MinisterPositionForm
    list_display = ["function", "unit", "uuid"]
    list_filter = ["function"]
    search_fields = ["unit__organisation__name", "unit__organisation__kbo"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit__organisation__kind"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)  # a position is made, not changed

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: MinisterPosition, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        created = services.minister_position_create(
            unit=form.cleaned_data["unit"], function=form.cleaned_data["function"], actor=request.user
        )
        obj.pk, obj.uuid = created.pk, created.uuid


@admin.register(MailSubscription)
class MailSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "email", "is_active", "last_sent_at"]
    list_select_related = ["organisation__kind"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["last_sent_at"]
    search_fields = ["organisation__name", "email"]


class _HideableAdmin(ReadOnlyAdmin):
    """Rows of board members and ministers: read in the back office; agency admins hide a row as deleted or as a
    duplicate, and show it again (audited)."""

    actions = ["hide_deleted", "hide_duplicate", "unhide"]
    readonly_fields = ["contact_purged_at"]  # why the contact fields are empty (worship/retention.py)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_staff)  # for the actions; the form itself has no editable field

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:  # type: ignore[override]
        return [field.name for field in self.model._meta.fields]


@admin.register(BoardMember)
class BoardMemberAdmin(_HideableAdmin):
    list_display = ["person", "mandate_role", "unit", "start", "end", "hidden", "provided_by"]
    list_filter = ["hidden", "mandate__role"]
    search_fields = ["person__last_name", "person__first_name", "unit__organisation__name", "unit__organisation__kbo"]
    list_select_related = ["person", "mandate", "unit__organisation__kind"]

    @admin.display(description=gettext_lazy("mandaat"))
    def mandate_role(self, obj: BoardMember) -> str:
        return obj.mandate.get_role_display()

    @admin.action(description=gettext_lazy("Verbergen als verwijderd"))
    def hide_deleted(self, request: HttpRequest, queryset) -> None:  # type: ignore[no-untyped-def]
        for row in queryset:
            boards.board_member_hide(member=row, hidden=BoardMember.Hidden.DELETED, actor=request.user)
        messages.success(request, _("Verborgen als verwijderd: %(count)s.") % {"count": queryset.count()})

    @admin.action(
        description=gettext_lazy("Verbergen als dubbel (van de oudste rij van dezelfde persoon en hetzelfde mandaat)")
    )
    def hide_duplicate(self, request: HttpRequest, queryset) -> None:  # type: ignore[no-untyped-def]
        for row in queryset:
            original = (
                BoardMember.objects.filter(unit=row.unit, person=row.person, mandate=row.mandate, hidden="")
                .exclude(pk=row.pk)
                .order_by("created_at", "pk")
                .first()
            )
            if original is None:
                messages.error(
                    request, _("%(row)s: geen andere rij van dezelfde persoon en hetzelfde mandaat.") % {"row": row}
                )
                continue
            boards.board_member_hide(
                member=row, hidden=BoardMember.Hidden.DUPLICATE, duplicate_of=original, actor=request.user
            )

    @admin.action(description=gettext_lazy("Opnieuw tonen"))
    def unhide(self, request: HttpRequest, queryset) -> None:  # type: ignore[no-untyped-def]
        for row in queryset:
            boards.board_member_hide(member=row, hidden="", actor=request.user)


@admin.register(Minister)
class MinisterAdmin(ReadOnlyAdmin):
    list_display = ["person", "position", "start", "end", "hidden", "provided_by"]
    list_filter = ["hidden"]
    search_fields = ["person__last_name", "position__unit__organisation__name"]
    list_select_related = ["person", "position__unit__organisation__kind"]
