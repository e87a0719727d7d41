"""Retention of persons no record refers to any more (ASVS 8.3.8, persons/retention.py): the real worker's daily run
notes when it first finds a person without any reference and deletes the person LOKET_PERSON_UNREFERENCED_DAYS
later; a referenced person (by any row, in any state) stays, a reference that comes back clears the mark, a person
that was published leaves a tombstone (410), 0 keeps everyone. One audit event per run with the count. The
references come from the model graph: a new relation to Person is seen without a list. Time passes by travelling."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.apps import apps

from loket.core.audit import audit_describe
from loket.core.models import AuditEvent
from loket.core.tasks import purge_expired_data
from loket.mandates.codes import Publication, RoleCode
from loket.mandates.models import Holder
from loket.mandates.organs import decretal_organs_create
from loket.opendata.models import Tombstone
from loket.persons.models import Person
from loket.persons.retention import person_references
from loket.persons.services import person_create
from tests.mandates.conftest import mandate, rrn

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PERSON_TYPE = "http://www.w3.org/ns/person#Person"


def at(days: float) -> "time_machine.travel":
    return time_machine.travel(START + timedelta(days=days), tick=False)


def names() -> set[str]:
    return set(Person.objects.values_list("family_name", flat=True))


def counts() -> list[int]:
    return [event.details["count"] for event in AuditEvent.objects.filter(action="person.purged").order_by("pk")]


def person(clerk, family_name: str, serial: int) -> Person:  # type: ignore[no-untyped-def]
    number = rrn(date(1970, 3, 4), serial)
    return person_create(actor=clerk, given_names="Jan", family_name=family_name, national_number=number)


def hold(person: Person, councillor, publication: str = Publication.NOT_RATIFIED) -> Holder:  # type: ignore[no-untyped-def]
    return Holder.objects.create(
        person=person, mandate=councillor, start=date(2025, 1, 6), status="effectief", publication=publication
    )


def test_unreferenced_persons_go_after_the_period_referenced_ones_stay(  # type: ignore[no-untyped-def]
    client, clerk, municipality, run_worker
):
    with at(0):
        decretal_organs_create(organisations=[municipality])
        councillor = mandate(municipality, RoleCode.COUNCILLOR)
        kept = person(clerk, "Publiek", 1)
        hold(kept, councillor)
        hold(person(clerk, "Draft", 2), councillor, Publication.DRAFT)  # never public, but a record
        loose = person(clerk, "Los", 3)  # created, never chosen
        back = person(clerk, "Terug", 4)
        freed = person(clerk, "Vrij", 5)
        freed_holder = hold(freed, councillor)
        purge_expired_data.enqueue()
        run_worker()
        assert counts() == [0]
        assert dict(Person.objects.values_list("family_name", "published_in")) == {
            "Publiek": "mandatarissen",
            "Draft": "",
            "Los": "",
            "Terug": "",
            "Vrij": "mandatarissen",
        }
        assert set(Person.objects.filter(unreferenced_since=START).values_list("family_name", flat=True)) == {
            "Los",
            "Terug",
        }
    with at(10):
        freed_holder.delete()  # the last reference to Vrij goes (a correction, a unit deleted with its rows)
        run_worker()  # the run day 0 queued
        assert Person.objects.get(pk=freed.pk).unreferenced_since == START + timedelta(days=10)
    with at(200):
        hold(back, councillor, Publication.DRAFT)  # a clerk chooses Terug again
        run_worker()
        assert Person.objects.get(pk=back.pk).unreferenced_since is None
    with at(300):
        young = person(clerk, "Jong", 6)
        run_worker()
    with at(366):
        run_worker()
        # Los was found without a reference 366 days ago; Vrij 356 days ago, Jong 66 days ago
        assert names() == {"Publiek", "Draft", "Terug", "Vrij", "Jong"}
        assert counts()[-1] == 1
        [event] = AuditEvent.objects.filter(action="person.purged").order_by("-pk")[:1]
        assert (event.actor, event.actor_label) == (None, "systeem")
        assert event.details == {"count": 1, "days": 365, "before": (START + timedelta(days=1)).isoformat()}
        assert audit_describe(event) == (
            "1 perso(o)n(en) verwijderd naar wie geen enkele registratie meer verwijst, al meer dan 365 dagen "
            "(bewaartermijn)."
        )
        assert client.get(f"/id/personen/{loose.uuid}").status_code == 404  # never published: nothing tells
    with at(376):
        run_worker()
        assert names() == {"Publiek", "Draft", "Terug", "Jong"}
        assert counts()[-1] == 1
        tombstone = Tombstone.objects.get(subject=freed.uri)
        assert (tombstone.former_type, tombstone.dataset) == (PERSON_TYPE, "mandatarissen")
        gone = client.get(f"/id/personen/{freed.uuid}", HTTP_ACCEPT="text/turtle")
        assert gone.status_code == 410
        assert "Vrij" not in gone.content.decode()
    with at(1000):
        run_worker()
        assert names() == {"Publiek", "Draft", "Terug"}  # Jong, unreferenced since day 300
        assert Person.objects.filter(pk=young.pk).exists() is False
        assert counts()[-1] == 1
        run_worker()  # the next day's run is not due yet: nothing ran
        assert len(counts()) == 7  # days 0, 10, 200, 300, 366, 376, 1000


def test_zero_keeps_every_person(clerk, run_worker, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_PERSON_UNREFERENCED_DAYS = 0
    with at(0):
        person(clerk, "Los", 3)
        purge_expired_data.enqueue()
        run_worker()
    with at(2000):
        run_worker()
        assert names() == {"Los"}
        assert Person.objects.get().unreferenced_since is None
        assert counts() == [0, 0]


def test_a_person_locked_then_referenced_stays(clerk, municipality):  # type: ignore[no-untyped-def]
    """The re-check after the lock: a reference that exists by then keeps the person, and its mark is cleared."""
    from loket.persons.retention import _persons_delete

    with at(0):
        decretal_organs_create(organisations=[municipality])
        chosen = person(clerk, "Gekozen", 7)
        Person.objects.filter(pk=chosen.pk).update(unreferenced_since=START - timedelta(days=400))
        hold(chosen, mandate(municipality, RoleCode.COUNCILLOR), Publication.DRAFT)  # the clerk was just faster
        assert _persons_delete(START - timedelta(days=365), [chosen.pk]) == 0
        assert Person.objects.get(pk=chosen.pk).unreferenced_since is None


def test_a_clerk_choosing_a_person_restarts_the_period_and_a_deleted_one_is_refused(  # type: ignore[no-untyped-def]
    clerk, municipality
):
    """The clerk's side of the race: every service that makes a record refer to a person locks the person first
    (`person_claim`). A person the purge was about to delete is kept and its period restarts; one it deleted is
    refused with a message a clerk understands, and nothing is saved."""
    from loket.core.errors import ConflictError
    from loket.mandates.services import HolderValues, fractie_create, holder_create

    with at(0):
        decretal_organs_create(organisations=[municipality])
        councillor = mandate(municipality, RoleCode.COUNCILLOR)
        values = HolderValues(
            start=date(2025, 1, 6), fractie=fractie_create(organisation=municipality, name="Samen", actor=clerk)
        )
        chosen, deleted = person(clerk, "Gekozen", 7), person(clerk, "Weg", 8)
        Person.objects.filter(pk=chosen.pk).update(unreferenced_since=START - timedelta(days=364))
        holder_create(mandate=councillor, person=chosen, actor=clerk, values=values)
        assert Person.objects.get(pk=chosen.pk).unreferenced_since is None
        Person.objects.filter(pk=deleted.pk).delete()  # the purge was faster
        with pytest.raises(ConflictError) as refused:
            holder_create(mandate=councillor, person=deleted, actor=clerk, values=values)
        assert str(refused.value.message) == "Deze persoon bestaat niet meer in het Loket; zoek de persoon opnieuw."
        assert Holder.objects.filter(person_id=deleted.pk).exists() is False


def test_every_relation_to_a_person_is_a_reference():  # type: ignore[no-untyped-def]
    """The purge reads its references from the model graph; here they are found again from the other side (every
    model's own fields), so a new module's foreign key to Person — also a hidden one (`related_name="+"`, which
    `Person._meta.related_objects` leaves out) — is a reference without a change to the purge."""
    forward = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is Person
    }
    found = {(model._meta.label, name) for model, name in person_references()}
    assert found == forward
    assert found == {
        ("mandates.Fractie", "person"),
        ("mandates.Holder", "person"),
        ("officials.Official", "person"),
        ("worship.BoardMember", "person"),
        ("worship.Minister", "person"),
    }


def test_the_back_office_shows_the_retention_marks(client, clerk, helpdesk, run_worker):  # type: ignore[no-untyped-def]
    with at(0):
        loose = person(clerk, "Los", 3)
        purge_expired_data.enqueue()
        run_worker()
        client.force_login(helpdesk)
        page = client.get(f"/helpdesk/persons/person/{loose.pk}/change/").content.decode()
        assert "Zonder verwijzing sinds" in page and "5 januari 2026" in page
