"""Back office for Toezicht: document types (the publication flag, audited), governing bodies, and a read-only
view of submissions — sent content is immutable, so the admin can look but never change or delete."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from loket.core.admin import ReadOnlyAdmin
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
    search_fields = ["organisation__name", "organisation__kbo", "uuid"]
    list_select_related = ["organisation__kind", "document_type"]
    exclude = ["source_ttl"]
    readonly_fields = ["concept_data"]
    actions = ["export_zip"]

    @admin.display(description=gettext_lazy("formuliergegevens van het concept"))
    def concept_data(self, obj: Submission) -> str:
        """A concept stays readable for the helpdesk, e.g. after its body left the Loket for a platform."""
        if obj.is_sent or not obj.source_ttl:
            return "—"
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', obj.source_ttl)

    @admin.action(description=gettext_lazy("Exporteren (formuliergegevens en bestanden, zip)"))
    def export_zip(self, request: HttpRequest, queryset: QuerySet[Submission]) -> HttpResponse:
        from loket.supervision.channel import submissions_export_zip

        response = HttpResponse(
            submissions_export_zip(queryset.select_related("organisation").order_by("pk")),
            content_type="application/zip",
        )
        response["Content-Disposition"] = 'attachment; filename="inzendingen.zip"'
        return response
