"""The helpdesk's view of BBC-DR reports: delivery status, attempts and last error, and offering a failed
package again (audited). Nothing of a report can be edited here."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from loket.core.errors import DomainError
from loket.reports.models import Report
from loket.reports.services import report_offer_again


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = (
        "uuid",
        "organisation",
        "status",
        "report_type",
        "fiscal_year",
        "sent_at",
        "delivery_status",
        "delivery_attempts",
        "next_attempt_at",
    )
    list_filter = ("status", "delivery_status")
    list_select_related = ("organisation__kind",)
    search_fields = ("organisation__name", "organisation__kbo", "uuid", "package_name")
    show_full_result_count = False
    actions = ["offer_again"]
    readonly_fields = [field.name for field in Report._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    @admin.action(description=_("Mislukte pakketten opnieuw aanbieden"))
    def offer_again(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        done = 0
        for report in queryset:
            try:
                report_offer_again(actor=request.user, report=report, reason=str(_("via de back office")))
            except DomainError as refused:
                self.message_user(request, f"{report.uuid}: {refused.message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(n)s pakket(ten) opnieuw aangeboden.") % {"n": done}, messages.SUCCESS)
