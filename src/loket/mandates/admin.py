"""Mandatenbeheer in the back office: mandates (seat counts are set by the agency) and holders, read-only except for
the agency's undo of a ratification (with a reason, audited)."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from loket.core.admin import ReadOnlyAdmin
from loket.core.errors import DomainError
from loket.mandates.codes import Publication
from loket.mandates.models import Holder, Mandate, OcmwPairing
from loket.mandates.services import holder_set_publication


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


@admin.register(OcmwPairing)
class OcmwPairingAdmin(ReadOnlyAdmin):
    """Made from the reference data by `manage.py mandates organs`; shown so the helpdesk can see which pairs exist."""

    list_display = ["municipality", "ocmw"]
    list_select_related = ["municipality__kind", "ocmw__kind"]
    search_fields = ["municipality__name"]


@admin.register(Holder)
class HolderAdmin(ReadOnlyAdmin):
    list_display = ["person", "mandate", "start", "end", "status", "publication", "undo_link"]
    list_select_related = ["person", "mandate"]
    list_filter = ["publication"]
    search_fields = ["person__family_name", "mandate__term__organ__organisation__name"]

    @admin.display(description=_("Bekrachtiging"))
    def undo_link(self, obj: Holder) -> str:
        if obj.publication != Publication.RATIFIED:
            return ""
        url = reverse("admin:mandates_holder_unratify", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Ongedaan maken"))

    def get_urls(self):  # type: ignore[no-untyped-def]
        return [
            path(
                "<int:pk>/bekrachtiging-ongedaan/",
                self.admin_site.admin_view(self.unratify_view),
                name="mandates_holder_unratify",
            ),
            *super().get_urls(),
        ]

    def unratify_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        holder = get_object_or_404(Holder.objects.select_related("person", "mandate"), pk=pk)
        error = ""
        if request.method == "POST":
            try:
                holder_set_publication(
                    holder=holder,
                    publication=Publication.NOT_RATIFIED,
                    actor=request.user,
                    reason=request.POST.get("reason", ""),
                    as_agency=True,
                )
                messages.success(request, _("Bekrachtiging ongedaan gemaakt."))
                return redirect("admin:mandates_holder_changelist")
            except DomainError as exc:
                error = str(exc.message)
        context = {**self.admin_site.each_context(request), "holder": holder, "error": error}
        return render(request, "admin/mandates/unratify.html", context, status=400 if error else 200)
