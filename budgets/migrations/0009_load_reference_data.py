"""Expense categories and budget sources arrive with ``migrate``
(core.reference_data)."""

from django.db import migrations

from core.reference_data import sync_fixture


def load(apps, schema_editor):
    sync_fixture(apps, "expense_categories", using=schema_editor.connection.alias)
    sync_fixture(apps, "budget_sources", using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0008_retire_reference_data"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
