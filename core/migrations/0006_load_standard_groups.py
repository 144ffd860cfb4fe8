"""Standard groups arrive with ``migrate`` (core.reference_data)."""

from django.db import migrations

from core.reference_data import sync_fixture


def load(apps, schema_editor):
    sync_fixture(apps, "standard_groups", using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_retire_reference_data"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
