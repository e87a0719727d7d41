"""Writes for Mandatenbeheer: holder versions (create, Wijziging, Correctie, replacement, delete), publication
status and fracties. Every function checks the rules of `rules.py`, locks what it changes and audits in the same
transaction."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError, PermissionDeniedError
from loket.mandates.codes import NOT_RATIFIABLE_ORGANS, Publication, Status, policy_domains
from loket.mandates.models import Fractie, Holder, Mandate, OrganTerm
from loket.mandates.rules import holder_verdict, overlaps
from loket.organisations.models import Organisation
from loket.persons.models import Person
from loket.persons.services import person_claim


@dataclass
class HolderValues:
    """What a clerk fills in for a holder version."""

    start: date | None
    end: date | None = None
    status: str = Status.EFFECTIVE
    rangorde: str = ""
    policy_domains: list[str] = field(default_factory=list)
    fractie: Fractie | None = None


def _refuse(verdict: Any) -> None:
    if verdict.errors:
        first = next(iter(verdict.errors.values()))
        raise DomainError(first, code="invalid", fields=dict(verdict.errors))


def _check_fractie(fractie: Fractie | None, mandate: Mandate) -> None:
    if fractie is not None and fractie.organisation_id != mandate.term.organ.organisation_id:
        raise DomainError(_("Deze fractie hoort niet bij dit bestuur."), code="invalid", fields={"fractie": "x"})


def _policy_domains(values: HolderValues) -> list[str]:
    """The holder's policy domains as URIs of the code list (each once, in the list's order); anything else refused."""
    known = policy_domains()
    unknown = [domain for domain in values.policy_domains if domain not in known]
    if unknown:
        message = _("Onbekend beleidsdomein: %(domain)s. Kies uit de lijst van beleidsdomeinen.") % {
            "domain": unknown[0]
        }
        raise DomainError(message, code="invalid", fields={"policy_domains": message})
    chosen = set(values.policy_domains)
    return [uri for uri in known if uri in chosen]


def _audit(action: str, holder: Holder, actor: Any, **details: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        organisation=holder.mandate.term.organ.organisation,
        holder=str(holder.uuid),
        person=str(holder.person),
        mandate=str(holder.mandate),
        **details,
    )


def _locked(holder: Holder) -> Holder:
    locked = (
        Holder.objects.select_for_update()
        .select_related("mandate__term__organ__organisation", "person")
        .get(pk=holder.pk)
    )
    if locked.is_deleted:
        raise ConflictError(_("Deze mandataris is verwijderd."))
    return locked


@transaction.atomic
def holder_create(
    *,
    mandate: Mandate,
    person: Person,
    values: HolderValues,
    actor: Any,
    publication: str = Publication.NOT_RATIFIED,
    decision_link: str = "",
) -> tuple[Holder, list[str]]:
    """A new holder version (Niet bekrachtigd, or Draft for rows prepared for the installation meeting)."""
    _check_fractie(values.fractie, mandate)
    domains = _policy_domains(values)
    verdict = holder_verdict(
        mandate=mandate,
        person_id=person.pk,
        start=values.start,
        end=values.end,
        status=values.status,
        rangorde=values.rangorde,
        fractie=values.fractie,
    )
    _refuse(verdict)
    assert values.start is not None  # holder_verdict gave an error for a missing start, which _refuse raised
    person_claim(person=person)
    holder = Holder.objects.create(
        mandate=mandate,
        person=person,
        start=values.start,
        end=values.end,
        status=values.status,
        rangorde=values.rangorde.strip(),
        policy_domains=domains,
        fractie=values.fractie,
        publication=publication,
        decision_link=decision_link,
    )
    _audit("mandate_holder.created", holder, actor)
    return holder, verdict.warnings


@transaction.atomic
def holder_change(*, holder: Holder, at: date, values: HolderValues, actor: Any) -> tuple[Holder, list[str]]:
    """Wijziging: the version ends at `at` and a new one (Niet bekrachtigd) starts there with the new values."""
    old = _locked(holder)
    if hasattr(old, "next_version"):
        raise ConflictError(_("Deze versie is al opgevolgd door een nieuwere; wijzig de laatste versie."))
    if not (old.start < at and (old.end is None or at < old.end)):
        raise DomainError(
            _("De datum van de wijziging moet na het begin en voor het einde van deze versie liggen."),
            code="invalid",
            fields={"at": "x"},
        )
    _check_fractie(values.fractie, old.mandate)
    if (
        values.fractie is not None
        and old.fractie is not None
        and values.fractie != old.fractie
        and Fractie.Kind.INDEPENDENT not in (values.fractie.kind, old.fractie.kind)
    ):
        raise DomainError(
            _("Naar een andere fractie overstappen kan alleen als correctie."), code="invalid", fields={"fractie": "x"}
        )
    end = values.end if values.end is not None else old.end
    domains = _policy_domains(values)
    verdict = holder_verdict(
        mandate=old.mandate,
        person_id=old.person_id,
        start=at,
        end=end,
        status=values.status,
        rangorde=values.rangorde,
        fractie=values.fractie,
        other_than=[old.pk],
    )
    _refuse(verdict)
    old.end = at
    old.save(update_fields=["end", "modified_at"])
    new = Holder.objects.create(
        mandate=old.mandate,
        person=old.person,
        start=at,
        end=end,
        status=values.status,
        rangorde=values.rangorde.strip(),
        policy_domains=domains,
        fractie=values.fractie,
        publication=Publication.NOT_RATIFIED,
        previous=old,
    )
    _audit("mandate_holder.changed", new, actor, at=at.isoformat())
    return new, verdict.warnings


@transaction.atomic
def holder_correct(*, holder: Holder, values: HolderValues, actor: Any) -> tuple[Holder, list[str]]:
    """Correctie: the version is edited in place (never a Bekrachtigd one)."""
    locked = _locked(holder)
    if locked.publication == Publication.RATIFIED:
        raise PermissionDeniedError(
            _(
                "Een bekrachtigde mandataris kan niet meer verbeterd worden; vraag het agentschap om de bekrachtiging "
                "ongedaan te maken."
            )
        )
    _check_fractie(values.fractie, locked.mandate)
    domains = _policy_domains(values)
    verdict = holder_verdict(
        mandate=locked.mandate,
        person_id=locked.person_id,
        start=values.start,
        end=values.end,
        status=values.status,
        rangorde=values.rangorde,
        fractie=values.fractie,
        other_than=[locked.pk],
    )
    _refuse(verdict)
    assert values.start is not None  # holder_verdict gave an error for a missing start, which _refuse raised
    fields = ("start", "end", "status", "rangorde", "fractie", "policy_domains")
    before = {name: str(getattr(locked, name)) for name in fields}
    locked.start, locked.end, locked.status = values.start, values.end, values.status
    locked.rangorde, locked.policy_domains, locked.fractie = (
        values.rangorde.strip(),
        domains,
        values.fractie,
    )
    locked.save()
    changed = [name for name, value in before.items() if str(getattr(locked, name)) != value]
    _audit("mandate_holder.corrected", locked, actor, fields=changed)
    return locked, verdict.warnings


@transaction.atomic
def holder_replace(*, holder: Holder, person: Person, start: date, actor: Any) -> Holder:
    """A Verhinderd holder's replacement: a Waarnemend holder of the same mandate (Niet bekrachtigd, the same
    policy domains, no rangorde), linked by `isTijdelijkVervangenDoor`."""
    locked = _locked(holder)
    if locked.status != Status.PREVENTED:
        raise DomainError(_("Alleen een verhinderde mandataris wordt vervangen."))
    if person.pk == locked.person_id:
        raise DomainError(_("De vervanger moet een andere persoon zijn."), code="invalid", fields={"person": "x"})
    if start < locked.start:
        raise DomainError(
            _("De vervanging begint op of na het begin van de verhindering."), code="invalid", fields={"start": "x"}
        )
    replacement, _warnings = holder_create(
        mandate=locked.mandate,
        person=person,
        values=HolderValues(
            start=start,
            end=locked.end,
            status=Status.ACTING,
            policy_domains=locked.policy_domains,
            fractie=locked.fractie,
        ),
        actor=actor,
    )
    locked.replaced_by = replacement
    locked.save(update_fields=["replaced_by", "modified_at"])
    _audit("mandate_holder.replaced", locked, actor, replacement=str(replacement.person))
    return replacement


@transaction.atomic
def holder_delete(*, holder: Holder, actor: Any) -> None:
    """Only a Draft or Niet bekrachtigd version can be deleted; it stays as a tombstone (never published)."""
    locked = _locked(holder)
    if locked.publication == Publication.RATIFIED:
        raise PermissionDeniedError(_("Een bekrachtigde mandataris kan niet verwijderd worden."))
    locked.deleted_at = timezone.now()
    locked.save(update_fields=["deleted_at", "modified_at"])
    _audit("mandate_holder.deleted", locked, actor)


def _is_http_link(value: str) -> bool:
    return value.startswith(("http://", "https://")) and len(value) > len("https://") and " " not in value


@transaction.atomic
def holder_set_publication(
    *,
    holder: Holder,
    publication: str,
    actor: Any,
    decision_link: str = "",
    reason: str = "",
    as_agency: bool = False,
) -> Holder:
    """Draft → Niet bekrachtigd → Bekrachtigd (with an http(s) link to the ratifying decision). Bekrachtigd is final
    for clerks; agency staff may undo it with a reason. For RMW and Vast Bureau, Niet bekrachtigd is final."""
    locked = _locked(holder)
    if publication not in Publication.values:
        raise DomainError(_("Onbekende publicatiestatus."))
    current = locked.publication
    if current == publication:
        return locked
    if current == Publication.RATIFIED:
        if not as_agency:
            raise PermissionDeniedError(_("Bekrachtigd is definitief; alleen het agentschap kan dit ongedaan maken."))
        if not reason.strip():
            raise DomainError(_("Geef een reden om de bekrachtiging ongedaan te maken."), fields={"reason": "x"})
        locked.publication, locked.ratified_by_uri = publication, ""
        locked.save(update_fields=["publication", "ratified_by_uri", "modified_at"])
        _audit("mandate_holder.unratified", locked, actor, reason=reason.strip())
        return locked
    if publication == Publication.DRAFT:
        raise DomainError(_("Een mandataris kan niet terug naar Draft."))
    organ_kind = locked.mandate.term.organ.kind
    if publication == Publication.RATIFIED:
        if organ_kind in NOT_RATIFIABLE_ORGANS:
            raise DomainError(
                _("Voor de Raad voor Maatschappelijk Welzijn en het Vast Bureau is Niet bekrachtigd definitief.")
            )
        link = decision_link.strip()
        if not _is_http_link(link):
            raise DomainError(
                _("Bekrachtigen vraagt een link (http of https) naar het besluit."), fields={"decision_link": "x"}
            )
        locked.decision_link = link
    locked.publication = publication
    locked.save(update_fields=["publication", "decision_link", "modified_at"])
    _audit("mandate_holder.publication", locked, actor, publication=publication)
    return locked


@transaction.atomic
def term_publish_drafts(*, term: OrganTerm, actor: Any) -> int:
    """The organ's prepared (Draft) rows of this period become Niet bekrachtigd, so public: what the clerk does once
    the installation meeting appointed them (LMB: "Behandeld"). Returns how many."""
    drafts = list(
        Holder.objects.select_for_update()
        .filter(mandate__term=term, publication=Publication.DRAFT, deleted_at__isnull=True)
        .values_list("pk", flat=True)
    )
    Holder.objects.filter(pk__in=drafts).update(publication=Publication.NOT_RATIFIED, modified_at=timezone.now())
    if drafts:
        audit_record(
            action="mandate_term.drafts_published",
            actor=actor,
            organisation=term.organ.organisation,
            organ=str(term),
            count=len(drafts),
        )
    return len(drafts)


@transaction.atomic
def holder_ratify_from_decision(*, holder_uuid: str, decision_uri: str) -> bool:
    """A decision sent through Toezicht or the vendor API says `mandaat:bekrachtigtAanstellingVan` this holder: a
    Draft or Niet bekrachtigd version becomes Bekrachtigd (not for RMW and Vast Bureau). False when nothing changed."""
    holder = (
        Holder.objects.select_for_update()
        .select_related("mandate__term__organ__organisation", "person")
        .filter(uuid=holder_uuid, deleted_at__isnull=True)
        .first()
    )
    if holder is None or holder.publication == Publication.RATIFIED:
        return False
    if holder.mandate.term.organ.kind in NOT_RATIFIABLE_ORGANS:
        return False
    holder.publication, holder.ratified_by_uri = Publication.RATIFIED, decision_uri
    holder.save(update_fields=["publication", "ratified_by_uri", "modified_at"])
    _audit("mandate_holder.ratified_by_decision", holder, None, decision=decision_uri)
    return True


# --- fracties ------------------------------------------------------------------------------------------------------


@transaction.atomic
def fractie_create(*, organisation: Organisation, name: str, actor: Any) -> Fractie:
    name = name.strip()
    if not name:
        raise DomainError(_("Geef de fractie een naam."), fields={"name": "x"})
    if Fractie.objects.filter(organisation=organisation, name__iexact=name, end__isnull=True).exists():
        raise ConflictError(_("Er bestaat al een fractie met deze naam."), fields={"name": "x"})
    fractie = Fractie.objects.create(organisation=organisation, name=name, kind=Fractie.Kind.COALITION)
    audit_record(action="mandate_fractie.created", actor=actor, organisation=organisation, name=name)
    return fractie


@transaction.atomic
def fractie_independent_for(*, organisation: Organisation, person: Person) -> Fractie:
    """The person's own Onafhankelijk fractie in this unit (one per person)."""
    person_claim(person=person)
    fractie, _created = Fractie.objects.get_or_create(
        organisation=organisation,
        person=person,
        kind=Fractie.Kind.INDEPENDENT,
        defaults={"name": _("Onafhankelijk")},
    )
    return fractie


