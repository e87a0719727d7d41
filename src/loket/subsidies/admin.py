"""The back office of Subsidiebeheer: the agency defines offers, criteria, calls, flows, steps and form versions.
Once a call has dossiers, its steps' windows change only through the agency's actions on the call page (with a
reason, audited, mailed): here they become read-only. Dossiers and forms are read-only."""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from loket.core.admin import ReadOnlyAdmin
from loket.forms.errors import FormLoadError
from loket.subsidies import formengine
from loket.subsidies.models import (
    Call,
    Criterion,
    CriterionRequirement,
    Dossier,
    Flow,
    FormVersion,
    MeasureOffer,
    ProceduralStep,
    Step,
)


class RequirementInline(admin.TabularInline):
    model = CriterionRequirement
    extra = 1
    fields = ["satisfiable_by"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["title", "uuid"]
    inlines = [RequirementInline]


@admin.register(MeasureOffer)
class MeasureOfferAdmin(admin.ModelAdmin):
    list_display = ["title", "info_url"]
    filter_horizontal = ["criteria"]
    autocomplete_fields = ["bodies"]
    search_fields = ["title"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "offer", "period_start", "period_end"]
    list_select_related = ["offer"]
    search_fields = ["title", "offer__title"]


@admin.register(Flow)
class FlowAdmin(admin.ModelAdmin):
    list_display = ["call", "uuid"]
    list_select_related = ["call__offer"]


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "sha256"]
    readonly_fields = ["sha256"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # a version that forms were opened with is frozen: a change is a new version
        return ["name", "turtle_text", "sha256"] if obj is not None and obj.pk else ["sha256"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("name", "turtle_text", "sha256") if obj is not None and obj.pk else ("name", "turtle")

    @admin.display(description=_("formulier (Turtle)"))
    def turtle_text(self, obj: FormVersion) -> str:
        return format_html('<pre lang="nl">{}</pre>', obj.turtle)

    def save_model(self, request: HttpRequest, obj: FormVersion, form: Any, change: bool) -> None:
        obj.sha256 = FormVersion.hash_of(obj.turtle)
        try:
            formengine.definition_of(obj)
        except FormLoadError as error:
            messages.warning(request, str(error))
        super().save_model(request, obj, form, change)


def _has_dossiers(procedural: ProceduralStep | None) -> bool:
    step = getattr(procedural, "step", None) if procedural is not None and procedural.pk else None
    return bool(step is not None and Dossier.objects.filter(call_id=step.flow.call_id).exists())


@admin.register(ProceduralStep)
class ProceduralStepAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "start", "end"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["start", "end", "type"] if _has_dossiers(obj) else []


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["__str__", "flow", "order", "form_version"]
    list_select_related = ["flow__call__offer", "procedural_step", "form_version"]


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "call", "status", "modified_at"]
    list_select_related = ["organisation", "organisation__kind", "call__offer"]
    search_fields = ["organisation__name"]
    show_full_result_count = False
