from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from loket.accounts.models import AccessRequest, Membership, MembershipRole, User
from loket.accounts.second_factor import second_factor_reset
from loket.accounts.services import user_rights_record_change
from loket.core.access import recent_sign_in_required
from loket.core.admin import ReadOnlyAdmin  # access changes go through the audited services, never raw edits

RIGHTS_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")

# django-otp's admin would show every person's TOTP key and QR code to every superuser: not on the Loket's site. Its
# table is empty since the apps moved, sealed, to `SecondFactorDevice` (accounts 0007), which has no admin either. A
# lost app is removed with the action below or `manage.py second_factor_reset`.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django 5.2's form with its "Password-based authentication" help in the page's language: Django joins it into
    one string when it is imported (so in Dutch, also on an English page) with an English warning that is never
    translated (so in English on a Dutch page; found by the hand walk). The warning keeps Django's id, which its
    script shows and hides."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = format_html(
                '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
                _(
                    "Of de gebruiker zich met een wachtwoord kan aanmelden. Zonder wachtwoord kan die zich misschien "
                    "nog op een andere manier aanmelden, bij de Vlaamse overheid."
                ),
                _("Uitgeschakeld gaat het huidige wachtwoord van deze gebruiker verloren."),
            )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "subject"]
    actions = ["reset_second_factor"]
    change_password_form = PasswordChangeForm
    # Facts, not settings: shown as text. As inputs they were two unlabelled fields each (date, time), which axe
    # counts as critical (found by the hand walk), and nobody has a reason to change them.
    readonly_fields = ["last_login", "date_joined"]

    @admin.action(description=_("Tweede aanmeldstap opnieuw laten instellen (app verloren)"), permissions=["change"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """The person's authenticator app is removed; their next password sign-in sets up a new one. Audited."""
        removed = 0
        for user in queryset:
            removed += second_factor_reset(
                user=user,
                actor=request.user,  # type: ignore[arg-type]
                reason=str(_("via de back office")),
            )
        self.message_user(
            request,
            ngettext(
                "%(count)s app verwijderd; bij de volgende aanmelding wordt een nieuwe ingesteld.",
                "%(count)s apps verwijderd; bij de volgende aanmelding wordt een nieuwe ingesteld.",
                removed,
            )
            % {"count": removed},
            messages.SUCCESS,
        )

    # Adding a back-office account, changing its rights or password, deleting it and the actions on the list (the
    # second factor's reset) are rights changes: like the Loket's own (core.access.recent_sign_in_required), they
    # need a sign-in at most LOKET_STEP_UP_MINUTES old, else the person confirms with the code of their app first.
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        view = recent_sign_in_required(super().changeform_view)
        return cast(HttpResponse, view(request, object_id, form_url, extra_context))

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return cast(HttpResponse, recent_sign_in_required(super().delete_view)(request, object_id, extra_context))

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        return cast(HttpResponse, recent_sign_in_required(super().user_change_password)(request, id, form_url))

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "POST":  # an action on the selected people; reading the list needs nothing more
            return cast(HttpResponse, recent_sign_in_required(super().changelist_view)(request, extra_context))
        return super().changelist_view(request, extra_context)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:  # type: ignore[no-untyped-def]
        """A change of a person's rights in the back office is an access change: it goes into the audit trail."""
        super().save_related(request, form, formsets, change)
        changed = [name for name in RIGHTS_FIELDS if name in form.changed_data]
        if changed:
            user_rights_record_change(user=form.instance, actor=request.user, fields=changed)  # type: ignore[arg-type]


class MembershipRoleInline(admin.TabularInline):
    model = MembershipRole
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "source", "is_active", "granted_at", "ended_at"]
    list_filter = ["is_active", "source"]
    search_fields = ["user__last_name", "organisation__name", "organisation__kbo"]
    list_select_related = ["user", "organisation__kind"]
    inlines = [MembershipRoleInline]


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "first_name", "last_name", "organisation", "status", "decided_at"]
    list_filter = ["status"]
    search_fields = ["last_name", "email", "organisation__name"]
    list_select_related = ["organisation__kind"]
