"""National register numbers are never stored in clear (ASVS 6.1.1, 8.3.7): a keyed hash per configured key for exact
lookup and uniqueness, a seal the server can open, keys rotated with `manage.py person_numbers_rekey`."""

import base64
import io
import json
import logging
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from loket.core.errors import ConflictError
from loket.core.models import AuditEvent
from loket.persons.models import Person
from loket.persons.number_protection import (
    number_index,
    number_indexes,
    number_key_id,
    number_seal,
    number_unseal,
)
from loket.persons.selectors import person_by_national_number, person_find
from loket.persons.services import person_create
from tests.mandates.conftest import rrn

OLD_KEY = "old-person-number-key-" + "o" * 40
NEW_KEY = "new-person-number-key-" + "n" * 40
JAN = rrn(date(1985, 7, 30), 33)
ELS = rrn(date(2003, 2, 14), 2)


def _formatted(digits: str) -> str:
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:]}"


def _create_two() -> tuple[Person, Person]:
    jan = person_create(actor=None, given_names="Jan", family_name="Peeters", national_number=JAN)
    els = person_create(actor=None, given_names="Els", family_name="Claes", national_number=_formatted(ELS))
    return jan, els


def _refused(digits: str) -> ConflictError:
    with pytest.raises(ConflictError) as caught:
        person_create(actor=None, given_names="Iemand", family_name="Anders", national_number=digits)
    return caught.value


def _raw_table() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM persons_person")
        return repr(cursor.fetchall())


@pytest.mark.django_db
def test_the_table_holds_no_number_yet_every_way_of_writing_it_finds_the_person(caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    jan, els = _create_two()
    person_create(actor=None, given_names="An", family_name="Zondernummer")
    table = _raw_table()
    assert "Peeters" in table  # the query does read the rows
    for digits in (JAN, ELS):
        assert digits not in table and digits[:9] not in table and digits[::-1] not in table
    assert person_by_national_number(JAN) == jan
    assert person_by_national_number(_formatted(JAN)) == jan
    assert person_by_national_number(f"{ELS[:6]}-{ELS[6:]}") == els
    assert list(person_find(query=_formatted(ELS))) == [els]
    assert person_by_national_number(rrn(date(1985, 7, 30), 35)) is None
    refused = _refused(_formatted(JAN))
    assert refused.code == "national_number_taken"
    assert refused.fields == {"national_number": "Dit rijksregisternummer is al gekend."}
    assert JAN not in str(refused) and JAN not in repr(refused.fields)
    stored = json.dumps([event.details for event in AuditEvent.objects.all()])
    assert JAN not in stored and ELS not in stored and JAN not in caplog.text and ELS not in caplog.text
    assert Person.objects.count() == 3


@pytest.mark.django_db
def test_birth_date_and_sex_still_come_from_the_number():  # type: ignore[no-untyped-def]
    jan, els = _create_two()
    assert (jan.birth_date, jan.sex, els.birth_date, els.sex) == (
        date(1985, 7, 30),
        "male",
        date(2003, 2, 14),
        "female",
    )


def test_an_index_names_its_key_and_differs_per_key(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]
    new, old = number_indexes(JAN)
    assert new == number_index(JAN, NEW_KEY) and old == number_index(JAN, OLD_KEY)
    assert new.split("$")[0] == number_key_id(NEW_KEY) and len(number_key_id(NEW_KEY)) == 8
    assert old.split("$")[0] == number_key_id(OLD_KEY) != number_key_id(NEW_KEY)
    assert len(new) <= Person._meta.get_field("national_number_index").max_length  # type: ignore[operator]
    assert new.split("$")[1] != old.split("$")[1] and JAN not in new
    with pytest.raises(ValueError) as caught:
        number_index(_formatted(JAN), NEW_KEY)  # only ever the 11 digits, and never echoed back
    assert JAN[:6] not in str(caught.value)


def test_the_seal_opens_with_any_configured_key_and_with_no_other(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_NUMBER_KEYS = [OLD_KEY]
    sealed = number_seal(JAN)
    assert JAN not in sealed and number_unseal(sealed) == JAN
    # A fresh IV per seal (ASVS 6.2.6): the same number never seals to the same bytes, so seals cannot be compared.
    again = number_seal(JAN)
    assert again != sealed and base64.urlsafe_b64decode(again)[9:25] != base64.urlsafe_b64decode(sealed)[9:25]
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]
    assert number_unseal(sealed) == JAN
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]
    assert number_unseal(sealed) is None
    assert number_unseal(Fernet(Fernet.generate_key()).encrypt(JAN.encode()).decode()) is None
    assert number_unseal("") is None and number_unseal("not a token") is None


