"""The 13th National Economic and Social Development Plan and its 13
หมุดหมาย arrive in databases migrated before they were added to
``fixtures/policy_items.json`` (0005 already loads them on a new install).

:func:`core.reference_data.sync_fixture` finds rows by natural key, so the
items already shipped are left as they are (or put back to the fixture's
text) and nothing is created twice.
"""

from django.db import migrations

from core.reference_data import sync_fixture


def load(apps, schema_editor):
    sync_fixture(apps, "policy_items", using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0011_policy_item_development_plan_kind"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
