"""The back office's view of Personeelsbeheer: periods and confirmations, read-only (numbers change only through the
table, confirmations never)."""

from django.contrib import admin

from loket.core.admin import ReadOnlyAdmin
from loket.personnel.models import Confirmation, PersonnelPeriod


@admin.register(PersonnelPeriod)
class PersonnelPeriodAdmin(ReadOnlyAdmin):
    list_display = ["year", "opened_at"]


@admin.register(Confirmation)
class ConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "period", "version", "confirmed_at", "actor_label"]
    list_select_related = ["organisation", "organisation__kind", "period"]
    search_fields = ["organisation__name"]
    show_full_result_count = False
