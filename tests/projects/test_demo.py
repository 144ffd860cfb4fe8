"""The demo project sheets (``fixtures/demo``'s workbooks, their workflow
replayed through ``projects.services``): realistic, in several states."""

import pytest
from django.http import HttpRequest
from django.urls import reverse

from budgets.checker import plan_findings
from home.demo import DEMO_YEARS, load_demo
from plans.models import Plan
from projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_office():
    load_demo(password="demo-pass")


def project_codes(fiscal_year: int, count: int = 17) -> list[str]:
    return [f"{fiscal_year % 100}-{number:03d}" for number in range(1, count + 1)]


def test_demo_has_at_least_15_projects_in_5_groups_and_several_states(demo_office):
    plan = Plan.objects.get(organization_id=1, fiscal_year=DEMO_YEARS[1])
    projects = Project.objects.filter(plan=plan)
    assert projects.count() == 17
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


def test_demo_sheets_render_and_the_checker_flags_the_unfinished_one(
    demo_office, client
):
    client.login(request=HttpRequest(), username="planner", password="demo-pass")
    plan = Plan.objects.get(organization_id=1, fiscal_year=DEMO_YEARS[1])
    for project in Project.objects.filter(plan=plan):
        assert (
            client.get(reverse("projects:detail", args=[project.pk])).status_code == 200
        )
    unfinished = Project.objects.get(plan=plan, name="ส่งเสริมการจัดการศึกษาปฐมวัย")
    codes = {f.code for f in plan_findings(plan) if f.project == unfinished}
    assert {"no_strategy", "no_kpi", "activity_no_months"} <= codes
    assert client.get(reverse("projects:list")).status_code == 200
    assert client.get(reverse("projects:checker")).status_code == 200
