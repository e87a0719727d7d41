"""The national register number leaves the table in clear: each row's number becomes its index (keyed hash) and its
seal under the current key of LOKET_PERSON_NUMBER_KEYS (`loket.persons.number_protection`), and the plain column is
dropped. Reversible: going back opens the seals (with any configured key) into the plain column again."""

from django.db import migrations, models

BATCH = 500


def seal_numbers(apps, schema_editor):  # type: ignore[no-untyped-def]
    from loket.persons.number_protection import number_current_index, number_seal

    Person = apps.get_model("persons", "Person")
    rows = (
        Person.objects.using(schema_editor.connection.alias).exclude(national_number=None).exclude(national_number="")
    )
    batch = []
    for person in rows.order_by("pk").iterator(chunk_size=BATCH):
        person.national_number_index = number_current_index(person.national_number)
        person.national_number_sealed = number_seal(person.national_number)
        batch.append(person)
        if len(batch) == BATCH:
            Person.objects.using(schema_editor.connection.alias).bulk_update(
                batch, ["national_number_index", "national_number_sealed"]
            )
            batch = []
    Person.objects.using(schema_editor.connection.alias).bulk_update(
        batch, ["national_number_index", "national_number_sealed"]
    )


def unseal_numbers(apps, schema_editor):  # type: ignore[no-untyped-def]
    from loket.persons.number_protection import number_unseal

    Person = apps.get_model("persons", "Person")
    rows = Person.objects.using(schema_editor.connection.alias).exclude(national_number_index=None)
    batch = []
    for person in rows.order_by("pk").iterator(chunk_size=BATCH):
        digits = number_unseal(person.national_number_sealed)
        if digits is None:  # never the number in the message; the uuid says which row
            raise RuntimeError(
                f"Person {person.uuid}: no key in LOKET_PERSON_NUMBER_KEYS opens its national register number."
            )
        person.national_number = digits
        batch.append(person)
        if len(batch) == BATCH:
            Person.objects.using(schema_editor.connection.alias).bulk_update(batch, ["national_number"])
            batch = []
    Person.objects.using(schema_editor.connection.alias).bulk_update(batch, ["national_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("persons", "0002_alter_person_created_at_alter_person_updated_at_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="national_number_index",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=80,
                null=True,
                unique=True,
                verbose_name="rijksregisternummer (sleutelhash)",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="national_number_sealed",
            field=models.TextField(blank=True, editable=False, verbose_name="rijksregisternummer (versleuteld)"),
        ),
        migrations.RunPython(seal_numbers, unseal_numbers),
        migrations.RemoveField(
            model_name="person",
            name="national_number",
        ),
    ]
