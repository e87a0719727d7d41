"""A mandates organ takes the URI of the Toezicht governing body of the same unit and classification (one identity
per organ, dereferenced by Toezicht's page). An organ without such a body gets one with the URI it had, so what was
published stays the same resource."""

from django.conf import settings
from django.db import migrations, models

ORGAN = "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/"


def organ_uris(apps, schema_editor):  # type: ignore[no-untyped-def]
    from loket.mandates.codes import OrganKind

    Organ = apps.get_model("mandates", "Organ")
    GoverningBody = apps.get_model("supervision", "GoverningBody")
    bodies = {
        (organisation_id, classification): uri
        for organisation_id, classification, uri in GoverningBody.objects.values_list(
            "organisation_id", "classification_uri", "uri"
        )
    }
    for organ in Organ.objects.all().iterator():
        classification = ORGAN + organ.kind
        uri = bodies.get((organ.organisation_id, classification))
        if uri is None:
            uri = f"{settings.LOKET_URI_BASE}/id/bestuursorganen/{organ.uuid}"
            GoverningBody.objects.create(
                organisation_id=organ.organisation_id,
                classification_uri=classification,
                label=str(OrganKind(organ.kind).label),
                uri=uri,
            )
        organ.uri = uri
        organ.save(update_fields=["uri"])


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0005_ocmw_pairing"),
        ("supervision", "0004_submissionreceiver"),
    ]

    operations = [
        migrations.AddField(
            model_name="organ",
            name="uri",
            field=models.CharField(max_length=300, null=True, verbose_name="URI"),
        ),
        migrations.RunPython(organ_uris, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organ",
            name="uri",
            field=models.CharField(max_length=300, unique=True, verbose_name="URI"),
        ),
    ]
