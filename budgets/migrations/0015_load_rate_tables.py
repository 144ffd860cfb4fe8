"""The shared rate table (``fixtures/rate_tables.json``) arrives with
``migrate``, like the other reference lists (core.reference_data).

Rows are found by their natural keys (a shared table by its year, a limit by
its table, kind and label), so running it on a database that has them
updates them in place; an office's own tables are never touched.
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "rate_tables.json"


def load(apps, schema_editor):
    using = schema_editor.connection.alias
    RateTable = apps.get_model("budgets", "RateTable")
    RateLimit = apps.get_model("budgets", "RateLimit")
    tables = {}
    for record in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = dict(record["fields"])
        if record["model"] == "budgets.ratetable":
            fields.pop("organization", None)
            year = fields.pop("fiscal_year")
            table, _ = RateTable.objects.using(using).update_or_create(
                organization=None, fiscal_year=year, defaults=fields
            )
            tables[record["pk"]] = table
        else:
            table = tables[fields.pop("table")]
            RateLimit.objects.using(using).update_or_create(
                table=table,
                kind=fields.pop("kind"),
                label=fields.pop("label"),
                defaults=fields,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0014_rate_tables"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
