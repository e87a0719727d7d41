"""Policy domains were free text; they are now URIs of the code list (`policy-domains.ttl`). A label that names a
code becomes its URI (case ignored); text that names none is dropped (it never was a policy domain)."""

from django.db import migrations


def labels_to_uris(apps, schema_editor):  # type: ignore[no-untyped-def]
    from loket.mandates.codes import policy_domain_by_label, policy_domains

    known = policy_domains()
    Holder = apps.get_model("mandates", "Holder")
    for holder in Holder.objects.exclude(policy_domains=[]).iterator():
        uris = []
        for value in holder.policy_domains:
            uri = value if value in known else policy_domain_by_label(str(value))
            if uri and uri not in uris:
                uris.append(uri)
        if uris != holder.policy_domains:
            holder.policy_domains = uris
            holder.save(update_fields=["policy_domains"])


class Migration(migrations.Migration):
    dependencies = [("mandates", "0003_alter_holder_created_at_alter_holder_deleted_at_and_more")]

    operations = [migrations.RunPython(labels_to_uris, migrations.RunPython.noop)]
