"""A Berichtencentrum melding's encrypted credentials were kept after its job ended; they now go at the end
(`vendors.berichten`). The jobs that ended before lose theirs here."""

from django.db import migrations


def forget_credentials(apps, schema_editor):  # type: ignore[no-untyped-def]
    MessageJob = apps.get_model("vendors", "MessageJob")
    MessageJob.objects.filter(status__in=["success", "failed"]).exclude(secret=None).update(secret=None)


class Migration(migrations.Migration):
    dependencies = [("vendors", "0004_message_jobs")]

    operations = [migrations.RunPython(forget_credentials, migrations.RunPython.noop)]
