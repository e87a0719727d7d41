"""Pages: landing, login and logout, switching organisation, self-registration, "Mijn sessies" and "Mijn gegevens",
access management."""

import json
import logging
from typing import Any, cast

from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import defaults
from django.views.decorators.http import require_POST

from loket.accounts import oidc, second_factor, selectors, sessions, step_up
from loket.accounts.access import (
    access_request_for_manager,
    access_request_of_user,
    deciders_for,
    managed_organisation_for_user,
    membership_for_manager,
    organisations_managed_by_user,
    role_missing_response,
    who_gives_access,
)
from loket.accounts.forms import AccessRequestForm, DecisionForm, DevLoginForm, EndAllForm, EndMembershipForm
from loket.accounts.login import (
    LoginError,
    access_denied_record,
    user_login_development,
    user_login_from_claims,
    user_login_password_record,
)
from loket.accounts.middleware import SESSION_KEY
from loket.accounts.models import User
from loket.accounts.personal_data import (
    EXPORT_EVENT_LIMIT,
    PAGE_EVENT_LIMIT,
    personal_data_export,
    personal_data_of,
)
from loket.accounts.roles import Role, module_by_code
from loket.accounts.selectors import module_tiles
from loket.accounts.services import (
    access_request_approve,
    access_request_create,
    access_request_refuse,
    membership_end,
    memberships_end_all_outcome,
    request_refusal_message,
    requestable_roles,
)
from loket.core.access import (
    RoleMissing,
    login_required,
    public,
    recent_sign_in_required,
    role_required,
    staff_required,
)
from loket.core.audit import audit_record
from loket.core.errors import DomainError, NotFoundError
from loket.core.security import as_download
from loket.core.throttle import client_ip, throttle_hit
from loket.organisations.channels import channel_switch_preview
from loket.organisations.models import Organisation
from loket.organisations.naming import format_kbo
from loket.organisations.selectors import (
    organisation_by_key,
    organisation_place,
    organisation_search,
)

logger = logging.getLogger(__name__)
BACKEND = "django.contrib.auth.backends.ModelBackend"


