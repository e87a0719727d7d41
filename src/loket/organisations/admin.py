"""The helpdesk's back office for organisations: set-up (KBO, OVO, classification, target group, access manager)
and channel switches (with confirmation). Every change goes through a service and into the audit trail."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from loket.core.admin import ReadOnlyAdmin
from loket.core.errors import DomainError
from loket.organisations.channels import channel_switch_preview
from loket.organisations.identifiers import normalise_kbo
from loket.organisations.models import Channel, ChannelDecision, Organisation, OrganisationKind, Platform, TargetGroup
from loket.organisations.naming import format_kbo
from loket.organisations.selectors import (
    organisation_active_with_kbo,
    organisation_is_active_status,
    target_group_problem,
)
from loket.organisations.services import (
    organisation_identity_mint,
    organisation_record_change,
    organisation_switch_channel,
)


class OrganisationForm(forms.ModelForm):
    """The helpdesk sets up or changes a body. The URI is never typed: it is minted from the kind's base and a new
    uuid when the body is created (see `organisation_identity_mint`), and shown read-only afterwards."""

    # Wider than the column so that "0207.451.227" (with dots, as people type it) reaches clean_kbo.
    kbo = forms.CharField(label=gettext_lazy("KBO-nummer"), max_length=20, required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "kbo",
            "ovo_code",
            "province",
            "status",
            "target_groups",
            "access_manager",
            "supervised_by",
        ]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].required = True  # the kind decides the URI's base

    def clean_kbo(self) -> str:
        return normalise_kbo(self.cleaned_data.get("kbo", ""))

    def clean(self) -> dict:
        data = super().clean() or {}
        kbo, status = data.get("kbo"), data.get("status", "")
        if kbo and organisation_is_active_status(status):
            other = organisation_active_with_kbo(kbo, exclude_pk=self.instance.pk)
            if other is not None:
                self.add_error(
                    "kbo",
                    _(
                        "KBO-nummer %(kbo)s is al in gebruik door %(other)s (%(uri)s). Een KBO-nummer hoort bij één "
                        "actief bestuur: zet het andere bestuur eerst op 'Niet Actief', of kies het juiste nummer."
                    )
                    % {"kbo": format_kbo(kbo), "other": other.display_name, "uri": other.uri},
                )
        return data

    def clean_ovo_code(self) -> str:
        return self.cleaned_data.get("ovo_code", "").strip().upper()


class ChannelSwitchForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Nieuw kanaal"), choices=Channel.choices)
    platform = forms.ModelChoiceField(
        label=gettext_lazy("Platform"), queryset=Platform.objects.filter(is_active=True), required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reden (beslissing van het bestuur)"), widget=forms.Textarea)
    confirmed = forms.BooleanField(
        label=gettext_lazy(
            "Ik bevestig dat bij overschakeling naar een platform de toegang van alle bestuursleden "
            "tot het Loket wordt stopgezet."
        ),
        required=False,
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ["display_name", "kind", "kbo", "ovo_code", "province", "channel_label", "access_manager"]
    list_filter = ["kind", "province", "channel", "target_groups"]
    search_fields = ["name", "kbo", "ovo_code", "uri"]
    autocomplete_fields = ["access_manager", "supervised_by"]
    readonly_fields = ["channel", "platform", "channel_since", "channel_link"]
    list_select_related = ["kind", "platform", "access_manager__kind"]

    @admin.display(description=gettext_lazy("naam"), ordering="name")
    def display_name(self, obj: Organisation) -> str:
        return obj.display_name

    @admin.display(description=gettext_lazy("kanaal"))
    def channel_label(self, obj: Organisation) -> str:
        return obj.platform.name if obj.platform else obj.get_channel_display()

    @admin.display(description=gettext_lazy("kanaal wisselen"))
    def channel_link(self, obj: Organisation) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:organisations_switch_channel", args=[obj.pk]), _("Kanaal wisselen")
        )

    def get_urls(self):  # type: ignore[no-untyped-def]
        return [
            path(
                "<int:pk>/kanaal/",
                self.admin_site.admin_view(self.switch_channel_view),
                name="organisations_switch_channel",
            ),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Organisation | None = None) -> list[str]:  # type: ignore[override]
        return ["uri", *self.readonly_fields] if obj is not None else list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Organisation, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        if not change:
            obj.uri, obj.uuid = organisation_identity_mint(kind=obj.kind)  # type: ignore[arg-type]
        super().save_model(request, obj, form, change)
        organisation_record_change(
            organisation=obj, actor=request.user, created=not change, changed=list(form.changed_data)
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        if problem := target_group_problem(form.instance):
            messages.warning(request, problem)

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False  # organisations are ended, never deleted: their URIs stay valid

    def switch_channel_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_change_permission(request):
            return HttpResponse(status=403)
        organisation = get_object_or_404(Organisation, pk=pk)
        form = ChannelSwitchForm(request.POST or None, initial={"channel": organisation.channel})
        if request.method == "POST" and form.is_valid():
            try:
                decision = organisation_switch_channel(
                    organisation=organisation, actor=request.user, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error.message)
                for field, message in error.fields.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                count = decision.memberships_ended
                messages.success(
                    request,
                    ngettext(
                        "Kanaal gewijzigd; %(count)s lidmaatschap beëindigd.",
                        "Kanaal gewijzigd; %(count)s lidmaatschappen beëindigd.",
                        count,
                    )
                    % {"count": count}
                    + " "
                    + _("De betrokken leden en aanvragers kregen een e-mail."),
                )
                return redirect("admin:organisations_organisation_change", organisation.pk)
        context = {
            **self.admin_site.each_context(request),
            "organisation": organisation,
            "form": form,
            "members": organisation.memberships.filter(is_active=True).count(),
            "effects": channel_switch_preview(organisation) if organisation.uses_loket else [],
            "decisions": organisation.channel_decisions.select_related("platform", "decided_by"),
            "title": _("Kanaal wisselen"),
            "opts": self.model._meta,
        }
        return render(
            request, "admin/organisations/switch_channel.html", context, status=400 if request.method == "POST" else 200
        )


@admin.register(OrganisationKind)
class OrganisationKindAdmin(admin.ModelAdmin):
    list_display = ["label", "category", "uri"]
    list_filter = ["category"]
    search_fields = ["label"]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "is_active"]


@admin.register(ChannelDecision)
class ChannelDecisionAdmin(ReadOnlyAdmin):
    list_display = ["decided_at", "organisation", "previous_channel", "channel", "platform", "decided_by"]
    list_select_related = ["organisation__kind", "platform", "decided_by"]
    search_fields = ["organisation__name", "reason"]
