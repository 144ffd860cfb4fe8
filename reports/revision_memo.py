"""The memo (บันทึกข้อความ) asking the director to approve a project revision.

A revision (``projects.models.ProjectRevision``) freezes the approved sheet
when ขอปรับแผน is pressed: its activities with their months and budgets and
its cost lines with their expense categories. The memo compares that frozen
copy ("เดิม") with the sheet as changed ("ปรับเป็น"): the project as it is now
while the revision is open or awaiting approval, or, once a later revision
was started, that later revision's frozen copy (which is what this revision
made), so an old memo prints the same figures years later.

The comparison itself is :mod:`projects.revision_changes`, the same one the
director's approvals queue prints in one line.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from core import thai
from projects.models import ProjectRevision
from projects.revision_changes import ChangeRow, compare
from projects.services import project_snapshot


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
    changes = compare(before, after)
    name = after.get("name") or before.get("name") or project.name
    return RevisionMemo(
        revision=revision,
        project_name=name,
        office=organization.name,
        group=project.group.name,
        subject=_subject(
            name, changes.before_total, changes.after_total, changes.activities
        ),
        reason=revision.reason,
        written_on=thai.thai_date(thai.bangkok_date(revision.created_at)),
        director_title=f"ผู้อำนวยการ{organization.name}",
        before_total=changes.before_total,
        after_total=changes.after_total,
        activities=changes.activities,
        categories=changes.categories,
        added=changes.added,
        dropped=changes.dropped,
        moved=changes.moved,
        proposer=_proposer(project.group, organization),
        approver=_approver(organization),
    )
