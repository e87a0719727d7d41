"""Retention of persons no record refers to any more (ASVS 8.3.8, `core.retention`, docs/security/retention.md).

A person (names, sealed national register number, birth date, sex, nationality) is shared by mandate holders,
officials, worship board members and ministers. While any row of any module refers to it, it is part of that
government record and stays, whatever state the row is in (an ended term, a holder version marked deleted, a hidden
worship row). Which rows refer to a person is read from Django's model graph (`person_references`: every relation to
`Person`, hidden ones — `related_name="+"` — included), so a new module's foreign key counts without a change here
(tests/persons/test_retention.py compares it with every model's own fields). No sent record (the register, Toezicht,
the Berichtencentrum) names a person by a string; the audit trail keeps its own copies of names and is not a
reference.

"Since when" is noted by the purge itself, the only moment that is reliable for every way a reference can go (a
correction that points a row at another person, a unit deleted with its rows): each run marks the persons it finds
without any reference (`unreferenced_since`, when not set yet) and clears the mark of those referred to again. A
person whose mark is older than LOKET_PERSON_UNREFERENCED_DAYS is deleted. The mark is at most a day late, never
early. Every service that makes a record refer to a person clears it too (`persons.services.person_claim`), so a
reference made and gone again between two daily runs restarts the period as well (one written around the services,
in the back office's model forms, is only seen by a run).

Each run also notes, on every person a public instance shows (a mapping with a dataset that follows `Person`: the
holders, the officials), that dataset (`published_in`). Deleting a person that was published leaves a tombstone:
its URI answers 410 Gone, as any deleted public resource (`opendata.tombstones`).

Races: the person rows are locked (SELECT … FOR UPDATE) and the references checked again in a statement after the
lock, in the same transaction. The services lock the person they attach the same way (`person_claim`): a clerk's
new reference that committed while the purge waited is seen and keeps the person; a clerk who waited for the purge
finds the person gone and is told so (nothing is saved). A reference written around the services still cannot
outlive its person: the foreign key refuses it."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from loket.core.audit import audit_record
from loket.core.linkeddata import mapping_infos
from loket.core.retention import Purge, in_chunks, register_purge
from loket.persons.models import Person
from loket.persons.rdf import PERSON


def person_references() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) that refers to a person, from the model graph, hidden relations included."""
    found: list[tuple[type[models.Model], str]] = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.is_relation:
            found.append((relation.related_model, relation.field.name))  # type: ignore[arg-type,union-attr]
    return sorted(found, key=lambda reference: (reference[0]._meta.label, reference[1]))


def _any_reference() -> Q:
    condition = Q()
    for model, field_name in person_references():
        condition |= Q(Exists(model._base_manager.filter(**{field_name: OuterRef("pk")})))
    return condition


def _unreferenced() -> QuerySet[Person]:
    return Person.objects.exclude(_any_reference())


def _referenced() -> QuerySet[Person]:
    return Person.objects.filter(_any_reference())


def _note_publications() -> None:
    """Note the dataset of every person a public instance shows now (the tombstone's dataset, later)."""
    for info in mapping_infos():
        lookup = info.follows.get(Person)
        if info.dataset is None or lookup is None:
            continue
        shown = info.public_queryset().filter(**{f"{lookup}__isnull": False}).values(lookup)
        Person.objects.filter(published_in="", pk__in=shown).update(published_in=info.dataset)


@register_purge("personen")
def unreferenced_persons_purge(limit: int) -> Purge:
    days = settings.LOKET_PERSON_UNREFERENCED_DAYS
    now = timezone.now()
    before = now - timedelta(days=days)
    deleted = 0
    with transaction.atomic():
        if days > 0:
            _note_publications()
            _referenced().filter(unreferenced_since__isnull=False).update(unreferenced_since=None)
            _unreferenced().filter(unreferenced_since__isnull=True).update(unreferenced_since=now)
            due = Person.objects.filter(unreferenced_since__lt=before)
            deleted = in_chunks(due, limit=limit, apply=lambda chunk: _persons_delete(before, chunk))
        audit_record(action="person.purged", count=deleted, days=days, before=before.isoformat())
    return Purge(count=deleted, is_complete=deleted < limit)


def _persons_delete(before: datetime, chunk: list[Any]) -> int:
    from loket.opendata.tombstones import tombstone_record

    locked = list(
        Person.objects.select_for_update()
        .filter(pk__in=chunk, unreferenced_since__lt=before)
        .only("pk", "uuid", "published_in")
    )
    # A statement of its own after the lock: a reference committed while the lock was awaited is seen here.
    still_free = set(_unreferenced().filter(pk__in=[person.pk for person in locked]).values_list("pk", flat=True))
    gone = [person for person in locked if person.pk in still_free]
    for person in gone:
        if person.published_in:
            tombstone_record(subject=person.uri, former_type=str(PERSON.Person), dataset=person.published_in)
    # Any row left unchecked would stop the loop: in_chunks reads the due persons again, so the ones kept lose their
    # mark now (the next run notes them again if their reference went).
    Person.objects.filter(pk__in=[person.pk for person in locked if person.pk not in still_free]).update(
        unreferenced_since=None
    )
    Person.objects.filter(pk__in=[person.pk for person in gone]).delete()
    return len(gone)
