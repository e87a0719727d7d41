"""Access management (toegangsbeheer): an access manager's requests to decide and the members of the bodies they
manage."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from loket.accounts import selectors
from loket.accounts.access import (
    access_request_for_manager,
    deciders_for,
    managed_organisation_for_user,
    may_end_membership,
    membership_for_manager,
    organisations_managed_by_user,
)
from loket.accounts.forms import DecisionForm, EndAllForm, EndMembershipForm
from loket.accounts.roles import Role
from loket.accounts.services import (
    access_request_approve,
    access_request_refuse,
    membership_end,
    memberships_end_all_outcome,
)
from loket.core.access import recent_sign_in_required, role_required
from loket.core.errors import DomainError
from loket.organisations.channels import channel_switch_preview
from loket.organisations.models import Organisation
from loket.organisations.naming import format_kbo
from loket.organisations.selectors import organisation_place


@role_required(Role.ACCESS_MANAGER)
def manager_requests(request: HttpRequest) -> HttpResponse:
    pending = selectors.pending_requests_for_manager(request.user, request.organisation)  # type: ignore[arg-type, attr-defined]
    managed = (
        organisations_managed_by_user(request.user, request.organisation)  # type: ignore[arg-type, attr-defined]
        .select_related("kind")  # a body without a name is named by its kind
        .order_by("name")
    )
    query = request.GET.get("q", "").strip()
    if query:
        managed = managed.filter(name__icontains=query)
    return render(
        request, "accounts/manager_requests.html", {"pending": pending, "managed": managed[:50], "query": query}
    )


@role_required(Role.ACCESS_MANAGER)
@recent_sign_in_required
def manager_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = access_request_for_manager(request, pk)
    form = DecisionForm(request.POST or None, asked=access_request.roles)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                access_request_approve(
                    access_request=access_request,
                    actor=request.user,  # type: ignore[arg-type]
                    actor_organisation=request.organisation,  # type: ignore[attr-defined]
                    roles=form.cleaned_data["roles"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Toegang verleend aan %(name)s.") % {"name": access_request.user})
            else:
                access_request_refuse(
                    access_request=access_request,
                    actor=request.user,  # type: ignore[arg-type]
                    actor_organisation=request.organisation,  # type: ignore[attr-defined]
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Aanvraag geweigerd."))
            return redirect("accounts:manager-requests")
        except DomainError as error:
            decision = form.cleaned_data["decision"]
            if selectors.is_own_repeated_decision(access_request, user=request.user, decision=decision):  # type: ignore[arg-type]
                messages.info(
                    request,
                    _("U hebt deze aanvraag al goedgekeurd.")
                    if decision == "approve"
                    else _("U hebt deze aanvraag al geweigerd."),
                )
                return redirect("accounts:manager-requests")
            form.add_error(None, error.message)
    status = 400 if request.method == "POST" else 200
    organisation = access_request.organisation
    return render(
        request,
        "accounts/manager_decide.html",
        {
            "access_request": access_request,
            "form": form,
            "organisation": organisation,
            "place": organisation_place(organisation),
            "names_first_manager": Role.ACCESS_MANAGER in access_request.roles
            and not deciders_for(organisation).managers_of(organisation),
            "kbo": format_kbo(organisation.kbo),
        },
        status=status,
    )


@role_required(Role.ACCESS_MANAGER)
@recent_sign_in_required
def manager_members(request: HttpRequest, key: str) -> HttpResponse:
    organisation = managed_organisation_for_user(request, key)
    return _members_page(request, organisation, EndAllForm())


def _members_page(request: HttpRequest, organisation: Organisation, end_all_form: EndAllForm) -> HttpResponse:
    members = list(selectors.members_of(organisation))
    return render(
        request,
        "accounts/manager_members.html",
        {
            "organisation": organisation,
            "members": members,
            # the rule the service applies: one's own row has no button (`may_end_membership`)
            "endable": {m.pk for m in members if may_end_membership(membership=m, actor=request.user)},  # type: ignore[arg-type]
            "end_form": EndMembershipForm(),
            "end_all_form": end_all_form,
            "end_all_effects": channel_switch_preview(organisation, leaving=False),
        },
        status=400 if end_all_form.is_bound else 200,
    )


@role_required(Role.ACCESS_MANAGER)
@require_POST
@recent_sign_in_required
def manager_end_membership(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_for_manager(request, pk)
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            membership_end(
                membership=membership,
                actor=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("De toegang van %(name)s is stopgezet.") % {"name": membership.user})
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Geef een reden om de toegang stop te zetten."))
    return redirect("accounts:manager-members", key=membership.organisation.key)


@role_required(Role.ACCESS_MANAGER)
@require_POST
@recent_sign_in_required
def manager_end_all(request: HttpRequest, key: str) -> HttpResponse:
    organisation = managed_organisation_for_user(request, key)
    form = EndAllForm(request.POST)
    if not form.is_valid():  # shown again with what was typed: the reason is not lost
        return _members_page(request, organisation, form)
    outcome = memberships_end_all_outcome(
        organisation=organisation,
        actor=request.user,  # type: ignore[arg-type]
        reason=form.cleaned_data["reason"],
    )
    messages.success(
        request,
        ngettext(
            "De toegang van %(count)s lid is stopgezet.",
            "De toegang van %(count)s leden is stopgezet.",
            outcome.members,
        )
        % {"count": outcome.members}
        + " "
        + ngettext(
            "%(count)s aanvraag in behandeling is vervallen.",
            "%(count)s aanvragen in behandeling zijn vervallen.",
            outcome.requests,
        )
        % {"count": outcome.requests},
    )
    return redirect("accounts:manager-members", key=organisation.key)
