"""Back office for Toezicht: document types (the publication flag, audited), governing bodies, and a read-only
view of submissions — sent content is immutable, so the admin can look but never change or delete."""

from django.contrib import admin
from django.http import HttpRequest

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
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["uuid", "organisation", "document_type", "status", "sent_at", "delivered_at", "handled_at"]
    list_filter = ["status", "is_public"]
    search_fields = ["organisation__name", "organisation__kbo", "uuid"]
    list_select_related = ["organisation", "document_type"]
    exclude = ["source_ttl"]
