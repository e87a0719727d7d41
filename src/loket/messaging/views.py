"""Pages of the Berichtencentrum: the clerk's conversations (list, detail, reply, mail settings) and the agency's
(overview, new conversation or circular with its progress, detail with replies and receipts)."""

import hashlib
from datetime import date
from typing import TypedDict, cast

from django.contrib import messages as flash
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.accounts.models import User
from loket.accounts.roles import Role
from loket.core import scanwait
from loket.core.access import login_required, role_required
from loket.core.errors import ConflictError, DomainError
from loket.core.files import FileRejected
from loket.core.linkeddata import linked_data_response
from loket.core.quota import Uploader
from loket.core.receipts import receipt_pdf
from loket.core.security import as_download, stored_download
from loket.core.uploads import files_over_limit
from loket.messaging import access, drafts, selectors, services
from loket.messaging.integrity import reply_problems
from loket.messaging.models import KNOWN_TYPES, Conversation, Message, NotificationSetting, ReplyDraft
from loket.messaging.receipts import reply_receipt
from loket.organisations.models import Organisation, OrganisationKind

PROVINCES = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"]


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> selectors.ConversationFilter:
    params = request.GET
    return selectors.ConversationFilter(
        kind=params.get("type", "")[:200],
        since=_date(params.get("van", "")),
        until=_date(params.get("tot", "")),
        awaiting_us=params.get("wacht") == "1",
        overdue=params.get("verlopen") == "1",
        unread=params.get("ongelezen") == "1",
        query=params.get("zoek", "")[:200],
        sort=params.get("sorteer", selectors.DEFAULT_SORT),
    )


def _page(request: HttpRequest, queryset):  # type: ignore[no-untyped-def]
    paginator = Paginator(queryset, selectors.PAGE_SIZE)
    return paginator.get_page(request.GET.get("pagina"))


def _sort_links(request: HttpRequest, current: str) -> dict[str, str]:
    """For each column the query that sorts by it (a second click reverses)."""
    links = {}
    for name in selectors.SORTS:
        query = request.GET.copy()
        query.pop("pagina", None)
        query["sorteer"] = f"-{name}" if current == name else name
        links[name.replace("-", "_")] = query.urlencode()
    return links


# The clerk -------------------------------------------------------------------------------------------------------


@role_required(Role.BERICHTEN)
def conversation_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    base = selectors.conversations_of(request.organisation)  # type: ignore[attr-defined]
    queryset = selectors.conversations_filtered(base, filters, cast(User, request.user))  # role_required
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "messaging/conversation_list.html",
        {
            "page": _page(request, queryset),
            "params": request.GET,
            "query": query.urlencode(),
            "kinds": sorted(set(KNOWN_TYPES) | set(selectors.conversation_kinds(base))),
            "sort": filters.sort,
            "sort_links": _sort_links(request, filters.sort),
            "now": timezone.now(),
        },
    )


def _detail_context(request: HttpRequest, conversation: Conversation, *, agency: bool) -> dict:  # type: ignore[type-arg]
    items = list(selectors.messages_of(conversation))
    damaged = {m.pk for m in items if m.sent_entry_id and reply_problems(m, check_bytes=False)}
    drafts = [] if agency else selectors.reply_drafts_of(conversation)  # the body's own: never the agency's to see
    holders: list[Message | ReplyDraft] = [*items, *drafts]
    names = [attachment.blob.storage_name for item in holders for attachment in item.attachments.all()]
    waiting = scanwait.waiting_names(names)
    return {
        "conversation": conversation,
        "items": items,
        "damaged": damaged,
        "waiting": waiting,
        "drafts": [_draft_view(draft, waiting) for draft in drafts],
        "scan_notices": scanwait.notices_for(conversation.uri),
        "agency": agency,
        "now": timezone.now(),
        "max_files": 20,
    }


def _draft_view(draft: ReplyDraft, waiting: set[str]) -> dict:  # type: ignore[type-arg]
    files = list(draft.attachments.all())
    return {
        "draft": draft,
        "files": files,
        "is_waiting": any(item.blob.storage_name in waiting for item in files),
        "notices": scanwait.notices_for(draft.uri),
    }


