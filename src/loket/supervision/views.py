"""Toezicht pages: the clerk's submissions (list, new, edit, send, receipt) and the supervisor's inbox."""

import hashlib
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loket.accounts.roles import Role
from loket.core import scanwait
from loket.core.access import public, recent_sign_in_required, role_required, staff_required
from loket.core.csvexport import csv_response
from loket.core.errors import DomainError
from loket.core.files import FileRejected
from loket.core.ledger import SEND_CONFIRMATION_FIELD
from loket.core.linkeddata import linked_data_response
from loket.core.receipts import receipt_pdf
from loket.core.reopening import reason_page
from loket.core.security import as_download, stored_download
from loket.core.templatetags.listing import uuid_url_prefix
from loket.core.uploads import files_over_limit
from loket.forms.render import render_form
from loket.supervision import document_types, selectors, services
from loket.supervision import form as toezicht_form
from loket.supervision.access import sent_submission_for_agency_admin, submission_for_clerk, submission_for_supervisor
from loket.supervision.formdata import form_summary
from loket.supervision.integrity import (
    FileTampered,
    FormDataTampered,
    submission_content_problems,
    submission_file_check,
    submission_form_data_check,
)
from loket.supervision.models import DocumentType, Submission, SubmissionFile
from loket.supervision.receipts import receipt_page_context, submission_receipt
from loket.supervision.stored_data import unreadable_lines_of


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _document_types_for(organisation) -> list[DocumentType]:  # type: ignore[no-untyped-def]
    return document_types.decidable_types(organisation)


@role_required(Role.TOEZICHT)
def submission_list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    page = selectors.clerk_page(
        request.organisation,  # type: ignore[attr-defined]
        document_type=params.get("type", ""),
        status=params.get("status", ""),
        since=_date(params.get("van", "")),
        until=_date(params.get("tot", "")),
        by_sent=params.get("sorteer") == "verstuurd",
        cursor=params.get("na"),
    )
    query = params.copy()
    query.pop("na", None)
    return render(
        request,
        "supervision/submission_list.html",
        {
            "page": page,
            "edit": uuid_url_prefix("supervision:edit"),
            "types": _document_types_for(request.organisation),  # type: ignore[attr-defined]
            "statuses": Submission.Status.choices,
            "params": params,
            "query": query.urlencode(),
        },
    )


