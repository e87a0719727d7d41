"""Mandatenbeheer pages: organs per period, the holders of an organ, a holder with its history and the choice
Wijziging or Correctie, replacement of a Verhinderd holder, publication status, deletion."""

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.accounts.roles import Role
from loket.core.access import role_required
from loket.core.errors import DomainError
from loket.core.files import FileRejected
from loket.mandates.access import holder_for_user, term_for_user
from loket.mandates.codes import CURRENT_PERIOD, NOT_RATIFIABLE_ORGANS, PERIODS, Publication
from loket.mandates.forms import EditForm, HolderForm, PersonForm
from loket.mandates.models import Holder
from loket.mandates.selectors import holder_history, holders_of, terms_of
from loket.mandates.services import (
    HolderValues,
    holder_change,
    holder_correct,
    holder_create,
    holder_delete,
    holder_replace,
    holder_set_publication,
    term_publish_drafts,
)
from loket.persons.models import Person
from loket.persons.search import person_search
from loket.persons.selectors import person_by_uuid
from loket.persons.services import person_create


def _values(data: dict) -> HolderValues:  # type: ignore[type-arg]
    return HolderValues(
        start=data.get("start"),
        end=data.get("end"),
        status=data.get("status") or "",
        rangorde=data.get("rangorde") or "",
        policy_domains=list(data.get("policy_domains") or []),
        fractie=data.get("fractie"),
    )


def _fail(form, error: DomainError) -> None:  # type: ignore[no-untyped-def]
    form.add_error(None, str(error.message))
    for name, message in error.fields.items():
        if name in form.fields and message != "x":
            form.add_error(name, str(message))


