"""The OBEC policy chain of every fiscal year shipped arrives with
``migrate`` (core.reference_data)."""

from django.db import migrations

from core.reference_data import sync_fixture


def load(apps, schema_editor):
    sync_fixture(apps, "policy_items", using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_retire_reference_data"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
