"""Checksums of every table, to prove an operation changed nothing (or put
everything back). Works the same on SQLite and PostgreSQL: each table's rows,
ordered by primary key, are hashed from Python values."""

import hashlib

from django.apps import apps


def table_checksums() -> dict[str, str]:
    """{db_table: sha256 of its rows} for every model table, m2m included."""
    sums = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [field.attname for field in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*fields)
        digest = hashlib.sha256()
        for row in rows.iterator():
            digest.update(repr(row).encode())
            digest.update(b"\n")
        sums[model._meta.db_table] = digest.hexdigest()
    return sums


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        name
        for name in before.keys() | after.keys()
        if before.get(name) != after.get(name)
    )
