"""The director's approvals queue (issue 18 item 3): the projects waiting for
approval, each with the plan checker's findings, and the plan behind its gate.

It lives in ``budgets`` for the checker's reason (half the findings are about
money; see :mod:`budgets.checker`). The findings come from one run of
:func:`budgets.checker.plan_findings` grouped by project, never a check per
row, and the plan's blockers from the same run through the gate
(:func:`budgets.gates.plan_approval_blockers`), so the page costs the same
queries for 2 projects or 200.
"""

from dataclasses import dataclass, field

from budgets.checker import Finding, plan_findings
from budgets.gates import plan_approval_blockers
from plans.approval import Blocker
from plans.models import Plan
from projects.models import Project
from projects.selectors import project_list


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
class ApprovalQueue:
    plan: Plan | None
    rows: list[QueueRow]
    #: The plan waits for approval (เสนออนุมัติ).
    plan_waiting: bool = False
    #: What stops the plan's approval now (empty: it may be approved).
    plan_blockers: list[Blocker] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Items waiting: the projects, and the plan when it waits."""
        return len(self.rows) + (1 if self.plan_waiting else 0)

    def next_after(self, decided: set[int]) -> Project | None:
        """The first waiting project not among ``decided`` (the one the
        director goes to next)."""
        for row in self.rows:
            if row.project.pk not in decided:
                return row.project
        return None


def approval_queue(*, organization, fiscal_year: int) -> ApprovalQueue:
    """The office's projects checked and waiting for approval (ตรวจแล้ว) in
    plan order, with their findings, and the plan's state and blockers.

    10 queries whatever the number of projects: plan 1, waiting projects 1,
    the checker 7, the gate's not-yet-approved projects 1 (only while the
    plan waits; 9 otherwise). No plan: 2.
    """
    plan = (
        Plan.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .select_related("organization")
        .first()
    )
    projects = project_list(
        organization=organization,
        fiscal_year=fiscal_year,
        status=Project.Status.CHECKED,
    )
    rows = {project.pk: QueueRow(project) for project in projects}
    if plan is None:
        return ApprovalQueue(plan=None, rows=list(rows.values()))
    findings = plan_findings(plan)
    for finding in findings:
        if finding.project is not None and finding.project.pk in rows:
            rows[finding.project.pk].findings.append(finding)
    waiting = plan.status == Plan.Status.SUBMITTED
    return ApprovalQueue(
        plan=plan,
        rows=list(rows.values()),
        plan_waiting=waiting,
        plan_blockers=plan_approval_blockers(plan, findings=findings)
        if waiting
        else [],
    )
