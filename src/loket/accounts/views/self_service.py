"""What a signed-in person does for themselves: self-registration (zelfregistratie) and its requests, "Mijn sessies"
and "Mijn gegevens"."""

import json
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from loket.accounts import selectors, sessions
from loket.accounts.access import access_request_of_user, deciders_for, who_gives_access
from loket.accounts.forms import AccessRequestForm
from loket.accounts.models import User
from loket.accounts.personal_data import EXPORT_EVENT_LIMIT, PAGE_EVENT_LIMIT, personal_data_export, personal_data_of
from loket.accounts.services import access_request_create, request_refusal_message, requestable_roles
from loket.core.access import login_required
from loket.core.errors import DomainError, NotFoundError
from loket.core.security import as_download
from loket.core.throttle import client_ip
from loket.organisations.selectors import organisation_by_key, organisation_search


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
def my_requests(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    return render(request, "accounts/my_requests.html", {"requests": selectors.requests_of(user)})


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
            # "²" is a digit to isdigit, not to int(); int() refuses more than 4,300 digits; no id has more than 19.
            if not (wanted.isascii() and wanted.isdigit() and len(wanted) <= 19):
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
@require_http_methods(["GET", "HEAD", "POST"])
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The same as a JSON attachment (posted, with the CSRF token: a download is audited, no other site starts one).
    A GET goes to the page with the button: a bookmark, or the sign-in that a POST with an expired session was sent
    to, which returns to this address."""
    if request.method != "POST":
        return redirect("accounts:my-data")
    user = cast(User, request.user)  # login_required
    document = personal_data_export(user=user, current_key=request.session.session_key, address=client_ip(request))
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    as_download(response, filename=f"mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json")
    return response
