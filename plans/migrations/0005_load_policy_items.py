"""The OBEC policy chain of every fiscal year shipped arrives with
``migrate`` (core.reference_data)."""

from django.db import migrations

from core.reference_data import migration_loader


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_retire_reference_data"),
    ]

    operations = [
        migrations.RunPython(
            migration_loader("policy_items"), migrations.RunPython.noop
        ),
    ]
