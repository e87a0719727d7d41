"""The validation report of LMB (reference §3.3, `config/reports/` of app-lokaal-mandatenbeheer), for one unit
plus its OCMW and one period, over the stored versions (Draft included, tombstones not). Each finding names the
rule, the holder (or mandate) and a sentence; silenced findings (with a reason) are listed apart.

Rules: 1.1 no status · 1.2 start or end outside the organ's period (end up to 31-12-2030 when the period is open) ·
1.3 on an edge date the distinct Effectief/Waarnemend persons on a mandate are more than its seats or fewer (Lid Vast
Bureau: seats − 1) · 1.4.8 not exactly one person, mandate, start, status, publication status · 1.9 Gemeenteraad,
College or Burgemeester without fractie · 1.10 beleidsdomein outside Burgemeester, College, Deputatie · 1.11
Gemeenteraadslid without Lid RMW · 1.12 Voorzitter GR without Voorzitter RMW · 1.13 College member without a Vast
Bureau mandate · 1.14 (aangewezen) burgemeester not Voorzitter VB (1.11-1.14 same person; faciliteitengemeenten
exempt) · 1.15 Voorzitter BCSD neither in RMW nor in VB · 1.16 Verhinderd without a Waarnemend replacement of another
person on that mandate starting on or after it · 1.18 Bekrachtigd without decision link or ratifying decision · 1.19
Schepen, Toegevoegde schepen, Gemeenteraadslid without rangorde · 2.1 role outside the mandate-role schemes · 2.3
same person, same mandate, overlapping dates.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import DomainError
from loket.mandates.codes import (
    FRACTIE_REQUIRED,
    OPEN_PERIOD_END,
    POLICY_DOMAIN_ORGANS,
    RANGORDE_REQUIRED,
    UNIT_MUNICIPALITY,
    UNIT_OCMW,
    OrganKind,
    Publication,
    RoleCode,
    Status,
)
from loket.mandates.models import Holder, Mandate, ValidationReport, ValidationSilence
from loket.mandates.rules import overlaps
from loket.organisations.models import Organisation

FACILITY_MUNICIPALITIES = frozenset(
    {"Drogenbos", "Kraainem", "Linkebeek", "Sint-Genesius-Rode", "Voeren", "Wemmel", "Wezembeek-Oppem"}
)
R = RoleCode
COUNTED = {Status.EFFECTIVE, Status.ACTING}


@dataclass(frozen=True)
class Finding:
    rule: str
    subject: UUID  # the holder's uuid, or the mandate's for 1.3 and 2.1
    holder: Holder | None
    message: str


def ocmw_of(unit: Organisation) -> Organisation | None:
    """The OCMW of a gemeente, as paired from the reference data (`OcmwPairing`); None for any other unit."""
    from loket.mandates.models import OcmwPairing

    pairing = OcmwPairing.objects.select_related("ocmw__kind").filter(municipality=unit).first()
    return pairing.ocmw if pairing else None


def is_facility_municipality(unit: Organisation) -> bool:
    """A faciliteitengemeente (LMB's `lmb:faciliteitenGemeente`, the seven of the reference): a Gemeente only."""
    return bool(unit.kind_id) and unit.kind.uri == UNIT_MUNICIPALITY and unit.name in FACILITY_MUNICIPALITIES  # type: ignore[union-attr]


def _holders(units: list[Organisation], period: str) -> list[Holder]:
    return list(
        Holder.objects.filter(
            mandate__term__organ__organisation__in=units, mandate__term__period=period, deleted_at__isnull=True
        ).select_related("person", "mandate__term__organ__organisation", "replaced_by")
    )


def findings_for(*, unit: Organisation, period: str) -> list[Finding]:
    ocmw = ocmw_of(unit)
    units = [unit, ocmw] if ocmw else [unit]
    holders = _holders(units, period)
    mandates = list(
        Mandate.objects.filter(term__organ__organisation__in=units, term__period=period).select_related("term__organ")
    )
    found: list[Finding] = []
    for holder in holders:
        found += _per_holder(holder)
    found += _seat_counts(holders, mandates)
    found += _pairs(unit, holders)
    found += _replacements(holders)
    found += _overlaps(holders)
    found += [
        Finding(
            "2.1",
            m.uuid,
            None,
            _("Het mandaat %(mandate)s heeft een bestuursfunctie buiten de lijst.") % {"mandate": m.role},
        )
        for m in mandates
        if m.role not in RoleCode.values
    ]
    return found


def _per_holder(holder: Holder) -> list[Finding]:
    found = []
    term, kind = holder.mandate.term, holder.mandate.term.organ.kind

    def add(rule: str, message: str) -> None:
        found.append(Finding(rule, holder.uuid, holder, message))

    if not holder.status:
        add("1.1", _("Mandataris zonder status."))
    end_limit = term.binding_end or OPEN_PERIOD_END
    start_ok = term.binding_start <= holder.start and (term.binding_end is None or holder.start <= term.binding_end)
    end_ok = holder.end is None or term.binding_start <= holder.end <= end_limit
    if not (start_ok and end_ok):
        add("1.2", _("De periode van de mandataris valt buiten die van het bestuursorgaan. Pas begin of einde aan."))
    if not holder.status or holder.publication not in Publication.values or holder.person_id is None:
        add("1.4.8", _("Mandataris zonder precies één persoon, mandaat, begin, status en publicatiestatus."))
    if kind in FRACTIE_REQUIRED and holder.fractie_id is None:
        add("1.9", _("Mandataris zonder fractie."))
    if holder.policy_domains and kind not in POLICY_DOMAIN_ORGANS:
        add("1.10", _("Beleidsdomeinen horen alleen bij burgemeester, college of deputatie."))
    if holder.publication == Publication.RATIFIED and not (holder.decision_link or holder.ratified_by_uri):
        add("1.18", _("Bekrachtigd zonder link naar het besluit en zonder bekrachtigend besluit."))
    if holder.mandate.role in RANGORDE_REQUIRED and not holder.rangorde:
        add("1.19", _("Mandataris zonder rangorde."))
    return found


def _active(holder: Holder, on: date) -> bool:
    return holder.start <= on and (holder.end is None or on < holder.end)


def _seat_counts(holders: list[Holder], mandates: list[Mandate]) -> list[Finding]:
    by_mandate: dict[int, list[Holder]] = defaultdict(list)
    for holder in holders:
        by_mandate[holder.mandate_id].append(holder)
    found = []
    for mandate in mandates:
        rows = by_mandate.get(mandate.pk, [])
        if mandate.seats is None or not rows:
            continue
        edges = sorted({h.start for h in rows} | {h.end for h in rows if h.end} | {OPEN_PERIOD_END})
        minimum = mandate.seats - 1 if mandate.role == R.BUREAU_MEMBER else mandate.seats
        for edge in edges:
            count = len({h.person_id for h in rows if h.status in COUNTED and _active(h, edge)})
            if count < minimum or count > mandate.seats:
                message = _(
                    "%(count)s mandataris(sen) voor %(mandate)s op %(day)s; minimum %(min)s, maximum %(max)s."
                ) % {
                    "count": count,
                    "mandate": mandate.get_role_display(),
                    "day": edge.strftime("%d-%m-%Y"),
                    "min": minimum,
                    "max": mandate.seats,
                }
                found.append(Finding("1.3", mandate.uuid, None, message))
                break
    return found


def _pairs(unit: Organisation, holders: list[Holder]) -> list[Finding]:
    if is_facility_municipality(unit):
        return []
    persons_with: dict[str, set[int]] = defaultdict(set)
    for holder in holders:
        persons_with[holder.mandate.role].add(holder.person_id)
    bureau = persons_with[R.BUREAU_MEMBER] | persons_with[R.BUREAU_CHAIR]
    checks = [
        (
            "1.11",
            {R.COUNCILLOR},
            persons_with[R.WELFARE_MEMBER],
            _("Gemeenteraadslid zetelt niet als lid van de raad voor maatschappelijk welzijn."),
        ),
        (
            "1.12",
            {R.COUNCIL_CHAIR},
            persons_with[R.WELFARE_CHAIR],
            _("Voorzitter van de gemeenteraad is niet de voorzitter van de raad voor maatschappelijk welzijn."),
        ),
        (
            "1.13",
            {R.ALDERMAN, R.ADDED_ALDERMAN, R.MAYOR, R.DESIGNATED_MAYOR},
            bureau,
            _("Lid van het college zetelt niet in het vast bureau."),
        ),
        (
            "1.14",
            {R.MAYOR, R.DESIGNATED_MAYOR},
            persons_with[R.BUREAU_CHAIR],
            _("De burgemeester is niet de voorzitter van het vast bureau."),
        ),
        (
            "1.15",
            {R.SOCIAL_CHAIR},
            persons_with[R.WELFARE_MEMBER] | persons_with[R.WELFARE_CHAIR] | bureau,
            _("Voorzitter van het BCSD zetelt niet in de raad voor maatschappelijk welzijn of het vast bureau."),
        ),
    ]
    found = []
    for rule, roles, partners, message in checks:
        if rule == "1.13":
            roles_holders = [h for h in holders if h.mandate.term.organ.kind == OrganKind.COLLEGE]
        else:
            roles_holders = [h for h in holders if h.mandate.role in roles]
        for holder in roles_holders:
            if holder.person_id not in partners:
                found.append(Finding(rule, holder.uuid, holder, message))
    return found


def _replacements(holders: list[Holder]) -> list[Finding]:
    found = []
    for holder in holders:
        if holder.status != Status.PREVENTED:
            continue
        replacement = holder.replaced_by
        if not (
            replacement is not None
            and replacement.deleted_at is None
            and replacement.status == Status.ACTING
            and replacement.person_id != holder.person_id
            and replacement.mandate_id == holder.mandate_id
            and replacement.start >= holder.start
        ):
            message = _("Verhinderde mandataris zonder waarnemende vervanger.")
            found.append(Finding("1.16", holder.uuid, holder, message))
    return found


def _overlaps(holders: list[Holder]) -> list[Finding]:
    groups: dict[tuple[int, int], list[Holder]] = defaultdict(list)
    for holder in holders:
        groups[(holder.person_id, holder.mandate_id)].append(holder)
    found = []
    for rows in groups.values():
        rows.sort(key=lambda h: h.start)
        for index, holder in enumerate(rows):
            if any(overlaps(holder.start, holder.end, other.start, other.end) for other in rows[index + 1 :]):
                found.append(
                    Finding(
                        "2.3", holder.uuid, holder, _("Dezelfde persoon heeft dit mandaat in overlappende periodes.")
                    )
                )
    return found


def report_for(*, unit: Organisation, period: str) -> tuple[list[Finding], list[tuple[Finding, ValidationSilence]]]:
    """The open findings and the silenced ones (with their silence)."""
    findings = findings_for(unit=unit, period=period)
    silences = {(s.rule, s.subject): s for s in ValidationSilence.objects.filter(organisation=unit)}
    open_, silenced = [], []
    for finding in findings:
        silence = silences.get((finding.rule, finding.subject))
        if silence is None:
            open_.append(finding)
        else:
            silenced.append((finding, silence))
    return open_, silenced


def reports_all(*, period: str) -> int:
    """The nightly run: every gemeente, district, provincie and politiezone (a gemeente's OCMW with it)."""
    from loket.mandates.codes import DECRETAL

    units = Organisation.objects.filter(kind__uri__in=[uri for uri in DECRETAL if uri != UNIT_OCMW])
    count = 0
    for unit in units.iterator():
        report_store(unit=unit, period=period)
        count += 1
    return count


@transaction.atomic
def report_store(*, unit: Organisation, period: str) -> ValidationReport:
    open_, silenced = report_for(unit=unit, period=period)
    report, _created = ValidationReport.objects.update_or_create(
        organisation=unit,
        period=period,
        defaults={"ran_at": timezone.now(), "findings": len(open_), "silenced": len(silenced)},
    )
    return report


@transaction.atomic
def finding_silence(*, unit: Organisation, rule: str, subject: UUID, reason: str, actor: object) -> ValidationSilence:
    if not reason.strip():
        raise DomainError(_("Geef een reden om dit resultaat stil te zetten."), fields={"reason": "x"})
    silence, _created = ValidationSilence.objects.update_or_create(
        organisation=unit,
        rule=rule,
        subject=subject,
        defaults={"reason": reason.strip(), "silenced_by": str(actor)},
    )
    audit_record(action="mandate_validation.silenced", actor=actor, organisation=unit, rule=rule, reason=reason.strip())
    return silence
