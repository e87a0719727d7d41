"""The audit trail in the helpdesk back office: read-only, filterable, exportable as CSV (streamed)."""

import csv

from django.contrib import admin
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path

from loket.core.audit import audit_csv_rows
from loket.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through services (audited) or never: the back office looks, never edits."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class _Echo:
    def write(self, value: str) -> str:
        return value


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor_label", "organisation", "details"]
    list_filter = ["action", "at"]
    search_fields = ["actor_label", "organisation__name", "organisation__kbo", "action"]
    list_select_related = ["organisation"]
    date_hierarchy = "at"
    change_list_template = "admin/core/auditevent/change_list.html"

    def get_urls(self):  # type: ignore[no-untyped-def]
        return [
            path("export.csv", self.admin_site.admin_view(self.export_csv), name="core_auditevent_export"),
            *super().get_urls(),
        ]

    def export_csv(self, request: HttpRequest) -> StreamingHttpResponse:
        """The events the change list shows with its current filters, as CSV."""
        changelist = self.get_changelist_instance(request)
        writer = csv.writer(_Echo())
        rows = (writer.writerow(row) for row in audit_csv_rows(changelist.get_queryset(request)))
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="auditspoor.csv"'
        return response
