"""Expense categories and budget sources arrive with ``migrate``
(core.reference_data)."""

from django.db import migrations

from core.reference_data import migration_loader


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0008_retire_reference_data"),
    ]

    operations = [
        migrations.RunPython(
            migration_loader("expense_categories", "budget_sources"),
            migrations.RunPython.noop,
        ),
    ]