@role_required(Role.MANDATEN)
def organ_list(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("periode") or CURRENT_PERIOD
    if period not in {p.key for p in PERIODS}:
        period = CURRENT_PERIOD
    terms = terms_of(organisation=request.organisation, period=period)  # type: ignore[attr-defined]
    return render(request, "mandates/organ_list.html", {"terms": terms, "periods": PERIODS, "period": period})


@role_required(Role.MANDATEN)
def holder_list(request: HttpRequest, term) -> HttpResponse:  # type: ignore[no-untyped-def]
    term = term_for_user(request, term)
    holders = list(holders_of(term=term))
    drafts = sum(1 for holder in holders if holder.publication == Publication.DRAFT)
    return render(request, "mandates/holder_list.html", {"term": term, "holders": holders, "drafts": drafts})


def _person_for(request: HttpRequest, person_form: PersonForm) -> Person | None:
    chosen = request.POST.get("person")
    if chosen:
        return person_by_uuid(chosen)
    data = person_form.cleaned_data
    if not (data.get("given_names") or data.get("family_name") or data.get("national_number")):
        return None
    return person_create(
        actor=request.user,
        given_names=data["given_names"],
        family_name=data["family_name"],
        national_number=data["national_number"],
    )


@role_required(Role.MANDATEN)
def holder_new(request: HttpRequest, term) -> HttpResponse:  # type: ignore[no-untyped-def]
    term = term_for_user(request, term)
    search = person_search(request)
    posted = request.method == "POST" and not search.submitted
    form = HolderForm(request.POST if posted else None, term=term)
    person_form = PersonForm(request.POST if posted else None)
    status = 200
    if posted:
        if form.is_valid() and person_form.is_valid():
            try:
                with transaction.atomic():
                    person = _person_for(request, person_form)
                    if person is None:
                        raise DomainError(_("Kies een persoon of vul de gegevens van een nieuwe persoon in."))
                    mandate = form.cleaned_data["mandate"]
                    if mandate is None:
                        raise DomainError(_("Kies een mandaat."), fields={"mandate": _("Kies een mandaat.")})
                    holder, warnings = holder_create(
                        mandate=mandate, person=person, values=_values(form.cleaned_data), actor=request.user
                    )
                for warning in warnings:
                    messages.warning(request, warning)
                messages.success(request, _("Mandataris toegevoegd."))
                return redirect("mandates:holder", holder=holder.uuid)
            except DomainError as error:
                _fail(form, error)
                for name, message in error.fields.items():
                    if name == "national_number":
                        person_form.add_error("national_number", str(message))
        status = 400
    context = {"term": term, "form": form, "person_form": person_form, "search": search}
    return render(request, "mandates/holder_new.html", context, status=search.status or status)


def _initial(holder: Holder) -> dict:  # type: ignore[type-arg]
    return {
        "mandate": holder.mandate,
        "start": holder.start,
        "end": holder.end,
        "status": holder.status,
        "rangorde": holder.rangorde,
        "fractie": holder.fractie,
        "policy_domains": holder.policy_domains,
    }


def _mirror_offer(holder: Holder):  # type: ignore[no-untyped-def]
    from loket.mandates.mirroring import mirror_target

    target = mirror_target(holder)
    if target is None or Holder.objects.filter(mandate=target, person=holder.person, deleted_at__isnull=True).exists():
        return None
    return target


@role_required(Role.MANDATEN)
def holder_detail(request: HttpRequest, holder) -> HttpResponse:  # type: ignore[no-untyped-def]
    holder = holder_for_user(request, holder)
    term = holder.mandate.term
    form = EditForm(request.POST or None, term=term, initial=_initial(holder))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = _values(form.cleaned_data)
            try:
                if form.cleaned_data["kind"] == "wijziging":
                    at = form.cleaned_data.get("at")
                    if at is None:
                        raise DomainError(_("Vul de datum van de wijziging in."), fields={"at": _("Verplicht.")})
                    result, warnings = holder_change(holder=holder, at=at, values=values, actor=request.user)
                    messages.success(
                        request,
                        _("Wijziging bewaard: een nieuwe versie begint op %(at)s.") % {"at": at.strftime("%d-%m-%Y")},
                    )
                else:
                    result, warnings = holder_correct(holder=holder, values=values, actor=request.user)
                    messages.success(request, _("Correctie bewaard."))
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect("mandates:holder", holder=result.uuid)
            except DomainError as error:
                _fail(form, error)
        status = 400
    context = {
        "holder": holder,
        "term": term,
        "form": form,
        "history": holder_history(holder=holder),
        "is_latest": not hasattr(holder, "next_version"),
        "can_delete": holder.publication != Publication.RATIFIED,
        "can_ratify": holder.publication != Publication.RATIFIED and term.organ.kind not in NOT_RATIFIABLE_ORGANS,
        "publications": Publication,
        "mirror": _mirror_offer(holder),
    }
    return render(request, "mandates/holder_detail.html", context, status=status)


@role_required(Role.MANDATEN)
@require_POST
def holder_remove(request: HttpRequest, holder) -> HttpResponse:  # type: ignore[no-untyped-def]
    holder = holder_for_user(request, holder)
    try:
        holder_delete(holder=holder, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("mandates:holder", holder=holder.uuid)
    messages.success(request, _("Mandataris verwijderd."))
    return redirect("mandates:holders", term=holder.mandate.term.uuid)


@role_required(Role.MANDATEN)
@require_POST
def term_drafts_publish(request: HttpRequest, term) -> HttpResponse:  # type: ignore[no-untyped-def]
    term = term_for_user(request, term)
    count = term_publish_drafts(term=term, actor=request.user)
    messages.success(request, _("%(count)s Draft-mandataris(sen) nu Niet bekrachtigd.") % {"count": count})
    return redirect("mandates:holders", term=term.uuid)


@role_required(Role.MANDATEN)
@require_POST
def holder_publication(request: HttpRequest, holder) -> HttpResponse:  # type: ignore[no-untyped-def]
    holder = holder_for_user(request, holder)
    try:
        holder_set_publication(
            holder=holder,
            publication=request.POST.get("publication", ""),
            decision_link=request.POST.get("decision_link", ""),
            actor=request.user,
        )
        messages.success(request, _("Publicatiestatus bewaard."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("mandates:holder", holder=holder.uuid)


@role_required(Role.MANDATEN)
def holder_replacement(request: HttpRequest, holder) -> HttpResponse:  # type: ignore[no-untyped-def]
    holder = holder_for_user(request, holder)
    search = person_search(request)
    error_message = ""
    if request.method == "POST" and not search.submitted:
        person = person_by_uuid(request.POST.get("person", ""))
        try:
            start = date.fromisoformat(request.POST.get("start", ""))
        except ValueError:
            start = None
        try:
            if person is None or start is None:
                raise DomainError(_("Kies de vervanger en de begindatum."))
            replacement = holder_replace(holder=holder, person=person, start=start, actor=request.user)
            messages.success(request, _("Vervanger toegevoegd."))
            return redirect("mandates:holder", holder=replacement.uuid)
        except DomainError as error:
            error_message = str(error.message)
    context = {"holder": holder, "search": search, "error": error_message, "today": timezone.localdate()}
    status = search.status or (400 if error_message else 200)
    return render(request, "mandates/holder_replace.html", context, status=status)


@role_required(Role.MANDATEN)
def validation_report(request: HttpRequest) -> HttpResponse:
    """The validation report of the unit plus its OCMW for a period, computed on demand."""
    from loket.mandates.validation import ocmw_of, report_for

    period = request.GET.get("periode") or CURRENT_PERIOD
    if period not in {p.key for p in PERIODS}:
        period = CURRENT_PERIOD
    unit = request.organisation  # type: ignore[attr-defined]
    open_findings, silenced = report_for(unit=unit, period=period)
    context = {
        "findings": open_findings,
        "silenced": silenced,
        "periods": PERIODS,
        "period": period,
        "ocmw": ocmw_of(unit),
    }
    return render(request, "mandates/validation.html", context)


@role_required(Role.MANDATEN)
@require_POST
def validation_silence(request: HttpRequest) -> HttpResponse:
    import uuid as uuid_module

    from loket.mandates.validation import finding_silence

    try:
        subject = uuid_module.UUID(request.POST.get("subject", ""))
        rule = request.POST.get("rule", "")
        if not rule or len(rule) > 8:
            raise ValueError
    except ValueError:
        messages.error(request, _("Onbekend validatieresultaat."))
        return redirect("mandates:validation")
    try:
        finding_silence(
            unit=request.organisation,  # type: ignore[attr-defined]
            rule=rule,
            subject=subject,  # type: ignore[attr-defined]
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
        messages.success(request, _("Resultaat stilgezet."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("mandates:validation")


MAX_IMPORT_BYTES = 2 * 1024 * 1024


@role_required(Role.MANDATEN)
def holder_import(request: HttpRequest) -> HttpResponse:
    """Import a legislature's holders from a CSV file with LMB's columns (all or nothing)."""
    from loket.mandates.importer import holders_import

    period = request.POST.get("periode") or request.GET.get("periode") or CURRENT_PERIOD
    if period not in {p.key for p in PERIODS}:
        period = CURRENT_PERIOD
    report, error, status = None, "", 200
    if request.method == "POST":
        upload = request.FILES.get("bestand")
        if upload is None or (upload.size is not None and upload.size > MAX_IMPORT_BYTES):
            error = _("Kies een CSV-bestand van hoogstens 2 MB.")
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except FileRejected as refused:  # refused while it arrived (core.uploads): an empty file
                text, error = "", refused.message_nl
            except UnicodeDecodeError:
                text, error = "", _("Het bestand is geen tekst in UTF-8.")
            if not error:
                report = holders_import(
                    organisation=request.organisation,  # type: ignore[attr-defined]
                    period=period,
                    text=text,
                    actor=request.user,
                )
        status = 400 if error or (report and report.errors) else 200
    context = {"periods": PERIODS, "period": period, "report": report, "error": error}
    return render(request, "mandates/import.html", context, status=status)


@role_required(Role.MANDATEN)
def import_template(request: HttpRequest) -> StreamingHttpResponse:
    from loket.core.csvexport import csv_response
    from loket.mandates.importer import TEMPLATE

    return csv_response([line.split(";") for line in TEMPLATE.splitlines()], filename="mandatarissen-sjabloon.csv")


@role_required(Role.MANDATEN)
def fractie_list(request: HttpRequest) -> HttpResponse:
    """The unit's fracties: create a Samenwerkingsverband, or rename one from a date (a replacement)."""
    from loket.mandates.models import Fractie
    from loket.mandates.services import fractie_create, fractie_rename

    unit = request.organisation  # type: ignore[attr-defined]
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "rename":
                key = _uuid_or_none(request.POST.get("fractie"))
                fractie = Fractie.objects.filter(organisation=unit, uuid=key).first() if key else None
                try:
                    at = date.fromisoformat(request.POST.get("at", ""))
                except ValueError:
                    raise DomainError(_("Vul de datum van de nieuwe naam in.")) from None
                if fractie is None:
                    raise DomainError(_("Kies een fractie."))
                fractie_rename(fractie=fractie, name=request.POST.get("name", ""), at=at, actor=request.user)
                messages.success(request, _("Fractie hernoemd."))
            else:
                fractie_create(organisation=unit, name=request.POST.get("name", ""), actor=request.user)
                messages.success(request, _("Fractie aangemaakt."))
            return redirect("mandates:fracties")
        except DomainError as exc:
            error, status = str(exc.message), 400
    fracties = Fractie.objects.filter(organisation=unit, kind=Fractie.Kind.COALITION).select_related("replaces")
    return render(
        request,
        "mandates/fracties.html",
        {"fracties": fracties.order_by("name", "start"), "error": error},
        status=status,
    )


def _uuid_or_none(value: str | None) -> str | None:
    import uuid as uuid_module

    try:
        return str(uuid_module.UUID(value or ""))
    except ValueError:
        return None


@role_required(Role.MANDATEN)
@require_POST
def holder_mirror_view(request: HttpRequest, holder) -> HttpResponse:  # type: ignore[no-untyped-def]
    from loket.mandates.mirroring import holder_mirror

    holder = holder_for_user(request, holder)
    try:
        holder_mirror(holder=holder, actor=request.user)
        messages.success(request, _("Ook in het OCMW toegevoegd."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("mandates:holder", holder=holder.uuid)
