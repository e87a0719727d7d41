"""CSV import of a legislature (LMB's columns): rrn, firstName, lastName, mandateName, startDateTime (required),
endDateTime, fractieName, rangordeString, beleidsdomeinNames (separated by `|`).

All or nothing: every row is checked (with the same services as the pages) and when any row is bad, nothing is kept
and the report lists every bad row with its line and reason. Imported rows are Effectief and **Draft**: prepared
rows, never public, until the clerk publishes an organ's Draft rows (Niet bekrachtigd) once the installation meeting
appointed them; Bekrachtigd then needs a link to the decision or a ratifying decision. (LMB imports them Bekrachtigd
without any decision; we do not.) Policy domains are named by their label in the code list (`policy-domains.ttl`),
an unknown name refuses the row. The validation report runs after a good import.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from loket.core.errors import DomainError
from loket.mandates.codes import Publication, Status, policy_domain_by_label
from loket.mandates.models import Fractie, Mandate
from loket.mandates.services import HolderValues, fractie_independent_for, holder_create
from loket.organisations.models import Organisation
from loket.persons.models import Person
from loket.persons.national_number import normalise_national_number
from loket.persons.selectors import person_by_national_number
from loket.persons.services import person_create

COLUMNS = [
    "rrn",
    "firstName",
    "lastName",
    "mandateName",
    "startDateTime",
    "endDateTime",
    "fractieName",
    "rangordeString",
    "beleidsdomeinNames",
]
TEMPLATE = (
    ";".join(COLUMNS) + "\n" + "85073003328;Jan;Peeters;Gemeenteraadslid;2024-12-02;;Samen;Eerste gemeenteraadslid;\n"
)


@dataclass
class ImportReport:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    findings: int | None = None


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for parse in (lambda v: date.fromisoformat(v[:10]), lambda v: datetime.strptime(v, "%d-%m-%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    raise DomainError(_("Onleesbare datum '%(value)s' (gebruik JJJJ-MM-DD).") % {"value": value})


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text.strip() else ";", delimiters=";,")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = [column for column in ("mandateName", "startDateTime") if column not in (reader.fieldnames or [])]
    if missing:
        raise DomainError(_("Ontbrekende kolommen: %(columns)s.") % {"columns": ", ".join(missing)})
    return [(index + 2, {k: (v or "").strip() for k, v in row.items() if k}) for index, row in enumerate(reader)]


def _person(row: dict[str, str], actor: object) -> Person:
    number = normalise_national_number(row.get("rrn", ""))
    if number:
        found = person_by_national_number(number)
        if found:
            return found
    return person_create(
        actor=actor, given_names=row.get("firstName", ""), family_name=row.get("lastName", ""), national_number=number
    )


def _fractie(organisation: Organisation, name: str, person: Person, actor: object) -> Fractie | None:
    if not name:
        return None
    if name.lower() == "onafhankelijk":
        return fractie_independent_for(organisation=organisation, person=person)
    fractie = Fractie.objects.filter(organisation=organisation, name__iexact=name, end__isnull=True).first()
    return fractie or Fractie.objects.create(organisation=organisation, name=name)


def _policy_domains(names: str) -> list[str]:
    uris = []
    for name in (part.strip() for part in names.split("|")):
        if not name:
            continue
        uri = policy_domain_by_label(name)
        if uri is None:
            raise DomainError(_("Onbekend beleidsdomein '%(name)s' (gebruik de namen van de lijst).") % {"name": name})
        uris.append(uri)
    return uris


def _import_row(row: dict[str, str], mandates: dict[str, Mandate], organisation: Organisation, actor: object) -> None:
    mandate = mandates.get(row.get("mandateName", "").lower())
    if mandate is None:
        raise DomainError(_("Onbekend mandaat '%(name)s' voor dit bestuur.") % {"name": row.get("mandateName", "")})
    start = _date(row.get("startDateTime", ""))
    if start is None:
        raise DomainError(_("De begindatum is verplicht."))
    person = _person(row, actor)
    values = HolderValues(
        start=start,
        end=_date(row.get("endDateTime", "")),
        status=Status.EFFECTIVE,
        rangorde=row.get("rangordeString", ""),
        policy_domains=_policy_domains(row.get("beleidsdomeinNames", "")),
        fractie=_fractie(organisation, row.get("fractieName", ""), person, actor),
    )
    holder_create(mandate=mandate, person=person, values=values, actor=actor, publication=Publication.DRAFT)


def holders_import(*, organisation: Organisation, period: str, text: str, actor: object) -> ImportReport:
    report = ImportReport()
    mandates = {
        str(m.get_role_display()).lower(): m
        for m in Mandate.objects.filter(term__organ__organisation=organisation, term__period=period).select_related(
            "term__organ"
        )
    }
    with transaction.atomic():
        try:
            rows = _rows(text)
        except (DomainError, csv.Error) as error:
            report.errors.append((1, str(getattr(error, "message", error))))
            return report
        for line, row in rows:
            try:
                with transaction.atomic():
                    _import_row(row, mandates, organisation, actor)
                report.created += 1
            except DomainError as error:
                report.errors.append((line, str(error.message)))
        if report.errors:
            report.created = 0
            transaction.set_rollback(True)
            return report
    from loket.mandates.validation import findings_for

    report.findings = len(findings_for(unit=organisation, period=period))
    return report
