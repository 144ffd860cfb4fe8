"""The director's approvals queue (issue 18 item 3): the projects waiting for
approval, each with the plan checker's findings, the plan changes waiting
(ขอปรับแผน, each with what it changes in one line), and the plan behind its
gate.

It lives in ``budgets`` for the checker's reason (half the findings are about
money; see :mod:`budgets.checker`). The findings come from one run of
:func:`budgets.checker.plan_findings` grouped by project, never a check per
row, and the plan's blockers from the same run through the gate
(:func:`budgets.gates.plan_approval_blockers`), so the page costs the same
queries for 2 projects or 200. The waiting revisions likewise: their frozen
copies in one query and their live sheets in one ``sheet_queryset()``,
compared by :func:`projects.revision_changes.compare`, the memo's own code.
"""

from dataclasses import dataclass, field

from django.db.models import F

from budgets.checker import Finding, plan_findings
from budgets.gates import plan_approval_blockers
from plans.approval import Blocker
from plans.models import Plan
from projects.models import Project, ProjectRevision
from projects.revision_changes import Comparison, compare
from projects.selectors import (
    project_list,
    revision_sheet,
    sheet_from_loaded,
    sheet_queryset,
)


@dataclass
class QueueRow:
    """One project waiting for the director, with what the checker found."""

    project: Project
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        """Findings that would also stop the plan's approval."""
        return [finding for finding in self.findings if finding.blocking]


@dataclass
class RevisionRow:
    """One plan change (รออนุมัติการปรับแผน) waiting for the director: the
    revision that froze the approved copy, and that copy against the live
    sheet (the memo's "เดิม" and "ปรับเป็น")."""

    project: Project
    revision: ProjectRevision
    changes: Comparison


@dataclass
class ApprovalQueue:
    plan: Plan | None
    rows: list[QueueRow]
    #: Plan changes waiting for approval, in plan order.
    revisions: list[RevisionRow] = field(default_factory=list)
    #: The plan waits for approval (เสนออนุมัติ).
    plan_waiting: bool = False
    #: What stops the plan's approval now (empty: it may be approved).
    plan_blockers: list[Blocker] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Items waiting: the projects, the plan changes, and the plan when
        it waits."""
        return len(self.rows) + len(self.revisions) + (1 if self.plan_waiting else 0)

    def next_after(self, decided: set[int]) -> Project | None:
        """The first waiting project not among ``decided`` (the one the
        director goes to next): new projects first, then plan changes."""
        for row in [*self.rows, *self.revisions]:
            if row.project.pk not in decided:
                return row.project
        return None


def pending_revisions(projects: list[Project]) -> list[RevisionRow]:
    """The open revision of each project waiting as รออนุมัติการปรับแผน,
    compared with its live sheet. No query without such projects; else 12
    whatever their number: the revisions 1, the sheets 11."""
    if not projects:
        return []
    ids = [project.pk for project in projects]
    # the one being decided froze the version before the project's own
    frozen = {
        revision.project_id: revision
        for revision in ProjectRevision.objects.filter(
            project_id__in=ids, version=F("project__version") - 1
        )
    }
    sheets = {
        project.pk: sheet_from_loaded(project)
        for project in sheet_queryset().filter(pk__in=ids)
    }
    rows = []
    for project in projects:
        revision = frozen.get(project.pk)
        if revision is None or project.pk not in sheets:
            continue
        before = revision_sheet(revision.snapshot)
        rows.append(RevisionRow(project, revision, compare(before, sheets[project.pk])))
    return rows


def approval_queue(*, organization, fiscal_year: int) -> ApprovalQueue:
    """The office's projects checked and waiting for approval (ตรวจแล้ว) in
    plan order, with their findings, the plan changes waiting (รออนุมัติ
    การปรับแผน), and the plan's state and blockers.

    10 queries whatever the number of projects: plan 1, waiting projects 1
    (both kinds at once), the checker 7, the gate's not-yet-approved projects
    1 (only while the plan waits; 9 otherwise). Plan changes add 12 however
    many wait (:func:`pending_revisions`). No plan: 2.
    """
    plan = (
        Plan.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .select_related("organization")
        .first()
    )
    waiting = project_list(
        organization=organization,
        fiscal_year=fiscal_year,
        status=(Project.Status.CHECKED, Project.Status.REVISION_PENDING),
    )
    projects = [p for p in waiting if p.status == Project.Status.CHECKED]
    revisions = pending_revisions(
        [p for p in waiting if p.status == Project.Status.REVISION_PENDING]
    )
    rows = {project.pk: QueueRow(project) for project in projects}
    if plan is None:
        return ApprovalQueue(plan=None, rows=list(rows.values()), revisions=revisions)
    findings = plan_findings(plan)
    for finding in findings:
        if finding.project is not None and finding.project.pk in rows:
            rows[finding.project.pk].findings.append(finding)
    plan_waiting = plan.status == Plan.Status.SUBMITTED
    return ApprovalQueue(
        plan=plan,
        rows=list(rows.values()),
        revisions=revisions,
        plan_waiting=plan_waiting,
        plan_blockers=plan_approval_blockers(plan, findings=findings)
        if plan_waiting
        else [],
    )