@role_required(Role.TOEZICHT)
def submission_new(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("zoek", "")[:200]
    error = ""
    if request.method == "POST":
        chosen = document_types.decidable_type(request.organisation, request.POST.get("document_type", ""))  # type: ignore[attr-defined]
        if chosen is None:
            error = _("Kies een type dossier uit de lijst.")
        else:
            submission = services.submission_create(
                organisation=request.organisation,  # type: ignore[attr-defined]
                document_type=chosen,
                actor=request.user,
            )
            return redirect("supervision:edit", submission=submission.uuid)
    types = _document_types_for(request.organisation)  # type: ignore[attr-defined]
    groups = document_types.grouped(types, query)
    return render(
        request,
        "supervision/submission_new.html",
        {
            "groups": groups,
            "query": query,
            "count": sum(len(g.types) for g in groups),
            "total": len(types),
            "error": error,
        },
        status=400 if error else 200,
    )


def _render_edit(request: HttpRequest, submission: Submission, outcome=None, status: int = 200, context=None):  # type: ignore[no-untyped-def]
    definition = toezicht_form.form_definition(submission.form_version)
    prefetch_related_objects([submission], "files")  # read twice: the form's data context and the uploads below
    context = context or (outcome.context if outcome else None) or services.submission_context(submission)
    node = services.submission_form_node(submission)
    html = render_form(definition, context, node, outcome.report if outcome else None)
    uploads = [f for f in submission.files.all() if f.kind == SubmissionFile.Kind.UPLOAD]
    return render(
        request,
        "supervision/submission_edit.html",
        {
            "submission": submission,
            "form_html": html,
            "outcome": outcome,
            "uploads": uploads,
            "waiting": scanwait.waiting_names(f.storage_name for f in uploads),
            "scan_notices": scanwait.notices_for(submission.uri),
        },
        status=status,
    )


def _damaged_message(lost: int) -> str:
    return ngettext(
        "Een deel van de bewaarde gegevens (%(count)s regel) kon niet gelezen worden en ontbreekt hieronder: "
        "vul aan en bewaar, of verwijder het concept.",
        "Een deel van de bewaarde gegevens (%(count)s regels) kon niet gelezen worden en ontbreekt hieronder: "
        "vul aan en bewaar, of verwijder het concept.",
        lost,
    ) % {"count": lost}


@role_required(Role.TOEZICHT)
def submission_edit(request: HttpRequest, submission) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = submission_for_clerk(request, submission)
    if found.is_sent:
        return render(request, "supervision/submission_detail.html", _detail_context(found))
    if request.method != "POST":
        prefetch_related_objects([found], "files")  # read once: the form's data context and the uploads
        context = services.submission_context(found)  # read first: the count of lost lines is remembered with it
        lost = unreadable_lines_of(found.source_ttl)
        if lost:
            messages.warning(request, _damaged_message(lost))
        return _render_edit(request, found, context=context)
    too_many = files_over_limit(request)
    try:
        outcome = services.submission_update(
            submission=found, actor=request.user, data=request.POST, files=None if too_many else request.FILES
        )
    except services.SubmissionNotSaved as error:
        messages.error(request, error.message)
        typed = services.submission_unsaved_context(submission=found, data=request.POST)
        return _render_edit(request, found, status=400, context=typed)
    except FileRejected as error:
        messages.error(request, error.message)
        return _render_edit(request, found, status=400)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("supervision:edit", submission=found.uuid)
    # `found` is what was stored: submission_update refreshed it before its transaction ended.
    if too_many:
        messages.error(
            request,
            _(
                "U koos %(count)s bestanden; per keer kunnen er maximaal %(limit)s mee. Geen enkel bestand is "
                "opgeladen; uw andere gegevens zijn bewaard. Voeg de bestanden toe in delen van ten hoogste "
                "%(limit)s."
            )
            % {"count": too_many, "limit": settings.LOKET_MAX_FILES_PER_POST},
        )
        return _render_edit(request, found, outcome, status=400)
    if outcome.refused_files:
        for refusal in outcome.refused_files:
            messages.error(request, refusal)
        messages.info(request, _("Uw andere gegevens zijn bewaard; het geweigerde bestand niet."))
        return _render_edit(request, found, outcome, status=400)
    if request.POST.get("__action") == "send" or "send" in request.POST:
        if not outcome.valid:
            messages.error(request, _("De inzending is niet verstuurd: verbeter de aangeduide velden."))
            return _render_edit(request, found, outcome, status=400)
        return redirect("supervision:confirm", submission=found.uuid)
    messages.success(request, _("Bewaard als concept."))
    return _render_edit(request, found, outcome)


def _fingerprint(submission: Submission) -> str:
    """What the clerk confirmed: the concept's data and files as they were on the confirmation page."""
    files = ",".join(sorted(f"{f.uuid}:{f.sha256}" for f in submission.files.all()))
    return hashlib.sha256(f"{submission.source_ttl}\n{files}".encode()).hexdigest()


@role_required(Role.TOEZICHT)
def submission_confirm(request: HttpRequest, submission) -> HttpResponse:  # type: ignore[no-untyped-def]
    """Before the irreversible sending: exactly what will be sent, and what of it becomes public."""
    found = submission_for_clerk(request, submission)
    if found.is_sent:  # sent meanwhile (another tab): what was sent, as on its own page
        return render(request, "supervision/submission_detail.html", _detail_context(found))
    status = 200
    if request.method == "POST":
        if request.POST.get("fingerprint") != _fingerprint(found):
            messages.error(request, _("De inzending is gewijzigd sinds u dit overzicht opende. Kijk ze opnieuw na."))
            status = 409
        else:
            try:
                services.submission_send(submission=found, actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)
                if SEND_CONFIRMATION_FIELD not in error.fields:
                    return redirect("supervision:edit", submission=found.uuid)
                status = 400  # simulating: the admin's confirmation is missing; this page asks for it
            else:
                messages.success(request, _("De inzending is verstuurd. U vindt het ontvangstbewijs hieronder."))
                return redirect("supervision:edit", submission=found.uuid)
    prefetch_related_objects([found], "files")  # the form's file names, the summary and the fingerprint
    context = services.submission_context(found)  # one for the verdict and the summary
    outcome = services.submission_validate(submission=found, context=context)
    if not outcome.valid:
        messages.error(request, _("De inzending is niet volledig: verbeter de aangeduide velden."))
        return redirect("supervision:edit", submission=found.uuid)
    return render(
        request,
        "supervision/submission_confirm.html",
        {"submission": found, "summary": form_summary(found, context=context), "fingerprint": _fingerprint(found)},
        status=status,
    )


@role_required(Role.TOEZICHT)
def submission_correct(request: HttpRequest, submission) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = submission_for_clerk(request, submission)
    if request.method != "POST":
        return render(request, "supervision/submission_correct.html", {"submission": found})
    try:
        correction = services.submission_correct(submission=found, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("supervision:edit", submission=found.uuid)
    messages.success(request, _("Een correctie is aangemaakt als concept. Vul aan en verstuur ze."))
    return redirect("supervision:edit", submission=correction.uuid)


@role_required(Role.TOEZICHT)
def submission_delete(request: HttpRequest, submission) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = submission_for_clerk(request, submission)
    if request.method == "POST":
        try:
            services.submission_delete(submission=found, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("supervision:edit", submission=found.uuid)
        messages.success(request, _("Het concept is verwijderd."))
        return redirect("supervision:list")
    return render(request, "supervision/submission_delete.html", {"submission": found})


def _detail_context(submission: Submission) -> dict:  # type: ignore[type-arg]
    prefetch_related_objects([submission], "files")  # the list, the summary and the integrity check read them
    return {
        "submission": submission,
        "files": list(submission.files.all()),
        "summary": form_summary(submission),
        "replaced_by": selectors.replacement_of(submission),
        "outcome": None,
        "integrity_problems": submission_content_problems(submission) if submission.is_sent else [],
    }


def _form_data_response(request: HttpRequest, submission: Submission) -> HttpResponse:
    """The sent form data as the N-Triples that were hashed (a download, not a page)."""
    if not submission.is_sent:
        raise Http404
    try:
        submission_form_data_check(submission=submission, actor=request.user)
    except FormDataTampered:
        return render(request, "supervision/file_refused.html", {"submission": submission, "file": None}, status=409)
    response = HttpResponse(submission.form_data_nt, content_type="application/n-triples; charset=utf-8")
    as_download(response, filename=f"formuliergegevens-{submission.uuid}.nt")
    return response


@role_required(Role.TOEZICHT)
def submission_form_data(request: HttpRequest, submission) -> HttpResponse:  # type: ignore[no-untyped-def]
    return _form_data_response(request, submission_for_clerk(request, submission))


def _file_response(request: HttpRequest, submission: Submission, file_key) -> HttpResponse | FileResponse:  # type: ignore[no-untyped-def]
    record = submission.files.filter(uuid=file_key).exclude(storage_name="").select_related("submission").first()
    if record is None:
        raise Http404
    try:
        submission_file_check(record=record, actor=request.user)
    except FileTampered:
        return render(request, "supervision/file_refused.html", {"submission": submission, "file": record}, status=409)
    return stored_download(
        record.storage_name,
        filename=record.original_name or record.storage_name.rsplit("/", 1)[-1],
        content_type=record.content_type or "application/octet-stream",
    )


@role_required(Role.TOEZICHT)
def submission_file(request: HttpRequest, submission, file) -> HttpResponse | FileResponse:  # type: ignore[no-untyped-def]
    return _file_response(request, submission_for_clerk(request, submission), file)


def _receipt_response(
    request: HttpRequest, submission: Submission, fmt: str, *, supervisor: bool = False
) -> HttpResponse:
    if not submission.is_sent or fmt not in {"json", "pdf", "html"}:
        raise Http404
    receipt = submission_receipt(submission)
    if fmt == "html":
        return render(request, "supervision/receipt.html", receipt_page_context(submission, receipt, supervisor))
    if fmt == "json":
        response: HttpResponse = JsonResponse(receipt, json_dumps_params={"ensure_ascii": False, "indent": 2})
        as_download(response, filename=f"ontvangstbewijs-{submission.uuid}.json")
        return response
    pdf = receipt_pdf(receipt)
    response = HttpResponse(pdf, content_type="application/pdf")
    as_download(response, filename=f"ontvangstbewijs-{submission.uuid}.pdf")
    return response


@role_required(Role.TOEZICHT)
def submission_receipt_view(request: HttpRequest, submission, fmt: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    return _receipt_response(request, submission_for_clerk(request, submission), fmt)


# The supervisor ---------------------------------------------------------------------------------------------


def _inbox_filter(request: HttpRequest) -> selectors.InboxFilter:
    params = request.GET
    return selectors.InboxFilter(
        organisation=params.get("bestuur", ""),
        kind=params.get("soort", ""),
        province=params.get("provincie", ""),
        document_type=params.get("type", ""),
        governing_body=params.get("orgaan", ""),
        session_from=_date(params.get("zitting_van", "")),
        session_until=_date(params.get("zitting_tot", "")),
        sent_from=_date(params.get("verstuurd_van", "")),
        sent_until=_date(params.get("verstuurd_tot", "")),
        handled=params.get("behandeld", ""),
        search=params.get("zoek", ""),
    )


@role_required(Role.SUPERVISOR)
def inbox(request: HttpRequest) -> HttpResponse:
    page = selectors.inbox_page(request.organisation, _inbox_filter(request), cursor=request.GET.get("na"))  # type: ignore[attr-defined, arg-type]
    query = request.GET.copy()
    query.pop("na", None)
    from loket.organisations.models import OrganisationKind

    return render(
        request,
        "supervision/inbox.html",
        {
            "page": page,
            "detail": uuid_url_prefix("supervision:inbox-detail"),
            "params": request.GET,
            "query": query.urlencode(),
            # Only what the filter's options show: model instances of the 97 types cost 0.6 ms more.
            "types": DocumentType.objects.values("uri", "label"),
            "kinds": OrganisationKind.objects.values("uri", "label"),
            "provinces": ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"],
        },
    )


@role_required(Role.SUPERVISOR)
def inbox_export(request: HttpRequest) -> StreamingHttpResponse:
    queryset = selectors.inbox_filtered(selectors.inbox_for(request.organisation), _inbox_filter(request))  # type: ignore[attr-defined, arg-type]
    return csv_response(selectors.inbox_csv_rows(queryset), filename="inzendingen.csv")


@role_required(Role.SUPERVISOR)
def inbox_detail(request: HttpRequest, submission) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = submission_for_supervisor(request, submission)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "undo":
                services.submission_unmark_handled(
                    submission=found, actor=request.user, handled_at=parse_datetime(request.POST.get("handled_at", ""))
                )
                messages.success(request, _("De markering als behandeld is ongedaan gemaakt."))
            else:
                services.submission_mark_handled(
                    submission=found, actor=request.user, note=request.POST.get("note", "")
                )
                messages.success(request, _("Gemarkeerd als behandeld."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("supervision:inbox-detail", submission=found.uuid)
    return render(request, "supervision/inbox_detail.html", _detail_context(found))


@staff_required
@recent_sign_in_required
def submission_reopen(request: HttpRequest, submission) -> HttpResponse:  # type: ignore[no-untyped-def]
    """The agency reopens a sent submission with a reason (services.submission_reopen): a correction opens."""
    found = sent_submission_for_agency_admin(request, submission)
    return reason_page(
        request,
        act=lambda reason: services.submission_reopen(submission=found, actor=request.user, reason=reason),
        done_message=_(
            "De inzending is heropend: de correctie staat als concept klaar voor %(org)s, dat een e-mail krijgt."
        )
        % {"org": found.organisation.display_name},
        done_url=reverse("supervision:reopen", args=[found.uuid]),
        template="supervision/submission_reopen.html",
        context={"submission": found, "replacement": selectors.replacement_of(found)},
    )


@role_required(Role.SUPERVISOR)
def inbox_form_data(request: HttpRequest, submission) -> HttpResponse:  # type: ignore[no-untyped-def]
    return _form_data_response(request, submission_for_supervisor(request, submission))


@role_required(Role.SUPERVISOR)
def inbox_file(request: HttpRequest, submission, file) -> HttpResponse | FileResponse:  # type: ignore[no-untyped-def]
    return _file_response(request, submission_for_supervisor(request, submission), file)


@role_required(Role.SUPERVISOR)
def inbox_receipt(request: HttpRequest, submission, fmt: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    return _receipt_response(request, submission_for_supervisor(request, submission), fmt, supervisor=True)


# Open data ----------------------------------------------------------------------------------------------------


@public
def submission_resource(request: HttpRequest, submission) -> HttpResponse:  # type: ignore[no-untyped-def]
    """A sent submission's URI dereferenced; only what the Loket makes public (never worship, never concepts)."""
    found = (
        Submission.objects.select_related("organisation", "document_type", "sent_entry")
        .filter(uuid=submission, status=Submission.Status.SENT, is_public=True)
        .first()
    )
    if found is None:
        raise Http404
    context = {"submission": found, "integrity_problems": submission_content_problems(found)}
    return linked_data_response(
        request, instance=found, template="supervision/submission_resource.html", context=context
    )
