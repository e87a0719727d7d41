"""Pages after signing in that belong to no other subject: the landing page, the 403 page, switching organisation, a
module's tile and "Simuleer een bestuur"."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST

from loket.accounts.access import role_missing_response
from loket.accounts.login import access_denied_record
from loket.accounts.middleware import SESSION_KEY
from loket.accounts.roles import Role, module_by_code
from loket.accounts.selectors import module_tiles
from loket.core.access import RoleMissing, login_required, public, recent_sign_in_required, staff_required
from loket.core.error_pages import framed_or_plain
from loket.core.errors import DomainError
from loket.core.throttle import client_ip
from loket.organisations.selectors import organisation_by_key, organisation_search


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
    audit trail (`access_denied_record`, bounded per user a minute). When the page cannot be rendered (its frame needs
    the database, the session, the static files' manifest), the plain bilingual one, still a 403."""
    return framed_or_plain(request, lambda: _permission_denied_page(request, exception), status=403)


def _refusal_reason(exception: Exception | None) -> str:
    """Why, for the audit trail: in Dutch, its one language (the product's language of record), whatever language
    the reader sees the page in; messages raised with `gettext_lazy` are rendered here, in Dutch."""
    with translation.override("nl"):
        if isinstance(exception, RoleMissing) and exception.role in Role.values:
            return _("de rol %(role)s ontbreekt") % {"role": Role(exception.role).label}
        return str(exception or "") or _("geen toegang")


def _permission_denied_page(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    missing = isinstance(exception, RoleMissing) and exception.role in Role.values
    access_denied_record(
        user=getattr(request, "user", None),
        organisation=getattr(request, "organisation", None),
        method=request.method or "",
        path=request.path,
        address=client_ip(request),
        reason=_refusal_reason(exception),
    )
    if missing:
        return role_missing_response(request, Role(exception.role))  # type: ignore[union-attr]
    return defaults.permission_denied(request, exception or PermissionDenied())


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
