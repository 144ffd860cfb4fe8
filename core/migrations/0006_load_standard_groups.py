"""Standard groups arrive with ``migrate`` (core.reference_data)."""

from django.db import migrations

from core.reference_data import migration_loader


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_retire_reference_data"),
    ]

    operations = [
        migrations.RunPython(
            migration_loader("standard_groups"), migrations.RunPython.noop
        ),
    ]