@public
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "accounts/welcome.html")
    tiles = module_tiles(request.user, request.organisation, request.roles)  # type: ignore[arg-type, attr-defined]
    return render(
        request,
        "accounts/home.html",
        {
            "tiles": tiles,
            "is_access_manager": Role.ACCESS_MANAGER in request.roles,  # type: ignore[attr-defined]
            "is_supervisor": Role.SUPERVISOR in request.roles,  # type: ignore[attr-defined]
        },
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The project's 403 page: for a missing role it says which role and who gives access. Every refusal is in the
    audit trail (`access_denied_record`, bounded per user a minute)."""
    missing = isinstance(exception, RoleMissing) and exception.role in Role.values
    access_denied_record(
        user=getattr(request, "user", None),
        organisation=getattr(request, "organisation", None),
        method=request.method or "",
        path=request.path,
        address=client_ip(request),
        reason=(
            _("de rol %(role)s ontbreekt") % {"role": Role(exception.role).label}  # type: ignore[union-attr]
            if missing
            else str(exception or "") or _("geen toegang")
        ),
    )
    if missing:
        return role_missing_response(request, Role(exception.role))  # type: ignore[union-attr]
    return defaults.permission_denied(request, exception or PermissionDenied())


@public
def login_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/login.html", {"oidc_configured": oidc.is_configured(), "next": _safe_next(request)}
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _throttled(request: HttpRequest) -> bool:
    return not throttle_hit(key=f"login:{client_ip(request)}", limit=settings.LOKET_LOGIN_THROTTLE, window_seconds=300)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/login_error.html",
        {"message": _("Te veel aanmeldpogingen. Probeer het over enkele minuten opnieuw.")},
        status=429,
    )


@public
def helpdesk_login(request: HttpRequest) -> HttpResponse:
    """The back office's password login, throttled per client address like the OpenID Connect login (same counter):
    guessing passwords costs the same as hammering the identity provider. The right password does not sign in yet:
    the code of the person's authenticator app is asked next (`helpdesk_login_code`, accounts/second_factor.py)."""
    from django.contrib import admin
    from django.contrib.admin.forms import AdminAuthenticationForm

    if request.method == "POST" and _throttled(request):
        return _too_many(request)
    if request.method != "POST":
        return admin.site.login(request)
    form = AdminAuthenticationForm(request, data=request.POST)
    if not form.is_valid():
        user_login_password_record(username=request.POST.get("username", ""), user=None, address=client_ip(request))
        context = {
            **admin.site.each_context(request),
            "title": _("Aanmelden"),
            "app_path": request.get_full_path(),
            "form": form,
            "next": _safe_next(request),
        }
        return render(request, "admin/login.html", context)  # the admin's own page, with the form's message
    next_url = _safe_next(request) or reverse("admin:index")
    second_factor.pending_start(request.session, user=form.get_user(), next_url=next_url)
    return redirect("helpdesk-login-code")


@public
def helpdesk_login_code(request: HttpRequest) -> HttpResponse:
    """The second step of the back office's login: the code of the person's app, or setting one up the first time."""
    if request.method == "POST" and _throttled(request):
        return _too_many(request)
    pending = second_factor.pending_of(request.session)
    if pending is None:
        messages.info(request, _("Meld u eerst aan met uw gebruikersnaam en wachtwoord."))
        return redirect("helpdesk-login")
    error = ""
    if request.method == "POST":
        try:
            user = second_factor.code_check(
                request.session, pending, request.POST.get("code", ""), address=client_ip(request)
            )
        except second_factor.SecondFactorError as failure:
            if failure.code == "too_many":
                messages.error(request, str(failure))
                return redirect("helpdesk-login")
            error = str(failure)
        else:
            login(request, user, backend=BACKEND)
            sessions.session_started(request=request, user=user, method="password")
            user_login_password_record(username=user.username, user=user, address=client_ip(request))
            return redirect(pending.next or reverse("admin:index"))
    from django.contrib import admin

    device = second_factor.confirmed_device(pending.user)
    enrolment = None if device is not None else second_factor.enrolment_of(second_factor.enrolment_device(pending.user))
    return render(
        request,
        "accounts/helpdesk_code.html",
        {
            **admin.site.each_context(request),
            "title": _("Tweede aanmeldstap"),
            "enrolment": enrolment,
            "error": error,
            "person": pending.user.get_username(),
        },
        status=400 if error else 200,
    )


@public
def oidc_start(request: HttpRequest) -> HttpResponse:
    if _throttled(request):
        return _too_many(request)
    if not oidc.is_configured():
        raise Http404
    return _oidc_redirect(request, _safe_next(request))


def _oidc_redirect(request: HttpRequest, next_url: str, **asked: Any) -> HttpResponse:
    """To the identity provider, back to `next_url` after the callback; `asked`: more authorisation parameters."""
    request.session["login_next"] = next_url
    redirect_uri = request.build_absolute_uri(reverse("accounts:oidc-callback"))
    try:
        return oidc.client().authorize_redirect(request, redirect_uri, **asked)
    except Exception:  # the provider is down or misconfigured: tell the user, log the cause
        logger.exception("Could not reach the identity provider")
        return render(
            request,
            "accounts/login_error.html",
            {"message": _("De aanmeldpagina van de Vlaamse overheid is niet bereikbaar. Probeer het later opnieuw.")},
            status=503,
        )


@public
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if _throttled(request):
        return _too_many(request)
    if not oidc.is_configured():
        raise Http404
    if "error" in request.GET:
        return render(
            request, "accounts/login_error.html", {"message": _("Het aanmelden werd afgebroken.")}, status=400
        )
    try:
        token = oidc.client().authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
    except OAuthError as error:
        logger.warning("OIDC callback refused: %s", error.error)
        return render(
            request,
            "accounts/login_error.html",
            {"message": _("Fout bij het aanmelden. Probeer het opnieuw.")},
            status=400,
        )
    try:
        user, organisation = user_login_from_claims(claims=claims)
    except LoginError as error:
        return render(request, "accounts/login_error.html", {"message": error.message}, status=403)
    next_url = request.session.pop("login_next", "")
    login(request, user, backend=BACKEND)
    sessions.session_started(request=request, user=user, method="oidc")
    if organisation is not None:
        request.session[SESSION_KEY] = organisation.pk
    return redirect(next_url or "accounts:home")


@public
def dev_login(request: HttpRequest) -> HttpResponse:
    if not (settings.LOKET_DEV_LOGIN and settings.DEBUG):
        raise Http404
    form = DevLoginForm(request.POST or None)
    choices = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = None
        chosen = request.POST.get("organisation_choice", "")
        if chosen:  # picked from the list of matches shown on the previous round
            organisation = organisation_by_key(chosen.rsplit("/", 1)[-1])
        elif data["organisation"]:
            choices = list(organisation_search(data["organisation"], limit=15))
            if len(choices) == 1:
                organisation = choices[0]
            elif not choices:
                form.add_error("organisation", _("Geen bestuur gevonden met deze naam of dit KBO-nummer."))
        if form.is_valid() and (organisation is not None or not data["organisation"]):
            try:
                user = user_login_development(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    organisation=organisation,
                    roles=data["roles"],
                    is_helpdesk=data["is_helpdesk"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                login(request, user, backend=BACKEND)
                sessions.session_started(request=request, user=user, method="development")
                if organisation is not None:
                    request.session[SESSION_KEY] = organisation.pk
                if user.is_staff and not data["is_helpdesk"]:
                    messages.info(
                        request,
                        _(
                            "%(name)s blijft medewerker van de helpdesk (back-office): het aanmelden neemt die rechten "
                            "niet af."
                        )
                        % {"name": user.get_full_name()},
                    )
                return redirect("accounts:home")
    return render(request, "accounts/dev_login.html", {"form": form, "choices": choices})


@login_required
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    audit_record(action="logout", actor=request.user, organisation=request.organisation)  # type: ignore[attr-defined]
    sessions.session_forget(session_key=request.session.session_key)
    logout(request)
    return redirect("accounts:home")


@login_required
def confirm_identity(request: HttpRequest) -> HttpResponse:
    """ "Bevestig wie u bent": before a high-value action (core.access.recent_sign_in_required), in the way this session
    was signed in (accounts/step_up.py); then back to the page that asked."""
    next_url = _safe_next(request) or reverse("accounts:home")
    method = step_up.confirm_method(request)
    error = ""
    if request.method == "POST":
        if _throttled(request):
            return _too_many(request)
        if method == step_up.OIDC:
            return _oidc_redirect(request, next_url, prompt="login", max_age=0)
        if method == step_up.DEVELOPMENT:
            step_up.confirmed(request, method)
            return redirect(next_url)
        if method == step_up.PASSWORD:
            try:
                second_factor.code_verify(
                    request.user,  # type: ignore[arg-type]
                    request.POST.get("code", ""),
                    address=client_ip(request),
                    enrol=False,
                )
            except second_factor.SecondFactorError as failure:
                error = str(failure)
                if failure.code == "wrong" and step_up.wrong_code(request) >= settings.LOKET_SECOND_FACTOR_TRIES:
                    audit_record(action="logout", actor=request.user, reason="wrong_codes")
                    sessions.session_forget(session_key=request.session.session_key)
                    logout(request)
                    messages.error(request, _("Te veel foute codes: u bent afgemeld. Meld u opnieuw aan."))
                    return redirect("helpdesk-login")
            else:
                step_up.confirmed(request, method)
                return redirect(next_url)
    return render(
        request,
        "accounts/confirm_identity.html",
        {"method": method, "next": next_url, "error": error, "minutes": settings.LOKET_STEP_UP_MINUTES},
        status=400 if error else 200,
    )


@login_required
def switch_organisation(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    wanted = request.POST.get("organisation", "")
    membership = next(
        (m for m in request.memberships if str(m.organisation_id) == wanted),  # type: ignore[attr-defined]
        None,
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(request, _("U werkt nu voor %(org)s.") % {"org": membership.organisation.display_name})
    return redirect("accounts:home")


@staff_required
@recent_sign_in_required
def simulation_page(request: HttpRequest) -> HttpResponse:
    """ "Simuleer een bestuur": find a body by name or KBO number, then act as it (accounts/simulation.py)."""
    from loket.accounts.simulation import simulation_refusal, simulation_roles, simulation_start

    status = 200
    if request.method == "POST":
        organisation = organisation_by_key(request.POST.get("organisation", "").rsplit("/", 1)[-1])
        try:
            if organisation is None:
                raise DomainError(_("Kies een bestuur uit de zoekresultaten."))
            simulation_start(admin=request.user, organisation=organisation, session=request.session)
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(
                request,
                _("U bekijkt het Loket nu als %(org)s, ten hoogste %(minutes)s minuten.")
                % {"org": organisation.display_name, "minutes": settings.LOKET_SIMULATION_MINUTES},
            )
            return redirect("accounts:home")
    query = request.GET.get("q", "").strip()[:200]
    results = []
    for organisation in organisation_search(query, limit=25) if len(query) >= 2 else []:
        refusal = simulation_refusal(admin=request.user, organisation=organisation, session={})
        results.append({"organisation": organisation, "refusal": refusal, "roles": simulation_roles(organisation)})
    return render(
        request,
        "accounts/simulation.html",
        {
            "query": query,
            "results": results,
            "minutes": settings.LOKET_SIMULATION_MINUTES,
            "already": getattr(request, "simulation", None),
        },
        status=status,
    )


@login_required
@require_POST
def simulation_stop_view(request: HttpRequest) -> HttpResponse:
    from loket.accounts.simulation import simulation_stop

    organisation = simulation_stop(admin=request.user, session=request.session)
    if organisation is not None:
        messages.success(request, _("De simulatie van %(org)s is gestopt.") % {"org": organisation.display_name})
    return redirect("accounts:simulation" if request.user.is_staff else "accounts:home")


@login_required
def module_page(request: HttpRequest, code: str) -> HttpResponse:
    module = module_by_code(code)
    if module is None:
        raise Http404
    if module.role not in request.roles:  # type: ignore[attr-defined]
        raise RoleMissing(module.role)
    if module.url_name:
        return redirect(module.url_name)
    return render(request, "accounts/module.html", {"module": module})


# Self-registration (zelfregistratie) -------------------------------------------------------------------------


@login_required
def registration_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = organisation_search(query) if query else []
    return render(request, "accounts/registration_search.html", {"query": query, "results": results})


@login_required
def registration_form(request: HttpRequest, key: str) -> HttpResponse:
    organisation = organisation_by_key(key)
    if organisation is None:
        raise Http404
    refusal = request_refusal_message(organisation)
    roles = requestable_roles(organisation)
    user = cast(User, request.user)  # login_required
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": [code for code in request.GET.getlist("rol") if code in {role.value for role in roles}],
    }
    form = AccessRequestForm(request.POST or None, roles=roles, initial=initial)
    if request.method == "POST" and not refusal and form.is_valid():
        data = form.cleaned_data
        try:
            access_request = access_request_create(
                user=user,
                organisation=organisation,
                first_name=data["first_name"],  # type: ignore[arg-type]
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                job_title=data["job_title"],
                roles=data["roles"],
                reason=data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("accounts:request-detail", pk=access_request.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/registration_form.html",
        {"organisation": organisation, "form": form, "refusal": refusal, "manager": who_gives_access(organisation)},
        status=status,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the request is sent. Who decides (named), how the applicant hears, what to do if nobody answers."""
    access_request = access_request_of_user(request, pk)
    return render(
        request,
        "accounts/request_detail.html",
        {
            "access_request": access_request,
            "deciders": deciders_for(access_request.organisation),
            "helpdesk_email": settings.LOKET_HELPDESK_EMAIL,
        },
    )


@login_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    """ "Mijn sessies": where the user is signed in; any other session can be ended, or all others at once."""
    user: Any = request.user
    current = request.session.session_key
    if request.method == "POST":
        address = client_ip(request)
        if request.POST.get("scope") == "others":
            ended = sessions.sessions_end_others(user=user, current_key=current, address=address)
            messages.success(request, _("Alle andere sessies zijn afgemeld (%(count)s).") % {"count": ended})
            return redirect("accounts:sessions")
        wanted = request.POST.get("session", "")
        try:
            if not (wanted.isascii() and wanted.isdigit()):  # "²" is a digit to isdigit, not to int()
                raise NotFoundError(_("Deze sessie bestaat niet (meer)."))
            sessions.session_end(user=user, session_id=int(wanted), current_key=current, address=address)
        except NotFoundError as error:
            messages.error(request, error.message)
            live = sessions.sessions_of(user=user, current_key=current)
            return render(request, "accounts/my_sessions.html", {"sessions": live}, status=404)
        messages.success(request, _("De sessie is afgemeld."))
        return redirect("accounts:sessions")
    live = sessions.sessions_of(user=user, current_key=current)
    return render(request, "accounts/my_sessions.html", {"sessions": live})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """ "Mijn gegevens" (ASVS 8.3.2): what the Loket holds about the user, with the newest audit events only."""
    user = cast(User, request.user)  # login_required
    data = personal_data_of(user=user, current_key=request.session.session_key, event_limit=PAGE_EVENT_LIMIT)
    return render(request, "accounts/my_data.html", {"data": data, "export_limit": EXPORT_EVENT_LIMIT})


@login_required
@require_POST
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The same as a JSON attachment (posted, with the CSRF token: a download is audited, no other site starts one)."""
    user = cast(User, request.user)  # login_required
    document = personal_data_export(user=user, current_key=request.session.session_key, address=client_ip(request))
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    as_download(response, filename=f"mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json")
    return response


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    return render(request, "accounts/my_requests.html", {"requests": selectors.requests_of(user)})


# Access management (toegangsbeheer) -------------------------------------------------------------------------


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
    return render(
        request,
        "accounts/manager_members.html",
        {
            "organisation": organisation,
            "members": selectors.members_of(organisation),
            "end_form": EndMembershipForm(),
            "end_all_form": end_all_form,
            "end_all_effects": channel_switch_preview(organisation, leaving=False),
        },
        status=400 if end_all_form.is_bound else 200,
    )


@role_required(Role.ACCESS_MANAGER)
@require_POST
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
