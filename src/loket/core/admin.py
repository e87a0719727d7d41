"""The back office of the kernel: the audit trail (read-only, filterable, CSV) and the task queue in Dutch."""

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path
from django.utils.functional import cached_property
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


class EstimatedCountPaginator(Paginator):
    """The exact count of a filtered list (indexed, small), but PostgreSQL's estimate of the table's rows for the
    unfiltered list of an append-only table, where COUNT(*) would grow with the table (and the page with it)."""

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        queryset = cast(QuerySet[Any], self.object_list)  # the admin's change list pages a QuerySet
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_ABOVE:
                return int(row[0])
        return super().count


ESTIMATE_ABOVE = 50_000


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
    search_fields = ["organisation__name"]  # for the search box; the search itself is get_search_results
    list_select_related = ["organisation__kind"]
    # Append-only, grows without end: no second COUNT(*), an estimated count unfiltered, no date hierarchy (it
    # reads every row's date); the "at" filter (today, past 7 days, this month, this year) costs no query.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    change_list_template = "admin/core/auditevent/change_list.html"
    fieldsets = [
        (None, {"fields": ["at", "action_label", "actor_label", "organisation", "description"]}),
        (gettext_lazy("Technische gegevens"), {"fields": ["action", "details"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["action_label", "description"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AuditEvent], search_term: str
    ) -> tuple[QuerySet[AuditEvent], bool]:
        """Bodies by name or KBO number, people by name, actions by their words: each an indexed lookup (a
        substring search over the whole trail would read every row)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        digits = "".join(c for c in term if c.isdigit())
        # core never imports organisations
        organisations = cast(type[Model], AuditEvent._meta.get_field("organisation").related_model)
        bodies = organisations._default_manager.filter(
            Q(name__icontains=term) | (Q(kbo__endswith=digits) if len(digits) >= 9 else Q())
        )
        people = get_user_model().objects.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(username__icontains=term)
        )
        actions = [a.code for a in audit_actions() if term.lower() in str(a.label).lower() or term == a.code]
        # The matching bodies and people first (small tables), then the trail by its indexes.
        matches = (
            Q(organisation__in=list(bodies.values_list("pk", flat=True)[:5000]))
            | Q(actor__in=list(people.values_list("pk", flat=True)[:5000]))
            | Q(action__in=actions)
        )
        return queryset.filter(matches), False

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
    # django-tasks-db leaves its list_display unannotated, so mypy takes that 8-tuple for the attribute's type.
    list_display = ["task_label", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name"]  # type: ignore[assignment]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

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