def _uploader(request: HttpRequest) -> Uploader:
    """The body the user acts for (the agency on the agency's pages) and the user: whose storage quota pays."""
    return Uploader(request.organisation, request.user)  # type: ignore[attr-defined]


def _uploaded(request: HttpRequest) -> list:  # type: ignore[type-arg]
    if files_over_limit(request):
        raise DomainError(_("Er werden te veel bestanden tegelijk opgeladen."))
    return request.FILES.getlist("files")


@role_required(Role.BERICHTEN)
def conversation_detail(request: HttpRequest, conversation) -> HttpResponse:  # type: ignore[no-untyped-def]
    conversation = access.conversation_for_clerk(request, conversation)
    status, errors = 200, {}
    if request.method == "POST":
        blobs: list = []  # type: ignore[type-arg]
        try:
            blobs = services.attachments_store(_uploaded(request), uploader=_uploader(request))
            posted = drafts.reply_post(
                actor=request.user, conversation=conversation, text=request.POST.get("text", ""), blobs=blobs
            )
        except FileRejected as error:
            status, errors = 400, {"files": error.message_nl}
        except DomainError as error:
            services.attachments_discard(blobs)  # nothing was sent or kept: nothing new is kept
            status, errors = 400, {"general": str(error.message), **{k: str(v) for k, v in error.fields.items()}}
        else:
            if isinstance(posted, ReplyDraft):
                flash.warning(
                    request,
                    _(
                        "Uw reactie werd nog niet verstuurd: een bijlage wacht op de virusscan (de virusscanner was "
                        "even niet bereikbaar). Ze is bewaard als concept bij deze conversatie; verstuur ze zodra "
                        "de scan klaar is."
                    ),
                )
            else:
                flash.success(request, _("Uw reactie werd verstuurd. Het ontvangstbewijs staat bij het bericht."))
            return redirect("messaging:detail", conversation.uuid)
    services.conversation_mark_read(user=request.user, conversation=conversation)
    context = _detail_context(request, conversation, agency=False)
    context.update({"errors": errors, "text": request.POST.get("text", "")})
    return render(request, "messaging/conversation_detail.html", context, status=status)


@role_required(Role.BERICHTEN)
@require_POST
def reply_draft_send(request: HttpRequest, conversation, draft) -> HttpResponse:  # type: ignore[no-untyped-def]
    conversation = access.conversation_for_clerk(request, conversation)
    found = access.reply_draft_of(conversation, draft)
    try:
        drafts.reply_draft_send(actor=request.user, draft=found)
    except DomainError as error:
        context = _detail_context(request, conversation, agency=False)
        context.update({"errors": {}, "draft_error": {"uuid": found.uuid, "message": str(error.message)}})
        status = 409 if isinstance(error, ConflictError | scanwait.ScanPending) else 400
        return render(request, "messaging/conversation_detail.html", context, status=status)
    flash.success(request, _("Uw reactie werd verstuurd. Het ontvangstbewijs staat bij het bericht."))
    return redirect("messaging:detail", conversation.uuid)


@role_required(Role.BERICHTEN)
@require_POST
def reply_draft_discard(request: HttpRequest, conversation, draft) -> HttpResponse:  # type: ignore[no-untyped-def]
    conversation = access.conversation_for_clerk(request, conversation)
    try:
        drafts.reply_draft_discard(actor=request.user, draft=access.reply_draft_of(conversation, draft))
    except DomainError as error:
        flash.error(request, str(error.message))
    else:
        flash.success(request, _("De concept-reactie werd verwijderd."))
    return redirect("messaging:detail", conversation.uuid)


