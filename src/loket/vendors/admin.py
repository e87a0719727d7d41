"""The helpdesk manages vendors in the back office: which organisations they act for, active or not, a new key
(shown once). Jobs are read-only there, for support."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from loket.vendors.keys import key_generate, key_hash, key_id_of
from loket.vendors.models import Job, JobTask, Vendor
from loket.vendors.services import vendor_key_reset


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "uri", "kind", "platform", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "uri"]
    filter_horizontal = ["organisations"]
    readonly_fields = ["created_at"]
    actions = ["reset_key"]

    def save_model(self, request: HttpRequest, obj: Vendor, form: object, change: bool) -> None:
        if not change:
            clear_key = key_generate()
            obj.key_hash = key_hash(clear_key)
            obj.key_id = key_id_of(clear_key)
            messages.warning(
                request, _("De sleutel van %(name)s (eenmalig getoond): %(key)s") % {"name": obj.name, "key": clear_key}
            )
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Nieuwe sleutel aanmaken (eenmalig getoond)"))
    def reset_key(self, request: HttpRequest, queryset: object) -> None:
        for vendor in queryset:  # type: ignore[attr-defined]
            key = vendor_key_reset(vendor=vendor, actor=request.user)
            messages.warning(request, _("Nieuwe sleutel van %(name)s: %(key)s") % {"name": vendor.name, "key": key})


class JobTaskInline(admin.TabularInline):
    model = JobTask
    extra = 0
    can_delete = False
    readonly_fields = ("operation", "index", "status", "message", "error_message", "modified_at")
    fields = readonly_fields


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["uuid", "vendor", "organisation", "status", "submitted_resource", "created_at"]
    list_filter = ["status", "vendor"]
    search_fields = ["submitted_resource", "href", "uuid", "submission_uuid"]
    list_select_related = ["vendor", "organisation__kind"]
    inlines = [JobTaskInline]
    readonly_fields = [
        "uuid",
        "submission_uuid",
        "vendor",
        "organisation",
        "submitted_resource",
        "holds_resource",
        "href",
        "requested_status",
        "status",
        "error_message",
        "submission",
        "download_attempts",
        "heartbeat_at",
        "created_at",
        "modified_at",
    ]
    exclude = ["page_storage_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
