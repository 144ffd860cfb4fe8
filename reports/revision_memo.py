"""The memo (บันทึกข้อความ) asking the director to approve a project revision.

A revision (``projects.models.ProjectRevision``) freezes the approved sheet
when ขอปรับแผน is pressed: its activities with their months and budgets and
its cost lines with their expense categories. The memo compares that frozen
copy ("เดิม") with the sheet as changed ("ปรับเป็น"): the project as it is now
while the revision is open or awaiting approval, or, once a later revision
was started, that later revision's frozen copy (which is what this revision
made), so an old memo prints the same figures years later.

Activities are matched by their row id: an activity renamed or moved keeps
its id, a dropped one is missing from "ปรับเป็น" and an added one from "เดิม".
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from core import thai
from core.thai import ZERO
from projects.models import ProjectRevision
from projects.services import project_snapshot

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
class Signature:
    role: str
    name: str
    position: str


@dataclass
class RevisionMemo:
    revision: ProjectRevision
    project_name: str
    office: str
    group: str
    subject: str
    reason: str
    written_on: str
    director_title: str
    before_total: Decimal
    after_total: Decimal
    activities: list[ChangeRow]
    #: ``None`` when the frozen copy predates the cost lines in snapshots
    categories: list[ChangeRow] | None
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    proposer: Signature | None = None
    approver: Signature | None = None

    @property
    def change(self) -> Decimal:
        return self.after_total - self.before_total


def _money(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else ZERO


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
                _money(was["budget"]) if was else ZERO,
                _money(row["budget"]),
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
            rows.append(ChangeRow(_label(row), _money(row["budget"]), ZERO, "ยกเลิก"))
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
            entry[2 + side] += _money(line["amount"])
    ordered = sorted(sums.items(), key=lambda item: (not item[0], item[1][0], item[0]))
    return [ChangeRow(name, old, new) for _, (_, name, old, new) in ordered]


def revised_copy(revision: ProjectRevision) -> dict:
    """What the revision made: the next revision's frozen copy, or the
    project as it is now (still open, awaiting approval, or the latest)."""
    later = (
        ProjectRevision.objects.filter(
            project_id=revision.project_id, version=revision.version + 1
        )
        .only("snapshot")
        .first()
    )
    if later is not None:
        return later.snapshot
    return project_snapshot(revision.project)


def _subject(name: str, before: Decimal, after: Decimal, rows: list[ChangeRow]):
    if before != after:
        return f"ขออนุมัติปรับแผนและปรับงบประมาณโครงการ{name}"
    if any(row.change for row in rows):
        return f"ขออนุมัติปรับแผนและโอนเปลี่ยนแปลงงบประมาณโครงการ{name}"
    return f"ขออนุมัติปรับแผนโครงการ{name}"


def _proposer(group, organization) -> Signature:
    """The group's (acting) head proposes; a blank line when none is recorded."""
    assignment = group.current_head_assignment()
    if assignment is None:
        return Signature("ผู้เสนอ", "", f"ผู้อำนวยการ{group.name}")
    assignment.group = group  # signature_position reads it; spare a query
    return Signature(
        "ผู้เสนอ", assignment.person.full_name, assignment.signature_position
    )


def _approver(organization) -> Signature:
    director = organization.director
    return Signature(
        "ผู้อนุมัติ",
        director.full_name if director else "",
        director.position
        if director and director.position
        else f"ผู้อำนวยการ{organization.name}",
    )


def revision_memo(revision: ProjectRevision) -> RevisionMemo:
    """Everything the memo prints (about 20 queries: one project sheet)."""
    project = revision.project
    organization = project.plan.organization
    before = revision.snapshot
    after = revised_copy(revision)
    rows, changed = activity_changes(before, after)
    before_total = _money(before.get("total_budget"))
    after_total = _money(after.get("total_budget"))
    name = after.get("name") or before.get("name") or project.name
    return RevisionMemo(
        revision=revision,
        project_name=name,
        office=organization.name,
        group=project.group.name,
        subject=_subject(name, before_total, after_total, rows),
        reason=revision.reason,
        written_on=thai.thai_date(thai.bangkok_date(revision.created_at)),
        director_title=f"ผู้อำนวยการ{organization.name}",
        before_total=before_total,
        after_total=after_total,
        activities=rows,
        categories=category_changes(before, after),
        proposer=_proposer(project.group, organization),
        approver=_approver(organization),
        **changed,
    )