def _attachment_response(conversation: Conversation, key) -> HttpResponse | FileResponse:  # type: ignore[no-untyped-def]
    attachment = access.attachment_of(conversation, key)
    digest = hashlib.sha256()
    try:
        with default_storage.open(attachment.blob.storage_name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except OSError:
        raise Http404 from None
    if digest.hexdigest() != attachment.blob.sha256:
        return HttpResponse(
            _("Dit bestand komt niet meer overeen met wat verstuurd werd; meld dit aan de helpdesk."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    return stored_download(
        attachment.blob.storage_name, filename=attachment.file_name, content_type=attachment.blob.content_type
    )


@role_required(Role.BERICHTEN)
def conversation_file(request: HttpRequest, conversation, attachment) -> HttpResponse | FileResponse:  # type: ignore[no-untyped-def]
    return _attachment_response(access.conversation_for_clerk(request, conversation), attachment)


def _receipt_response(message: Message, fmt: str) -> HttpResponse:
    if fmt not in {"json", "pdf"}:
        raise Http404
    receipt = reply_receipt(message)
    if fmt == "json":
        response: HttpResponse = JsonResponse(receipt, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    as_download(response, filename=f"ontvangstbewijs-bericht-{message.uuid}.{fmt}")
    return response


@role_required(Role.BERICHTEN)
def reply_receipt_view(request: HttpRequest, conversation, message, fmt: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    conversation = access.conversation_for_clerk(request, conversation)
    return _receipt_response(access.reply_of(conversation, message), fmt)


class _SettingValues(TypedDict):
    """The notification settings form as shown (stored or just posted)."""

    is_enabled: bool
    addresses: str


@role_required(Role.BERICHTEN)
def notification_settings(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    setting = NotificationSetting.objects.filter(organisation=organisation).first()
    values: _SettingValues = {
        "is_enabled": bool(setting and setting.is_enabled),
        "addresses": ", ".join(setting.addresses) if setting else "",
    }
    errors, status = {}, 200
    if request.method == "POST":
        values = {"is_enabled": request.POST.get("is_enabled") == "on", "addresses": request.POST.get("addresses", "")}
        try:
            services.notification_setting_update(
                actor=request.user,
                organisation=organisation,
                is_enabled=values["is_enabled"],
                addresses_text=values["addresses"],
            )
        except DomainError as error:
            errors, status = {"general": str(error.message), **{k: str(v) for k, v in error.fields.items()}}, 400
        else:
            flash.success(request, _("De mailinstellingen werden bewaard."))
            return redirect("messaging:settings")
    return render(request, "messaging/settings.html", {"values": values, "errors": errors}, status=status)


# The agency ------------------------------------------------------------------------------------------------------


def _agency_only(request: HttpRequest) -> None:
    if not services.is_agency(request.organisation):  # type: ignore[attr-defined]
        raise Http404


@role_required(Role.MESSAGES_AGENCY)
def agency_list(request: HttpRequest) -> HttpResponse:
    _agency_only(request)
    filters = _filters(request)
    queryset = selectors.conversations_for_agency()
    body = request.GET.get("bestuur", "").strip()[:200]
    if body:
        queryset = queryset.filter(Q(organisation__name__icontains=body) | Q(organisation__kbo=body.replace(".", "")))
    if request.GET.get("reactie") == "1":
        queryset = queryset.filter(awaiting_body=False)
    user = cast(User, request.user)  # role_required
    queryset = selectors.conversations_filtered(queryset, filters, user, for_agency=True)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "messaging/agency_list.html",
        {
            "page": _page(request, queryset),
            "params": request.GET,
            "query": query.urlencode(),
            "kinds": KNOWN_TYPES,
            "sort_links": _sort_links(request, filters.sort),
            "now": timezone.now(),
        },
    )


def _recipients(request: HttpRequest) -> list[Organisation]:
    return selectors.recipients_chosen(
        references=request.POST.get("besturen", "").splitlines()[:5000],
        kind_uri=request.POST.get("soort", ""),
        province=request.POST.get("provincie", ""),
    )


@role_required(Role.MESSAGES_AGENCY)
def agency_new(request: HttpRequest) -> HttpResponse:
    _agency_only(request)
    errors, status = {}, 200
    if request.method == "POST":
        kind = request.POST.get("type_ander", "").strip() or request.POST.get("type", "")
        draft = services.ConversationDraft(
            dossier_number=request.POST.get("dossiernummer", ""),
            subject=request.POST.get("betreft", ""),
            kind=kind,
            reaction_term=request.POST.get("termijn", "P30D") or "P30D",
            text=request.POST.get("text", ""),
            handler_email=request.POST.get("behandelaar", ""),
        )
        blobs: list = []  # type: ignore[type-arg]
        try:
            recipients = _recipients(request)
            blobs = services.attachments_store(_uploaded(request), uploader=_uploader(request))
            if len(recipients) == 1:
                conversation = services.conversation_start(
                    actor=request.user, organisation=recipients[0], draft=draft, blobs=blobs
                )
            else:
                circular = services.circular_start(
                    actor=request.user, organisations=recipients, draft=draft, blobs=blobs
                )
        except FileRejected as error:
            errors, status = {"files": error.message_nl}, 400
        except DomainError as error:
            services.attachments_discard(blobs)  # nothing was started: nothing new is kept
            errors, status = {"general": str(error.message), **{k: str(v) for k, v in error.fields.items()}}, 400
        else:
            if len(recipients) == 1:
                flash.success(request, _("De conversatie werd gestart."))
                return redirect("messaging:agency-detail", conversation.uuid)
            return redirect("messaging:circular", circular.uuid)
    return render(
        request,
        "messaging/agency_new.html",
        {
            "errors": errors,
            "params": request.POST,
            "kinds": KNOWN_TYPES,
            "provinces": PROVINCES,
            "organisation_kinds": OrganisationKind.objects.exclude(category=OrganisationKind.Category.AGENCY),
        },
        status=status,
    )


@role_required(Role.MESSAGES_AGENCY)
def circular_progress(request: HttpRequest, circular) -> HttpResponse:  # type: ignore[no-untyped-def]
    circular = access.circular_for_agency(request, circular)
    progress = selectors.circular_progress(circular)
    if request.GET.get("format") == "json":
        return JsonResponse(progress)
    stopped_by, found_later = selectors.circular_scan_notices(circular)
    context = {"circular": circular, "progress": progress, "stopped_by": stopped_by, "found_later": found_later}
    return render(request, "messaging/circular.html", context)


@role_required(Role.MESSAGES_AGENCY)
def agency_detail(request: HttpRequest, conversation) -> HttpResponse:  # type: ignore[no-untyped-def]
    conversation = access.conversation_for_agency(request, conversation)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            blobs = services.attachments_store(_uploaded(request), uploader=_uploader(request))
            services.agency_message_add(
                actor=request.user,
                conversation=conversation,
                kind=request.POST.get("type", ""),
                text=request.POST.get("text", ""),
                blobs=blobs,
            )
        except FileRejected as error:
            errors, status = {"files": error.message_nl}, 400
        except DomainError as error:
            errors, status = {"general": str(error.message), **{k: str(v) for k, v in error.fields.items()}}, 400
        else:
            flash.success(request, _("Het bericht werd verstuurd."))
            return redirect("messaging:agency-detail", conversation.uuid)
    services.conversation_mark_read(user=request.user, conversation=conversation)
    context = _detail_context(request, conversation, agency=True)
    context.update({"errors": errors, "kinds": KNOWN_TYPES})
    return render(request, "messaging/conversation_detail.html", context, status=status)


@role_required(Role.MESSAGES_AGENCY)
def agency_file(request: HttpRequest, conversation, attachment) -> HttpResponse | FileResponse:  # type: ignore[no-untyped-def]
    return _attachment_response(access.conversation_for_agency(request, conversation), attachment)


@role_required(Role.MESSAGES_AGENCY)
def agency_receipt(request: HttpRequest, conversation, message, fmt: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    conversation = access.conversation_for_agency(request, conversation)
    return _receipt_response(access.reply_of(conversation, message), fmt)


# Linked data (not public) ------------------------------------------------------------------------------------------


def _may_see(request: HttpRequest, conversation: Conversation) -> bool:
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    organisation = request.organisation  # type: ignore[attr-defined]
    if services.is_agency(organisation) and Role.MESSAGES_AGENCY in roles:
        return True
    return organisation == conversation.organisation and Role.BERICHTEN in roles


@login_required
def conversation_resource(request: HttpRequest, conversation) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = Conversation.objects.select_related("organisation").filter(uuid=conversation).first()
    if found is None or not _may_see(request, found):
        raise Http404
    return linked_data_response(
        request,
        instance=found,
        template="messaging/resource.html",
        context={"title": str(found), "conversation": found},
    )


@login_required
def message_resource(request: HttpRequest, message) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = (
        Message.objects.select_related("conversation__organisation", "sender", "recipient").filter(uuid=message).first()
    )
    if found is None or not _may_see(request, found.conversation):
        raise Http404
    return linked_data_response(
        request,
        instance=found,
        template="messaging/resource.html",
        context={"title": str(found), "conversation": found.conversation},
    )
