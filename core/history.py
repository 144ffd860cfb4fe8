"""Audit history (django-simple-history) with Thai names, and the per-object
diffs shown on history pages and in edit-conflict messages.

Every domain model declares ``history = audit_history("…")``; a workflow that
asks for a reason (return comment, revision reason, round reopening) sets
``instance._change_reason`` before saving so the reason lands in the history
row written by that save.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from core.thai import bangkok_date, format_baht, thai_date

#: Fields that change on every save and say nothing to a reader.
NOISE_FIELDS = frozenset({"updated_at", "edit_version", "created_at"})

HISTORY_TYPE_LABELS = {"+": "สร้าง", "~": "แก้ไข", "-": "ลบ"}


def audit_history(verbose_name: str, **kwargs) -> HistoricalRecords:
    """``HistoricalRecords`` named in Thai, with a long change reason."""
    return HistoricalRecords(
        verbose_name=f"ประวัติการแก้ไข{verbose_name}",
        verbose_name_plural=f"ประวัติการแก้ไข{verbose_name}",
        history_change_reason_field=models.TextField("เหตุผลการแก้ไข", null=True),
        **kwargs,
    )


def set_change_reason(instance: models.Model, reason: str) -> None:
    """The next save of ``instance`` records ``reason`` in its history row."""
    instance._change_reason = reason


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One history row, ready to print: who, when, what, and the field diffs."""

    when: datetime.datetime
    user: object
    kind: str
    model_label: str
    object_label: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    sort_key: tuple = ()

    @property
    def kind_label(self) -> str:
        return HISTORY_TYPE_LABELS.get(self.kind, self.kind)


def display_value(model_field, value, labels: dict | None = None) -> str:
    """A stored value as a Thai reader expects it ("–" for empty)."""
    if value is None or value == "" or value == []:
        return "–"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if labels is not None and value in labels:
        return labels[value]
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, Decimal):
        return format_baht(value) if model_field.decimal_places == 2 else str(value)
    if isinstance(value, datetime.datetime):
        return thai_date(bangkok_date(value))
    if isinstance(value, datetime.date):
        return thai_date(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _m2m_names(record) -> list[str]:
    return [f.name for f in getattr(record, "_history_m2m_fields", [])]


def record_changes(
    record, previous, fk_labels: dict | None = None, m2m: dict | None = None
) -> list[FieldChange]:
    """Field-level diff of a history row against the row before it.

    ``diff_against`` compares raw values (foreign keys as ids, no queries);
    ``fk_labels`` maps related model → {pk: name}, fetched in bulk by the
    caller. Many-to-many fields are diffed from ``m2m`` (history id → field →
    set of ids, prefetched) when given, else by ``diff_against`` (queries).
    """
    if previous is None:
        return []
    excluded = set(NOISE_FIELDS)
    if m2m is not None:
        excluded.update(_m2m_names(record))
    delta = record.diff_against(previous, excluded_fields=excluded)
    opts = record.instance_type._meta
    result = []
    for change in delta.changes:
        model_field = opts.get_field(change.field)
        if model_field.many_to_many:
            old = _m2m_ids(change.old, model_field)
            new = _m2m_ids(change.new, model_field)
            result.append(_m2m_change(model_field, old, new, fk_labels))
            continue
        labels = None
        if model_field.is_relation and fk_labels is not None:
            labels = fk_labels.get(model_field.related_model, {})
        result.append(
            FieldChange(
                name=change.field,
                label=str(model_field.verbose_name),
                old=display_value(model_field, change.old, labels),
                new=display_value(model_field, change.new, labels),
            )
        )
    for name in _m2m_names(record) if m2m is not None else []:
        old = m2m.get(previous.history_id, {}).get(name, frozenset())
        new = m2m.get(record.history_id, {}).get(name, frozenset())
        if old != new:
            result.append(_m2m_change(opts.get_field(name), old, new, fk_labels))
    return result


def _m2m_ids(rows, model_field) -> frozenset:
    target = model_field.m2m_reverse_field_name()
    return frozenset(row.get(target) for row in rows or [])


def _m2m_change(model_field, old, new, fk_labels) -> FieldChange:
    labels = (fk_labels or {}).get(model_field.related_model, {})

    def names(ids) -> str:
        return ", ".join(sorted(labels.get(i, f"#{i}") for i in ids)) or "–"

    return FieldChange(
        name=model_field.name,
        label=str(model_field.verbose_name),
        old=names(old),
        new=names(new),
    )
