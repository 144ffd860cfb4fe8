"""What a project revision changes: the approved copy ("เดิม") against the
changed one ("ปรับเป็น"), both sheet dicts (``projects.selectors``: a frozen
``ProjectRevision.snapshot`` or a live sheet).

One comparison for every place that shows it: the memo asking approval
(``reports.revision_memo``, before/after tables) and the director's
approvals queue (``budgets.approvals``, one line per waiting revision). It
lives in ``projects`` so that both layers above may use it; a second copy
in the queue would soon disagree with the memo the director signs.

Activities are matched by their row id: an activity renamed or moved keeps
its id, a dropped one is missing from "ปรับเป็น" and an added one from "เดิม".
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.thai import ZERO, parse_decimal

UNCLASSIFIED = "ไม่ระบุหมวด"


@dataclass
class ChangeRow:
    """One line of the before/after table: เดิม / ปรับเป็น / เพิ่ม(ลด)."""

    label: str
    before: Decimal
    after: Decimal
    note: str = ""

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass
class Comparison:
    """The totals, the rows per activity and per expense category, and the
    activities added, dropped and moved in words."""

    before_total: Decimal
    after_total: Decimal
    activities: list[ChangeRow]
    #: ``None`` when a copy has no cost lines stored (an old frozen copy, or
    #: a live sheet compared without them, as the queue does)
    categories: list[ChangeRow] | None
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)

    @property
    def change(self) -> Decimal:
        return self.after_total - self.before_total

    @property
    def transferred(self) -> bool:
        """Money moved between activities while the total stayed."""
        return not self.change and any(row.change for row in self.activities)


def money(value) -> Decimal:
    """An amount of a sheet dict: a number, or a decimal string (JSON), or
    in snapshots older than money kept as a number the formatted text
    ("12,345.00"), read by the app's one number parser."""
    if value in (None, ""):
        return ZERO
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return parse_decimal(value)


def sheet_total(sheet: dict) -> Decimal:
    """A sheet's budget; snapshots older than money kept as a number hold it
    as text under ``budget_total`` (see ``projects.selectors.revision_sheet``)."""
    return money(sheet.get("total_budget", sheet.get("budget_total")))


def _label(row: dict) -> str:
    return f"{row['number']}. {row['name']}"


def activity_changes(before: dict, after: dict) -> tuple[list[ChangeRow], dict]:
    """Per activity (the revised order, dropped ones after their old
    neighbours), and the added, dropped and moved activities in words."""
    old = OrderedDict((row["id"], row) for row in before.get("activities", []))
    new = OrderedDict((row["id"], row) for row in after.get("activities", []))
    rows, added, dropped, moved = [], [], [], []
    for key, row in new.items():
        was = old.get(key)
        note = "" if was else "เพิ่มใหม่"
        rows.append(
            ChangeRow(
                _label(row),
                money(was["budget"]) if was else ZERO,
                money(row["budget"]),
                note,
            )
        )
        if was is None:
            added.append(f"{_label(row)} ({row['months_label']})")
        elif was["months"] != row["months"]:
            moved.append(
                f"{_label(row)}: เดิม {was['months_label']} ปรับเป็น {row['months_label']}"
            )
    for key, row in old.items():
        if key not in new:
            rows.append(ChangeRow(_label(row), money(row["budget"]), ZERO, "ยกเลิก"))
            dropped.append(_label(row))
    if before.get("duration") != after.get("duration"):
        moved.insert(
            0,
            f"ระยะเวลาดำเนินการโครงการ: เดิม {before.get('duration', '-')} "
            f"ปรับเป็น {after.get('duration', '-')}",
        )
    return rows, {"added": added, "dropped": dropped, "moved": moved}


def category_changes(before: dict, after: dict) -> list[ChangeRow] | None:
    """Per expense category (its order in the office's list), from the cost
    lines of both copies; ``None`` when a copy has no cost lines stored (a
    revision frozen before snapshots kept them)."""
    if "cost_lines" not in before or "cost_lines" not in after:
        return None
    sums: dict[str, list] = {}
    for side, snapshot in ((0, before), (1, after)):
        for line in snapshot["cost_lines"]:
            key = line["category_code"]
            entry = sums.setdefault(
                key,
                [line["category_order"], line["category"] or UNCLASSIFIED, ZERO, ZERO],
            )
            entry[2 + side] += money(line["amount"])
    ordered = sorted(sums.items(), key=lambda item: (not item[0], item[1][0], item[0]))
    return [ChangeRow(name, old, new) for _, (_, name, old, new) in ordered]


def compare(before: dict, after: dict) -> Comparison:
    """The whole comparison of two sheet dicts (no query)."""
    rows, changed = activity_changes(before, after)
    return Comparison(
        before_total=sheet_total(before),
        after_total=sheet_total(after),
        activities=rows,
        categories=category_changes(before, after),
        **changed,
    )
