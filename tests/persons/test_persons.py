"""The one person model: national register numbers, one person per number, and what is published."""

from datetime import date

import pytest

from loket.core.errors import ConflictError, DomainError
from loket.core.linkeddata import graph_for
from loket.persons.models import Person
from loket.persons.national_number import FEMALE, MALE, NationalNumberError, parse_national_number
from loket.persons.selectors import person_by_national_number, person_find
from loket.persons.services import person_correct_name, person_create


def number(first_nine: str, *, from_2000: bool = False) -> str:
    """A national register number with its check digits computed as the register does."""
    base = int(("2" if from_2000 else "") + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


def test_a_number_of_the_1900s_gives_birth_date_and_sex():
    parsed = parse_national_number(number("850730033"))
    assert parsed.birth_date == date(1985, 7, 30)
    assert parsed.sex == MALE  # 033: odd


def test_a_number_from_2000_on_uses_the_prefix_2():
    value = number("030214002", from_2000=True)
    parsed = parse_national_number(value)
    assert parsed.birth_date == date(2003, 2, 14)
    assert parsed.sex == FEMALE  # 002: even
    # The same nine digits with the 1900s check number are a person born in 1903.
    assert parse_national_number(number("030214002")).birth_date == date(1903, 2, 14)


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_a_number_in_other_digits_is_refused():  # type: ignore[no-untyped-def]
    """Python's \\d and int() take Arabic-Indic (and other) digits: such a number passed the check digits and was
    stored in those digits, beside the same person's number in ASCII digits (a duplicate the lookup never finds)."""
    with pytest.raises(NationalNumberError, match="11 cijfers"):
        parse_national_number(number("850730033").translate(ARABIC_INDIC))


def test_separators_are_allowed():
    value = number("850730033")
    written = f"{value[:2]}.{value[2:4]}.{value[4:6]}-{value[6:9]}.{value[9:]}"
    assert parse_national_number(written).digits == value


@pytest.mark.parametrize(
    "value, message",
    [
        ("8507300332", "11 cijfers"),
        ("85073003328x", "11 cijfers"),
        ("", "11 cijfers"),
    ],
)
def test_wrong_length_or_letters(value, message):
    with pytest.raises(NationalNumberError) as caught:
        parse_national_number(value)
    assert message in str(caught.value)


def test_a_wrong_check_number_is_refused():
    good = number("850730033")
    bad = good[:9] + f"{(int(good[9:]) + 1) % 100:02d}"
    with pytest.raises(NationalNumberError) as caught:
        parse_national_number(bad)
    assert "controlegetal" in str(caught.value)


def test_bis_numbers():
    unknown_sex = parse_national_number(number("852730033"))  # month + 20
    assert unknown_sex.birth_date == date(1985, 7, 30) and unknown_sex.sex is None
    known_sex = parse_national_number(number("854730034"))  # month + 40, even serial
    assert known_sex.birth_date == date(1985, 7, 30) and known_sex.sex == FEMALE


def test_an_unknown_birth_day_gives_no_date():
    assert parse_national_number(number("850700033")).birth_date is None


@pytest.mark.django_db
def test_create_prefills_birth_date_and_sex_and_audits():
    from loket.core.models import AuditEvent

    person = person_create(
        actor=None, given_names="Jan Pieter", family_name="Peeters", national_number=number("850730033")
    )
    assert (person.birth_date, person.sex, person.used_given_name) == (date(1985, 7, 30), MALE, "Jan")
    assert AuditEvent.objects.filter(action="person.created", details__person=str(person.uuid)).count() == 1


@pytest.mark.django_db
def test_one_person_per_national_number():
    value = number("850730033")
    person_create(actor=None, given_names="Jan", family_name="Peeters", national_number=value)
    with pytest.raises(ConflictError) as caught:
        person_create(actor=None, given_names="Johan", family_name="Peters", national_number=value)
    assert "al een persoon" in str(caught.value)
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_number_creates_nothing():
    with pytest.raises(DomainError) as caught:
        person_create(actor=None, given_names="Jan", family_name="Peeters", national_number="85073003300")
    assert caught.value.fields.keys() == {"national_number"}
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_names_are_required():
    with pytest.raises(DomainError) as caught:
        person_create(actor=None, given_names=" ", family_name="")
    assert set(caught.value.fields) == {"given_names", "family_name"}
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_persons_without_number_may_share_a_name():
    person_create(actor=None, given_names="An", family_name="Janssens")
    person_create(actor=None, given_names="An", family_name="Janssens")
    assert Person.objects.filter(family_name="Janssens").count() == 2


@pytest.mark.django_db
def test_find_by_number_or_by_name_words():
    value = number("850730033")
    jan = person_create(actor=None, given_names="Jan", family_name="Peeters", national_number=value)
    person_create(actor=None, given_names="Els", family_name="Peeters")
    assert list(person_find(query=value)) == [jan]
    assert person_by_national_number(f"{value[:6]}-{value[6:]}") == jan
    assert [p.used_given_name for p in person_find(query="peeters")] == ["Els", "Jan"]
    assert list(person_find(query="jan peet")) == [jan]
    assert list(person_find(query="")) == []


@pytest.mark.django_db
def test_name_correction_keeps_the_person():
    person = person_create(actor=None, given_names="Jan", family_name="Peters")
    corrected = person_correct_name(actor=None, person=person, given_names="Jan", family_name="Peeters")
    assert corrected.pk == person.pk and corrected.family_name == "Peeters"


@pytest.mark.django_db
def test_only_used_first_name_and_family_name_are_published():
    value = number("850730033")
    person = person_create(
        actor=None, given_names="Jan Pieter", family_name="Peeters", national_number=value, nationality="be"
    )
    text = graph_for(person).serialize(format="nt")
    assert '"Jan"' in text and '"Peeters"' in text
    for private in (value, "1985-07-30", "Pieter", "BE", "GeslachtCode", "male"):
        assert private not in text
