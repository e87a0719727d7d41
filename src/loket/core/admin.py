"""The back office of the kernel: the audit trail (read-only, filterable, CSV) and the task queue in Dutch."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from loket.core.audit import audit_action_label, audit_actions, audit_csv_rows, audit_describe
from loket.core.csvexport import csv_response
from loket.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through services (audited) or never: the back office looks, never edits."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ActionFilter(admin.SimpleListFilter):
    """Filter on the action by its label (the registry's words), keeping the code in the query string."""

    title = gettext_lazy("actie")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(action.code, str(action.label)) for action in audit_actions()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action_label", "actor_label", "organisation", "description"]
    list_filter = [ActionFilter, "at"]
    search_fields = ["actor_label", "organisation__name", "organisation__kbo", "action"]
    list_select_related = ["organisation__kind"]
    show_full_result_count = False  # append-only, grows without end
    date_hierarchy = "at"
    change_list_template = "admin/core/auditevent/change_list.html"
    fieldsets = [
        (None, {"fields": ["at", "action_label", "actor_label", "organisation", "description"]}),
        (gettext_lazy("Technische gegevens"), {"fields": ["action", "details"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["action_label", "description"]

    @admin.display(description=gettext_lazy("actie"), ordering="action")
    def action_label(self, obj: AuditEvent) -> str:
        return audit_action_label(obj.action)

    @admin.display(description=gettext_lazy("omschrijving"))
    def description(self, obj: AuditEvent) -> str:
        return audit_describe(obj)

    def get_urls(self):  # type: ignore[no-untyped-def]
        return [
            path("export.csv", self.admin_site.admin_view(self.export_csv), name="core_auditevent_export"),
            *super().get_urls(),
        ]

    def export_csv(self, request: HttpRequest) -> StreamingHttpResponse:
        """The events the change list shows with its current filters, as CSV."""
        changelist = self.get_changelist_instance(request)
        return csv_response(audit_csv_rows(changelist.get_queryset(request)), filename="auditspoor.csv")


# The task queue (django-tasks-db) in the Loket's words: Dutch columns; the model's own field names are translated
# in locale/nl. The table grows with every mail and vendor job: no second COUNT(*) for the "show all" link.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ["task_label", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name"]
    show_full_result_count = False

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        # The model's own name for a row is "DBTaskResult object (…)".
        subtitle = gettext_lazy("Achtergrondtaak %(id)s") % {"id": object_id}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "subtitle": subtitle})

    @admin.display(description=gettext_lazy("taak"), ordering="task_path")
    def task_label(self, obj: DBTaskResult) -> str:
        return obj.task_path.rsplit(".", 1)[-1]

    @admin.display(description=gettext_lazy("foutmelding"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=gettext_lazy("uitvoeren na"))
    def display_run_after(self, obj: DBTaskResult) -> Any:
        return super().display_run_after(obj)
