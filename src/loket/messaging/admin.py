"""The back office's view of the Berichtencentrum: conversations and circulars, read-only (messages are sent
through the pages and APIs, and never change)."""

from django.contrib import admin

from loket.core.admin import ReadOnlyAdmin
from loket.messaging.models import Circular, Conversation


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ["dossier_number", "subject", "organisation", "current_type", "last_message_at"]
    search_fields = ["dossier_number", "subject", "organisation__name"]
    list_select_related = ["organisation", "organisation__kind"]
    show_full_result_count = False


@admin.register(Circular)
class CircularAdmin(ReadOnlyAdmin):
    list_display = ["dossier_number", "subject", "kind", "created_at", "done", "total", "status"]
