"""The 34 dispatch rules the Loket starts with (data; agency admins edit them afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from loket.worship.dispatch_rules import DT, SEED

    rule_model = apps.get_model("worship", "DispatchRule")
    if rule_model.objects.exists():
        return
    rule_model.objects.bulk_create(
        rule_model(
            name=name,
            document_type_uri=DT + type_path,
            senders=senders,
            central_board_condition=condition,
            subject=subject,
            receivers=receivers,
        )
        for name, type_path, senders, condition, subject, receivers in SEED
    )


class Migration(migrations.Migration):
    dependencies = [("worship", "0002_remove_dispatchrule_sender_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