@pytest.mark.django_db
def test_a_rotation_keeps_every_person_found_and_unique_and_the_command_moves_them(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_NUMBER_KEYS = [OLD_KEY]
    jan, els = _create_two()
    nobody = person_create(actor=None, given_names="An", family_name="Zondernummer")

    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]
    assert (person_by_national_number(JAN), person_by_national_number(ELS)) == (jan, els)
    _refused(ELS)  # a number under the old key is still known
    moved = person_create(actor=None, given_names="Piet", family_name="Nieuw", national_number=rrn(date(1990, 1, 2), 5))
    assert moved.national_number_index.startswith(number_key_id(NEW_KEY) + "$")  # type: ignore[union-attr]

    out = io.StringIO()
    call_command("person_numbers_rekey", "--batch-size", "1", stdout=out)
    assert out.getvalue() == (
        "2 rijksregisternummer(s) naar de huidige sleutel gebracht.\n"
        "0 sleutel(s) van de tweede aanmeldstap naar de huidige sleutel gebracht.\n"
    )
    indexes = dict(Person.objects.values_list("pk", "national_number_index"))
    assert indexes[nobody.pk] is None
    assert {index.split("$")[0] for pk, index in indexes.items() if pk != nobody.pk} == {number_key_id(NEW_KEY)}

    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]  # the old key dropped
    assert (person_by_national_number(_formatted(JAN)), person_by_national_number(ELS)) == (jan, els)
    assert {number_unseal(sealed) for sealed in Person.objects.values_list("national_number_sealed", flat=True)} == {
        JAN, ELS, rrn(date(1990, 1, 2), 5), None,
    }  # fmt: skip
    _refused(JAN)

    call_command("person_numbers_rekey", stdout=(again := io.StringIO()))
    assert again.getvalue().startswith("0 ")  # idempotent
    first, second = AuditEvent.objects.filter(action="person.numbers_rekeyed").order_by("pk")
    assert first.actor is None and first.actor_label == "manage.py person_numbers_rekey"
    assert (first.details, second.details) == ({"count": 2, "unreadable": 0}, {"count": 0, "unreadable": 0})


@pytest.mark.django_db
def test_the_command_refuses_to_call_a_rotation_done_while_a_key_is_missing(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_NUMBER_KEYS = [OLD_KEY]
    jan, _els = _create_two()
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY]  # the old key dropped too early
    with pytest.raises(CommandError):
        call_command("person_numbers_rekey", stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert "2 rijksregisternummer(s) opent geen enkele ingestelde sleutel" in err.getvalue()
    assert AuditEvent.objects.get(action="person.numbers_rekeyed").details == {"count": 0, "unreadable": 2}
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, OLD_KEY]  # put back: nothing was lost
    assert person_by_national_number(JAN) == jan


def test_the_deployment_check_warns_while_the_numbers_hang_on_the_secret_key(settings):  # type: ignore[no-untyped-def]
    def warnings() -> list[str]:
        return [m.id for m in run_checks(include_deployment_checks=True) if m.id and m.id.startswith("loket.")]

    settings.LOKET_PERSON_NUMBER_KEYS = [settings.SECRET_KEY]
    assert warnings() == ["loket.persons.W001"]
    settings.LOKET_PERSON_NUMBER_KEYS = [NEW_KEY, settings.SECRET_KEY]  # rotating away from it
    assert warnings() == []
    assert "loket.persons.W001" not in [m.id for m in run_checks(include_deployment_checks=False)]


@pytest.mark.django_db
def test_the_back_office_finds_a_person_by_an_exact_number_and_shows_no_trace_of_it(client, helpdesk):  # type: ignore[no-untyped-def]
    jan, els = _create_two()
    client.force_login(helpdesk)
    url = reverse("admin:persons_person_changelist")

    def found(term: str) -> list[int]:
        return sorted(p.pk for p in client.get(url, {"q": term}).context["cl"].result_list)

    assert found(_formatted(JAN)) == [jan.pk]
    assert found(ELS) == [els.pk]
    assert found("claes") == [els.pk]
    assert found(JAN[:6]) == []  # a part of a number finds nothing
    page = client.get(reverse("admin:persons_person_change", args=[jan.pk])).content.decode()
    assert "Peeters" in page and jan.national_number_index not in page  # type: ignore[operator]
    assert jan.national_number_sealed not in page
