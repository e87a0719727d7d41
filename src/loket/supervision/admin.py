"""Back office for Toezicht: document types (the publication flag, audited), governing bodies, and a read-only
view of submissions — sent content is immutable, so the admin can look but never change or delete."""

import uuid

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from loket.core.admin import EstimatedCountPaginator, ReadOnlyAdmin
from loket.core.security import as_download
from loket.organisations.models import Organisation
from loket.supervision.models import DocumentType, GoverningBody, PublicationFlagChange, Submission
from loket.supervision.services import document_type_set_public


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["label", "is_public", "is_selectable", "uri"]
    list_filter = ["is_public", "is_selectable"]
    search_fields = ["label", "uri"]
    fields = ["uri", "label", "definition", "is_public", "is_selectable"]
    readonly_fields = ["uri", "label", "definition"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # document types come from the code list

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: DocumentType, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        is_public = obj.is_public
        if "is_selectable" in form.changed_data:
            DocumentType.objects.filter(pk=obj.pk).update(is_selectable=obj.is_selectable)
        document_type_set_public(document_type=obj, is_public=is_public, actor=request.user)


@admin.register(PublicationFlagChange)
class PublicationFlagChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "document_type", "is_public", "changed_by"]
    list_select_related = ["document_type", "changed_by"]


@admin.register(GoverningBody)
class GoverningBodyAdmin(admin.ModelAdmin):
    list_display = ["label", "organisation", "uri"]
    search_fields = ["label", "organisation__name"]
    list_select_related = ["organisation__kind"]
    autocomplete_fields = ["organisation"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["uuid", "organisation", "document_type", "status", "sent_at", "delivered_at", "handled_at"]
    list_filter = ["status", "is_public"]
    search_fields = ["organisation__name"]  # for the search box; the search itself is get_search_results
    list_select_related = ["organisation__kind", "document_type"]
    # Grows by 100,000 a year or more: no second COUNT(*), an estimated count unfiltered (bench/pages.py).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    exclude = ["source_ttl"]
    readonly_fields = ["concept_data"]
    actions = ["export_zip"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Submission], search_term: str
    ) -> tuple[QuerySet[Submission], bool]:
        """A body by name or KBO number, or a submission by its uuid: indexed lookups (a substring search through
        the join would read every submission)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        digits = "".join(c for c in term if c.isdigit())
        bodies = Organisation.objects.filter(
            Q(name__icontains=term) | (Q(kbo__endswith=digits) if len(digits) >= 9 else Q(pk__in=[]))
        )
        matches = Q(organisation__in=list(bodies.values_list("pk", flat=True)[:5000]))
        try:
            matches |= Q(uuid=uuid.UUID(term))
        except ValueError:
            pass
        return queryset.filter(matches), False

    @admin.display(description=gettext_lazy("formuliergegevens van het concept"))
    def concept_data(self, obj: Submission) -> str:
        """A concept stays readable for the helpdesk, e.g. after its body left the Loket for a platform."""
        if obj.is_sent or not obj.source_ttl:
            return "—"
        return format_html('<pre class="source-ttl">{}</pre>', obj.source_ttl)

    @admin.action(description=gettext_lazy("Exporteren (formuliergegevens en bestanden, zip)"))
    def export_zip(self, request: HttpRequest, queryset: QuerySet[Submission]) -> HttpResponse:
        from loket.supervision.channel import submissions_export_zip

        response = HttpResponse(
            submissions_export_zip(queryset.select_related("organisation").order_by("pk")),
            content_type="application/zip",
        )
        as_download(response, filename="inzendingen.zip")
        return response
