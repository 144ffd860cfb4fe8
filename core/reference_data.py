"""The shared reference lists, loaded by ``migrate`` from ``fixtures/*.json``.

A real office starts from ``migrate`` alone, so the lists every office reads
(standard groups, expense categories, budget sources, the OBEC policy chain)
arrive with the data migrations of the apps that own them, each calling
:func:`sync_fixture`. The JSON fixtures stay the one home of the data:
``load_demo`` no longer loads them, and next year's policy items are shipped
by editing ``fixtures/policy_items.json`` and adding a migration that calls
:func:`sync_fixture` again.

A row is found by its natural key (a code, or for a policy item its kind,
parent, number and first fiscal year), never by primary key alone, so an
install that already has the rows (from ``load_demo``, an earlier
migration or a superuser) gets them updated in place, never twice.
The fixture's other fields win (a superuser's rename of a shipped row is
undone by the next migration that syncs that list); ``is_active`` is not in
the fixtures and never touched: a row a superuser retired stays retired
(``core.reference``). Changing a key field in a fixture makes a new row:
retire the old one rather than editing its key.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models

#: (fixture name, natural key fields), in the order the apps' migrations use.
REFERENCE_FIXTURES = {
    "standard_groups": ("code",),
    "expense_categories": ("code",),
    "budget_sources": ("organization", "code"),
    "policy_items": ("kind", "parent", "code", "fiscal_year_start"),
}


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def fixture_path(name: str) -> Path:
    """``<name>.json`` in ``FIXTURE_DIRS`` or an app's ``fixtures`` folder."""
    folders = [Path(folder) for folder in settings.FIXTURE_DIRS] + [
        Path(config.path) / "fixtures" for config in apps.get_app_configs()
    ]
    for folder in folders:
        path = folder / f"{name}.json"
        if path.exists():
            return path
    raise FileNotFoundError(f"ไม่พบไฟล์ข้อมูลตั้งต้น {name}.json")


def read_fixture(name: str) -> list[dict]:
    with fixture_path(name).open(encoding="utf-8") as handle:
        return json.load(handle)


def sync_fixture(registry, name: str, using: str = DEFAULT_DB_ALIAS) -> SyncResult:
    """Create or update the rows of ``fixtures/<name>.json``; returns counts.

    ``registry`` is a migration's ``apps`` (historical models) or
    ``django.apps.apps``. Records must list a parent before its children
    (they do); a self-referencing ``parent`` is resolved through the rows
    matched in this run, so a tree is rebuilt on whatever primary keys the
    database gave it. A new row takes the fixture's primary key when it is
    free (the demo office and older backups name rows by these keys),
    otherwise the next one.
    """
    key = REFERENCE_FIXTURES[name]
    result = SyncResult()
    matched: dict[tuple[str, int], int] = {}
    touched: set[type] = set()
    for record in read_fixture(name):
        model = registry.get_model(record["model"])
        manager = model._base_manager.db_manager(using)
        values = {}
        for field_name, raw in record["fields"].items():
            field = model._meta.get_field(field_name)
            if isinstance(field, models.ForeignKey):
                if raw is not None and field.related_model is model:
                    raw = matched[(record["model"], raw)]
                values[field.attname] = raw
            else:
                values[field_name] = raw
        attnames = [model._meta.get_field(field).attname for field in key]
        lookup = {attname: values[attname] for attname in attnames}
        row = manager.filter(**lookup).order_by("pk").first()
        if row is None:
            pk = record["pk"]
            if manager.filter(pk=pk).exists():
                pk = None
            row = manager.create(pk=pk, **values)
            touched.add(model)
            result.created += 1
        else:
            changed = [
                attname
                for attname, value in values.items()
                if getattr(row, attname) != value
            ]
            if changed:
                for attname in changed:
                    setattr(row, attname, values[attname])
                row.save(update_fields=changed)
                result.updated += 1
            else:
                result.unchanged += 1
        matched[(record["model"], record["pk"])] = row.pk
    if touched:
        _reset_sequences(using, touched)
    return result


def _reset_sequences(using: str, touched: set[type]) -> None:
    """After rows with explicit primary keys, PostgreSQL's sequences must move
    past them or the next row added in the admin would collide."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(touched))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
