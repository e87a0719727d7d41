"""Mandatenbeheer in the back office: organs and mandates (seat counts are set by the agency), holders read-only."""

from django.contrib import admin

from loket.core.admin import ReadOnlyAdmin
from loket.mandates.models import Holder, Mandate


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["role", "term", "seats"]
    list_select_related = ["term__organ__organisation"]
    search_fields = ["term__organ__organisation__name"]
    fields = ["role", "seats"]
    readonly_fields = ["role"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Holder)
class HolderAdmin(ReadOnlyAdmin):
    list_display = ["person", "mandate", "start", "end", "status", "publication"]
    list_select_related = ["person", "mandate"]
    search_fields = ["person__family_name", "mandate__term__organ__organisation__name"]