@transaction.atomic
def fractie_rename(*, fractie: Fractie, name: str, at: date, actor: Any) -> Fractie:
    """A new name from `at` on: the fractie ends there and a replacement starts; holders spanning `at` are split
    there (the new part Niet bekrachtigd), later ones move to the replacement."""
    old = Fractie.objects.select_for_update().get(pk=fractie.pk)
    if old.end is not None:
        raise ConflictError(_("Deze fractie is al beëindigd of vervangen."))
    if not name.strip():
        raise DomainError(_("Geef de fractie een naam."), fields={"name": "x"})
    new = Fractie.objects.create(
        organisation=old.organisation, name=name.strip(), kind=old.kind, person=old.person, start=at, replaces=old
    )
    old.end = at
    old.save(update_fields=["end"])
    for holder in Holder.objects.filter(fractie=old, deleted_at__isnull=True, next_version__isnull=True):
        if holder.start >= at:
            holder.fractie = new
            holder.save(update_fields=["fractie", "modified_at"])
        elif overlaps(holder.start, holder.end, at, None) and (holder.end is None or at < holder.end):
            values = HolderValues(
                start=at,
                end=holder.end,
                status=holder.status,
                rangorde=holder.rangorde,
                policy_domains=holder.policy_domains,
                fractie=new,
            )
            _split_for_fractie(holder, at, values, actor)
    audit_record(
        action="mandate_fractie.renamed",
        actor=actor,
        organisation=old.organisation,
        name=old.name,
        new_name=new.name,
        at=at.isoformat(),
    )
    return new


def _split_for_fractie(holder: Holder, at: date, values: HolderValues, actor: Any) -> None:
    old = _locked(holder)
    old.end = at
    old.save(update_fields=["end", "modified_at"])
    new = Holder.objects.create(
        mandate=old.mandate,
        person=old.person,
        start=at,
        end=values.end,
        status=values.status,
        rangorde=values.rangorde,
        policy_domains=list(values.policy_domains),
        fractie=values.fractie,
        publication=Publication.NOT_RATIFIED,
        previous=old,
    )
    _audit("mandate_holder.changed", new, actor, at=at.isoformat())
