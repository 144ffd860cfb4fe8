"""The demo project sheets: realistic, in several states, idempotent."""

import pytest
from django.http import HttpRequest
from django.urls import reverse

from budgets.checker import plan_findings
from core.thai import current_fiscal_year
from home import demo
from plans.demo import load_demo_plan
from plans.models import Plan
from projects.demo import PROJECTS, load_demo_projects, project_codes
from projects.models import (
    Activity,
    Project,
    ProjectKPI,
    ProjectRevision,
    ProjectTransition,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_office(monkeypatch):
    monkeypatch.setattr(
        demo,
        "DEMO_BUILDERS",
        [load_demo_plan, load_demo_projects],
    )
    demo.load_demo(password="demo-pass")


def _state():
    return {
        "projects": list(
            Project.objects.order_by("pk").values_list(
                "pk", "code", "status", "version"
            )
        ),
        "activities": list(
            Activity.objects.order_by("pk").values_list(
                "pk", "project_id", "order", "months"
            )
        ),
        "kpis": list(ProjectKPI.objects.order_by("pk").values_list("pk", "order")),
        "transitions": list(
            ProjectTransition.objects.order_by("pk").values_list("pk", "to_status")
        ),
        "revisions": list(
            ProjectRevision.objects.order_by("pk").values_list("pk", "version")
        ),
    }


def test_demo_has_at_least_15_projects_in_5_groups_and_several_states(demo_office):
    plan = Plan.objects.get(organization_id=1, fiscal_year=current_fiscal_year())
    projects = Project.objects.filter(plan=plan)
    assert projects.count() == len(PROJECTS) >= 15
    assert projects.values("group").distinct().count() >= 5
    statuses = set(projects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "checked", "approved", "returned"}
    assert sorted(projects.values_list("code", flat=True)) == project_codes(
        plan.fiscal_year
    )
    returned = projects.filter(status="returned").first()
    assert returned.transitions.last().comment
    revised = projects.get(code=project_codes(plan.fiscal_year)[0])
    assert (revised.status, revised.version) == ("approved", 2)
    assert revised.revisions.get().version == 1


def test_demo_is_idempotent(demo_office):
    before = _state()
    load_demo_projects()
    assert _state() == before


def test_demo_sheets_render_and_the_checker_flags_the_unfinished_one(
    demo_office, client
):
    client.login(request=HttpRequest(), username="planner", password="demo-pass")
    plan = Plan.objects.get(organization_id=1, fiscal_year=current_fiscal_year())
    for project in Project.objects.filter(plan=plan):
        assert (
            client.get(reverse("projects:detail", args=[project.pk])).status_code == 200
        )
    unfinished = Project.objects.get(plan=plan, name="ส่งเสริมการจัดการศึกษาปฐมวัย")
    codes = {f.code for f in plan_findings(plan) if f.project == unfinished}
    assert {"no_strategy", "no_kpi", "activity_no_months"} <= codes
    assert client.get(reverse("projects:list")).status_code == 200
    assert client.get(reverse("projects:checker")).status_code == 200
