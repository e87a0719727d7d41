from datetime import date

import pytest

from loket.accounts.roles import Role
from loket.officials.services import functions_create
from loket.persons.services import person_create
from tests.conftest import grant, make_user
from tests.mandates.conftest import rrn

KNOWN_NUMBER = rrn(date(1975, 4, 3), 21)  # the known person's national register number (the Loket keeps no copy)


@pytest.fixture
def functions(municipality, other_municipality):  # type: ignore[no-untyped-def]
    from loket.organisations.models import Organisation

    functions_create(organisations=Organisation.objects.filter(pk__in=[municipality.pk, other_municipality.pk]))
    return {f.label: f for f in municipality.official_functions.all()}


@pytest.fixture
def hr_clerk(municipality):  # type: ignore[no-untyped-def]
    user = make_user("lea-leiding")
    grant(user, municipality, [Role.LEIDINGGEVENDEN])
    return user


@pytest.fixture
def known():  # type: ignore[no-untyped-def]
    """A person in the shared register, found by name or national register number in the search tests."""
    return person_create(actor=None, given_names="Katrien", family_name="Verhaegen", national_number=KNOWN_NUMBER)
