"""Demo data for Mandatenbeheer (`manage.py load_demo`): the decretal organs of every gemeente, OCMW, district,
provincie and politiezone, and for Aalst a few fracties and holders (with demo national register numbers, which are
never published)."""

from datetime import date

from django.db import transaction

from loket.mandates.codes import Publication, RoleCode, Status
from loket.mandates.models import Fractie, Holder, Mandate
from loket.mandates.organs import decretal_organs_create
from loket.mandates.services import HolderValues, holder_create
from loket.organisations.models import Organisation
from loket.persons.selectors import person_by_national_number
from loket.persons.services import person_create

START = date(2024, 12, 2)
# (given names, family name, national register number, role, rangorde, fractie)
PEOPLE = [
    ("Christoph", "D'Haese", "75082518145", RoleCode.MAYOR, "", "N-VA"),
    ("Karim", "Van Overmeire", "68041207743", RoleCode.ALDERMAN, "Eerste schepen", "N-VA"),
    ("Sarah", "Smeyers", "80011528260", RoleCode.ALDERMAN, "Tweede schepen", "N-VA"),
    ("Katrien", "Beulens", "83092032415", RoleCode.COUNCILLOR, "Eerste gemeenteraadslid", "Vooruit"),
    ("Bart", "Van Nuffel", "01022633370", RoleCode.COUNCILLOR, "Tweede gemeenteraadslid", "Vooruit"),
]


def _demo_number(number: str) -> str:
    """The demo numbers are made valid here (their check digits), so the list above stays readable."""
    nine = number[:9]
    base = int(("2" if nine[:2] < "25" else "") + nine)
    return f"{nine}{97 - base % 97:02d}"


@transaction.atomic
def load_demo_mandates() -> str:
    counts = decretal_organs_create()
    aalst = Organisation.objects.filter(name="Aalst", kind__category="municipality").first()
    if aalst is None:
        return f"organs {counts}"
    made = 0
    for given, family, number, role, rangorde, fractie_name in PEOPLE:
        digits = _demo_number(number)
        person = person_by_national_number(digits) or person_create(
            actor=None, given_names=given, family_name=family, national_number=digits, nationality="BE"
        )
        mandate = Mandate.objects.get(term__organ__organisation=aalst, term__period="2024", role=role)
        if Holder.objects.filter(mandate=mandate, person=person).exists():
            continue
        fractie, _ = Fractie.objects.get_or_create(organisation=aalst, name=fractie_name, kind=Fractie.Kind.COALITION)
        holder_create(
            mandate=mandate,
            person=person,
            actor=None,
            values=HolderValues(start=START, status=Status.EFFECTIVE, rangorde=rangorde, fractie=fractie),
            publication=Publication.RATIFIED if role == RoleCode.MAYOR else Publication.NOT_RATIFIED,
            decision_link="https://publicatie.gelinkt-notuleren.vlaanderen.be/Aalst/demo"
            if role == RoleCode.MAYOR
            else "",
        )
        made += 1
    return f"organs {counts}, Aalst holders {made}"
