"""The rules a holder version must meet when it is saved (errors) and what is only worth a warning, judged over
plain values so the form, the services, the CSV import and the tests share one place."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from loket.mandates.codes import (
    FRACTIE_REFUSED,
    FRACTIE_REQUIRED,
    MAYOR_ROLES,
    ORDINALS,
    Status,
)
from loket.mandates.models import Fractie, Holder, Mandate

_ORDINALS = {ordinal.lower() for ordinal in ORDINALS}


@dataclass
class Verdict:
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def rangorde_is_valid(value: str) -> bool:
    """ "<Eerste…Vierenveertigste> <mandate word>", e.g. "Eerste schepen"."""
    ordinal, _space, word = value.strip().partition(" ")
    return ordinal.lower() in _ORDINALS and bool(word.strip())


def overlaps(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    """Half-open ranges [start, end): a version that ends at T and one that starts at T do not overlap."""
    return (other_end is None or start < other_end) and (end is None or other_start < end)


def holder_verdict(
    *,
    mandate: Mandate | None,
    person_id: int | None,
    start: date | None,
    end: date | None,
    status: str,
    rangorde: str,
    fractie: Fractie | None,
    other_than: list[int] | None = None,
) -> Verdict:
    verdict = Verdict()
    errors = verdict.errors
    if mandate is None:
        errors["mandate"] = _("Kies een mandaat.")
    if not status:
        errors["status"] = _("Kies een status.")
    elif status not in Status.values:
        errors["status"] = _("Onbekende status.")
    if start is None:
        errors["start"] = _("Vul de begindatum in.")
    if person_id is None:
        errors["person"] = _("Kies een persoon.")
    if end is not None and start is not None and end <= start:
        errors["end"] = _("De einddatum moet na de begindatum liggen.")
    if rangorde.strip() and not rangorde_is_valid(rangorde):
        errors["rangorde"] = _('Schrijf de rangorde als een rangtelwoord en het mandaat, bv. "Eerste schepen".')
    if mandate is None:
        return verdict
    term, organ_kind = mandate.term, mandate.term.organ.kind
    if start is not None and not (
        term.binding_start <= start and (term.binding_end is None or start <= term.binding_end)
    ):
        errors["start"] = _("De begindatum ligt buiten de bestuursperiode van het orgaan (%(period)s).") % {
            "period": term.get_period_display()
        }
    if end is not None and (end < term.binding_start or (term.binding_end is not None and end > term.binding_end)):
        verdict.warnings.append(_("De einddatum ligt buiten de bestuursperiode van het orgaan."))
    if organ_kind in FRACTIE_REQUIRED and fractie is None:
        errors["fractie"] = _("Kies een fractie: dit orgaan vraagt er een.")
    if organ_kind in FRACTIE_REFUSED and fractie is not None:
        errors["fractie"] = _("Dit orgaan heeft geen fracties.")
    if status == Status.TITULAR and mandate.role not in MAYOR_ROLES:
        errors["status"] = _("Titelvoerend kan alleen voor een burgemeester.")
    if status == Status.PREVENTED and mandate.role in MAYOR_ROLES:
        errors["status"] = _("Een burgemeester kan niet verhinderd zijn.")
    if person_id is not None and start is not None and "end" not in errors:
        for other in Holder.objects.filter(mandate=mandate, person_id=person_id, deleted_at__isnull=True).exclude(
            pk__in=other_than or []
        ):
            if overlaps(start, end, other.start, other.end):
                errors["start"] = _("Deze persoon heeft dit mandaat al in die periode (overlappende versie).")
                break
    return verdict
