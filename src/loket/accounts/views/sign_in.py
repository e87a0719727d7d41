"""Signing in and out: the login page, the back office's password and app code, ACM/IDM (OpenID Connect), the
development login, and "Bevestig wie u bent" before a high-value action."""

import logging
from typing import Any
from urllib.parse import urlencode

from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.accounts import oidc, second_factor, sessions, step_up
from loket.accounts.forms import DevLoginForm
from loket.accounts.login import LoginError, user_login_development, user_login_from_claims, user_login_password_record
from loket.accounts.middleware import SESSION_KEY
from loket.accounts.models import User
from loket.accounts.password_policy import (
    PASSWORD_CHANGE_MESSAGE,
    password_change_require,
    password_policy_failures,
)
from loket.core.access import KEPT_FORM, kept_form, login_required, public, signed_in_within
from loket.core.audit import audit_record
from loket.core.errors import DomainError
from loket.core.throttle import client_ip, throttle_hit
from loket.organisations.selectors import organisation_by_key, organisation_search

logger = logging.getLogger(__name__)
BACKEND = "django.contrib.auth.backends.ModelBackend"


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
    user = form.get_user()
    weak = password_policy_failures(form.cleaned_data["password"], user)
    second_factor.pending_start(request.session, user=user, next_url=next_url, password_change=bool(weak))
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
            if pending.password_change:
                password_change_require(request.session, user)
                messages.warning(request, PASSWORD_CHANGE_MESSAGE)
                return redirect("admin:password_change")
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
    confirming = step_up.confirming_person(request)
    if confirming is not None and confirming != user.pk:
        return _confirmed_as_someone_else(request, user)
    next_url = request.session.pop("login_next", "")
    login(request, user, backend=BACKEND)
    sessions.session_started(request=request, user=user, method="oidc")
    if organisation is not None:
        request.session[SESSION_KEY] = organisation.pk
    if confirming is not None:
        step_up.confirmed(request, step_up.OIDC)
        return redirect(_after_confirming(request, next_url or reverse("accounts:home")))
    return redirect(next_url or "accounts:home")


def _confirmed_as_someone_else(request: HttpRequest, other: User) -> HttpResponse:
    """A confirmation at the identity provider came back as another person (a colleague at the same desk): it
    confirms nobody. The session stays the first person's, unconfirmed; the other is not signed in here. The page
    names both, and offers to confirm again (back to the page that asked) or to sign out."""
    name = other.get_full_name() or other.get_username()
    audit_record(action="login.confirm_refused", actor=request.user, other=name, address=client_ip(request))
    next_url = request.session.pop("login_next", "") or reverse("accounts:home")
    person = request.user.get_full_name() or request.user.get_username()  # type: ignore[union-attr]
    return render(
        request, "accounts/confirm_refused.html", {"person": person, "other": name, "next": next_url}, status=403
    )


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
            step_up.confirming_started(request)
            return _oidc_redirect(request, next_url, prompt="login", max_age=0)
        if method == step_up.DEVELOPMENT:
            step_up.confirmed(request, method)
            return redirect(_after_confirming(request, next_url))
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
                return redirect(_after_confirming(request, next_url))
    return render(
        request,
        "accounts/confirm_identity.html",
        {"method": method, "next": next_url, "error": error, "minutes": settings.LOKET_STEP_UP_MINUTES},
        status=400 if error else 200,
    )


def _after_confirming(request: HttpRequest, next_url: str) -> str:
    """Where a confirmation leads: back to the page that asked, or first to the page that sends again what a refused
    form on that page carried (`confirm_continue`)."""
    if kept_form(request, next_url) is None:
        return next_url
    return f"{reverse('accounts:confirm-continue')}?{urlencode({'next': next_url})}"


@login_required
def confirm_continue(request: HttpRequest) -> HttpResponse:
    """After confirming: what the person filled in on the form that asked for the confirmation, sent again with one
    press (to the same address, with a new CSRF token) or left; a page shown once, and only to a confirmed session."""
    next_url = _safe_next(request) or reverse("accounts:home")
    kept = kept_form(request, next_url)
    if kept is None or not signed_in_within(request, settings.LOKET_STEP_UP_MINUTES * 60):
        return redirect(next_url)
    del request.session[KEPT_FORM]
    return render(request, "accounts/confirm_continue.html", {"kept": kept, "next": next_url})
