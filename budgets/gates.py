"""The plan approval gate (issue 17 item 6), registered with
:mod:`plans.approval` by ``budgets.apps.BudgetsConfig.ready``.

A plan is approved as a whole: a director who signs it while a project in it
is still a draft, or while the checker finds money that does not add up,
approves a book that is not final. This is the lowest layer that sees both
the projects' statuses and the checker, so the gate lives here; the
approval itself stays in :func:`plans.services.plan_approve`, which every
path (the screen, the admin action) goes through.
"""

from django.urls import reverse

from budgets.checker import plan_findings
from plans.approval import Blocker
from projects.models import Project

PROJECT_NOT_APPROVED = "โครงการยังไม่อนุมัติ (สถานะ: {status})"


def plan_approval_blockers(plan, findings=None) -> list[Blocker]:
    """The projects of ``plan`` not yet approved, then the checker's blocking
    findings (:data:`budgets.checker.BLOCKING_CODES`), in plan order.

    ``findings``: the plan's :func:`plan_findings` when the caller already
    ran them (the approvals queue shows them too), so one page runs the
    checker once."""
    blockers = [
        Blocker(
            subject=str(project),
            message=PROJECT_NOT_APPROVED.format(status=project.get_status_display()),
            url=reverse("admin:projects_project_change", args=[project.pk]),
            link_label="เปิดโครงการ",
        )
        for project in Project.objects.filter(plan=plan)
        .exclude(status=Project.Status.APPROVED)
        .order_by("sequence", "pk")
    ]
    for finding in plan_findings(plan) if findings is None else findings:
        if finding.blocking:
            blockers.append(
                Blocker(
                    subject=str(finding.project)
                    if finding.project
                    else finding.subject,
                    message=finding.message,
                    url=finding.url,
                    link_label=finding.link_label,
                )
            )
    return blockers
