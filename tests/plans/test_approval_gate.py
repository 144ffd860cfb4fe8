"""The plan approval gate (issue 17 item 6): no approval while a project is
not approved or the checker finds a blocking problem, unless the director
records an override with a reason. Through the real screens, with valid
requests; every refusal leaves the plan (and its history) as it was."""

import html

import pytest
from django.urls import reverse

from budgets import checker
from budgets.checker import plan_findings
from budgets.gates import PROJECT_NOT_APPROVED
from plans import services
from plans.approval import approval_blockers
from plans.models import Plan
from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _submitted(plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)
    plan.refresh_from_db()
    return plan


def _state(plan):
    """Everything an approval writes, and the plan's history length."""
    plan = Plan.objects.get(pk=plan.pk)
    return (
        plan.status,
        plan.approved_at,
        plan.approved_by_id,
        plan.override_reason,
        plan.override_by_id,
        plan.override_at,
        plan.history.count(),
    )


@pytest.fixture
def draft_project(plan):
    return ProjectFactory(plan=plan, uses_budget=False, name="โครงการค้างร่าง")


@pytest.fixture
def director_client(client, director):
    director.is_staff = True
    director.save(update_fields=["is_staff"])
    client.force_login(director)
    return client


def test_approve_refused_while_a_project_is_not_approved(
    director_client, plan, draft_project
):
    _submitted(plan)
    before = _state(plan)
    response = director_client.post(reverse("plans:approve", args=[plan.pk]))
    assert response.status_code == 302
    assert _state(plan) == before
    page = html.unescape(director_client.get(response.url).content.decode())
    assert "ยังอนุมัติแผนไม่ได้" in page
    assert "โครงการค้างร่าง: " + PROJECT_NOT_APPROVED.format(status="ร่าง") in page
    link = reverse("admin:projects_project_change", args=[draft_project.pk])
    assert f'href="{link}"' in page
    assert 'name="override_reason"' in page


def test_a_blocking_checker_finding_stops_approval_and_is_linked(director_client, plan):
    project = ProjectFactory(
        plan=plan, uses_budget=True, status=Project.Status.APPROVED
    )
    _submitted(plan)
    codes = {f.code for f in plan_findings(plan) if f.blocking}
    assert codes == {"no_cost_lines"}
    before = _state(plan)
    response = director_client.post(
        reverse("plans:approve", args=[plan.pk]), follow=True
    )
    page = html.unescape(response.content.decode())
    assert _state(plan) == before
    assert checker.NO_COST_LINES in page
    assert reverse("admin:projects_project_change", args=[project.pk]) in page


def test_advisory_findings_do_not_stop_approval(director_client, plan):
    ProjectFactory(plan=plan, uses_budget=False, status=Project.Status.APPROVED)
    _submitted(plan)
    assert plan_findings(plan)  # no objective, no KPI…: advisory only
    assert approval_blockers(plan) == []
    director_client.post(reverse("plans:approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert plan.override_reason == "" and plan.override_at is None


def test_blank_override_reason_is_refused(director_client, plan, draft_project):
    _submitted(plan)
    before = _state(plan)
    director_client.post(
        reverse("plans:approve", args=[plan.pk]), {"override_reason": "   "}
    )
    assert _state(plan) == before


def test_override_with_a_reason_approves_and_is_recorded(
    director_client, plan, draft_project, director
):
    _submitted(plan)
    response = director_client.post(
        reverse("plans:approve", args=[plan.pk]),
        {"override_reason": "ต้องประกาศใช้แผนตามกำหนดของ สพฐ."},
        follow=True,
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert plan.approved_by == director
    assert plan.override_reason == "ต้องประกาศใช้แผนตามกำหนดของ สพฐ."
    assert plan.override_by == director
    assert plan.override_at is not None
    assert "โครงการค้างร่าง" in plan.override_blockers
    latest = plan.history.first()
    assert latest.history_change_reason == (
        "อนุมัติโดยไม่รอเงื่อนไข: ต้องประกาศใช้แผนตามกำหนดของ สพฐ."
    )
    assert latest.history_user == director
    page = html.unescape(response.content.decode())
    assert "อนุมัติโดยไม่รอเงื่อนไข" in page
    assert "ต้องประกาศใช้แผนตามกำหนดของ สพฐ." in page


def test_admin_action_is_gated_too(director_client, plan, draft_project):
    _submitted(plan)
    before = _state(plan)
    response = director_client.post(
        reverse("admin:plans_plan_changelist"),
        {"action": "approve_plans", "_selected_action": [plan.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert _state(plan) == before
    assert "ยังอนุมัติแผนไม่ได้" in html.unescape(response.content.decode())


def test_the_service_refuses_without_a_reason(plan, draft_project, director):
    _submitted(plan)
    before = _state(plan)
    with pytest.raises(services.ValidationError) as error:
        services.plan_approve(plan=plan, user=director)
    assert error.value.code == "blocked"
    assert _state(plan) == before


def test_a_revision_clears_the_override(plan, draft_project, director, planner):
    _submitted(plan)
    services.plan_approve(plan=plan, user=director, override_reason="เร่งด่วน")
    services.plan_start_revision(
        plan=plan,
        reason="ปรับตามงบที่ได้รับ",
        revised_on=plan.approved_at.date(),
        user=planner,
    )
    plan.refresh_from_db()
    assert (plan.override_reason, plan.override_by, plan.override_at) == (
        "",
        None,
        None,
    )
