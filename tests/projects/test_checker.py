"""The plan checker: each finding appears on bad data and disappears when fixed."""

import pytest
from django.urls import reverse

from budgets import checker
from budgets.checker import plan_findings
from projects.models import Project, ProjectKPI, ProjectResponsible
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ObjectiveFactory,
    ProjectFactory,
    QuarterPlanFactory,
)
from tests.projects.conftest import complete

pytestmark = pytest.mark.django_db


def _codes(plan) -> list[str]:
    return [finding.code for finding in plan_findings(plan)]


def test_a_complete_project_has_no_findings(ready_project, plan):
    assert plan_findings(plan) == []


def test_empty_project_gets_each_project_level_finding(project, plan):
    Project.objects.filter(pk=project.pk).update(uses_budget=True)
    findings = plan_findings(plan)
    assert [f.code for f in findings] == [
        "no_strategy",
        "no_kpi",
        "no_responsible",
        "no_objective",
        "no_cost_lines",
    ]
    assert findings[0].message == checker.NO_STRATEGY
    assert findings[0].url == reverse(
        "admin:projects_project_change", args=[project.pk]
    )


def test_findings_disappear_when_fixed(project, plan, strategy):
    assert "no_strategy" in _codes(plan)
    complete(project, strategy)
    assert _codes(plan) == []
    ProjectResponsible.objects.filter(project=project).delete()
    assert _codes(plan) == ["no_responsible"]


def test_activity_outside_period_and_without_months(ready_project, plan):
    late = ActivityFactory(
        project=ready_project, order=2, name="สรุปผล", months=["2025-10-01"]
    )
    empty = ActivityFactory(project=ready_project, order=3, name="นิเทศ", months=[])
    findings = plan_findings(plan)
    assert [f.code for f in findings] == ["activity_outside", "activity_no_months"]
    assert findings[0].message == (
        "กิจกรรม “สรุปผล” มีเดือน ต.ค. 2568 อยู่นอกระยะเวลาโครงการ (ตุลาคม 2567 – กันยายน 2568)"
    )
    assert findings[0].url == reverse("admin:projects_activity_change", args=[late.pk])
    late.months = ["2025-09-01"]
    late.save()
    empty.months = ["2025-01-01"]
    empty.save()
    assert plan_findings(plan) == []


def test_kpi_without_method_or_instrument(ready_project, plan):
    ProjectKPI.objects.filter(project=ready_project).update(method="", instrument="")
    findings = plan_findings(plan)
    assert [f.code for f in findings] == ["kpi_no_method"]
    assert "วิธีการประเมิน และ เครื่องมือที่ใช้" in findings[0].message
    ProjectKPI.objects.filter(project=ready_project).update(
        method="สอบถาม", instrument="แบบสอบถาม"
    )
    assert plan_findings(plan) == []


def test_cost_lines_not_matching_the_quarterly_plan(ready_project, plan):
    # given: lines 2,400 + 1,000 = 3,400 but quarters 2,000 + 1,000 = 3,000
    Project.objects.filter(pk=ready_project.pk).update(uses_budget=True)
    activity = ready_project.activities.get()
    CostLineFactory(activity=activity, amount=2400)
    CostLineFactory(activity=activity, times=None, persons=None, rate=None, amount=1000)
    QuarterPlanFactory(activity=activity, quarter=1, amount=2000)
    second = QuarterPlanFactory(activity=activity, quarter=2, amount=1000)
    # then
    findings = plan_findings(plan)
    assert [f.code for f in findings] == ["budget_mismatch"]
    assert "3,400.00" in findings[0].message
    assert "3,000.00" in findings[0].message
    assert "ต่างกัน 400.00 บาท" in findings[0].message
    # when fixed
    second.amount = 1400
    second.save()
    assert plan_findings(plan) == []


def test_quarter_plan_without_cost_lines_is_a_mismatch(ready_project, plan):
    QuarterPlanFactory(activity=ready_project.activities.get(), quarter=1, amount=500)
    assert _codes(plan) == ["budget_mismatch"]


def test_checker_queries_do_not_grow_with_projects(
    plan, strategy, group_a, django_assert_num_queries
):
    for _ in range(5):
        project = ProjectFactory(plan=plan, group=group_a, uses_budget=True)
        complete(project, strategy)
        ObjectiveFactory(project=project)
        ActivityFactory(project=project, months=["2030-01-01"])
        CostLineFactory(activity=project.activities.first())
    # projects, activities with sums, KPIs without method
    with django_assert_num_queries(3):
        findings = plan_findings(plan)
    # each project: one activity outside the period, one budget with no quarters
    assert (
        sorted(f.code for f in findings)
        == ["activity_outside"] * 5 + ["budget_mismatch"] * 5
    )
