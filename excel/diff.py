"""The preview's diff: what confirming an import adds, changes and removes.

The import already matches every row of the file to its stored row by a
natural key (project code, ข้อที่/ลำดับ, quarter, strategy number …) to
decide between create and update. The diff is that same match, printed:
row by row, each changed field with its stored and its new value as the
screens show them (names, not ids; baht; Thai months). It is computed from
the objects the import loaded anyway, so the preview costs no query per row.
"""

import datetime
from dataclasses import dataclass, field

from core import thai
from core.history import display_value

#: Values the import sets that are not the file's (bookkeeping, positions).
NOT_SHOWN = frozenset({"order", "updated_at", "edit_version"})


@dataclass(frozen=True)
class FieldDiff:
    """One changed value of a row: its Thai label, old and new as printed."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RowDiff:
    """One row of the diff, named by its natural key (project code, order)."""

    key: str
    changes: tuple[FieldDiff, ...] = ()


@dataclass
class SheetCounts:
    """What importing one sheet creates, changes, leaves as is and deletes,
    and, row by row, the diff against the database the preview shows.

    ``kept_rows`` are stored rows the file does not have and the import
    leaves alone (projects of the plan not in the file); ``removed_rows`` are
    stored rows the import deletes (child rows of a project in the file, rows
    of an office sheet the file replaces).
    """

    sheet: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    added_rows: list[RowDiff] = field(default_factory=list)
    changed_rows: list[RowDiff] = field(default_factory=list)
    removed_rows: list[RowDiff] = field(default_factory=list)
    kept_rows: list[RowDiff] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def kept(self) -> int:
        return len(self.kept_rows)

    @property
    def changes(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def add(self, key: str) -> None:
        self.created += 1
        self.added_rows.append(RowDiff(key))

    def change(self, key: str, changes) -> None:
        self.updated += 1
        self.changed_rows.append(RowDiff(key, tuple(changes)))

    def same(self) -> None:
        self.unchanged += 1

    def remove(self, key: str) -> None:
        self.deleted += 1
        self.removed_rows.append(RowDiff(key))

    def keep(self, key: str) -> None:
        self.kept_rows.append(RowDiff(key))


def shown(model_field, value, labels: dict | None = None) -> str:
    """A value as the screens print it; activity months as Thai months."""
    if model_field is not None and model_field.name == "months" and value:
        return ", ".join(
            thai.thai_month_year(
                datetime.date.fromisoformat(v) if isinstance(v, str) else v
            )
            for v in value
        )
    return display_value(model_field, value, labels)


def field_changes(
    obj, values: dict, labels: dict | None = None, skip=NOT_SHOWN
) -> list[FieldDiff]:
    """The fields of ``values`` that differ from stored ``obj``, old → new.

    ``labels`` maps a related model to ``{pk: name}`` (loaded once by the
    import), so a changed group or category prints its name.
    """
    result = []
    opts = obj._meta
    for name, new in values.items():
        if name in skip:
            continue
        old = getattr(obj, name)
        if old == new:
            continue
        model_field = opts.get_field(name)
        names = None
        if model_field.is_relation and labels is not None:
            names = labels.get(model_field.related_model, {})
        result.append(
            FieldDiff(
                str(model_field.verbose_name),
                shown(model_field, old, names),
                shown(model_field, new, names),
            )
        )
    return result


def numbers(values) -> str:
    """``{3, 1}`` → "1, 3" ("–" when empty), for link lists."""
    return ", ".join(str(v) for v in sorted(values)) or "–"


def short(text, limit: int = 60) -> str:
    """A row's text cut for a key label ("ข้อ 2 เพื่อพัฒนาครู…")."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
