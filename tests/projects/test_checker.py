"""The plan checker: each finding appears on bad data and disappears when fixed."""

import pytest
from django.urls import reverse

from budgets import checker
from budgets.checker import plan_findings
from budgets.models import CostLine, ExpenseCategory, OperatingCost
from budgets.rollups import with_section_counts
from projects.models import Activity, Project, ProjectKPI, ProjectResponsible
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    ObjectiveFactory,
    OperatingCostFactory,
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
        "no_responsible",
        "no_objective",
        "no_target",
        "no_cost_lines",
        "no_activity",
        "no_kpi",
        "no_expected",
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
    # projects, activities with sums, KPIs without method or target, the
    # office's running costs without a category, its text indicators, the
    # cost lines with a rate and the rate limits in force
    with django_assert_num_queries(7):
        findings = plan_findings(plan)
    # each project: one activity outside the period, one budget with no quarters
    assert (
        sorted(f.code for f in findings)
        == ["activity_outside"] * 5 + ["budget_mismatch"] * 5
    )


# ---------------------------------------------------------- gaps a source leaves


def test_a_cost_line_without_a_category_is_listed_with_its_activity(
    ready_project, plan
):
    Project.objects.filter(pk=ready_project.pk).update(uses_budget=True)
    activity = ready_project.activities.get()
    QuarterPlanFactory(activity=activity, quarter=1, amount=3000)
    CostLineFactory(activity=activity, amount=2000)
    line = CostLineFactory(
        activity=activity,
        category=None,
        times=None,
        persons=None,
        rate=None,
        amount=1000,
    )
    findings = plan_findings(plan)
    assert [f.code for f in findings] == ["cost_line_no_category"]
    assert findings[0].message == checker.COST_LINES_NO_CATEGORY.format(
        activity=activity.name, count="1"
    )
    assert findings[0].url == reverse(
        "admin:projects_activity_change", args=[activity.pk]
    )
    CostLine.objects.filter(pk=line.pk).update(
        category=activity.cost_lines.first().category
    )
    assert plan_findings(plan) == []


def test_a_project_without_a_period_is_listed(ready_project, plan):
    """A source may give no period (the field becomes optional elsewhere):
    the checker says so and does not test the activities' months against
    a period that is not there."""
    project = with_section_counts(Project.objects.filter(pk=ready_project.pk)).get()
    project.start_month = project.end_month = None
    assert [f.code for f in checker._project_findings(project)] == ["no_period"]
    activity = ready_project.activities.get()
    activity.budget = activity.quarter_total = 0
    activity.n_quarter_plans = activity.n_unclassified = 0
    assert checker._activity_findings(activity, project) == []


def test_a_text_kpi_without_a_target_is_listed(ready_project, plan):
    ProjectKPI.objects.filter(project=ready_project).update(
        unit="text", target_value=None, target_text=""
    )
    findings = plan_findings(plan)
    assert [f.code for f in findings] == ["kpi_no_target"]
    ProjectKPI.objects.filter(project=ready_project).update(target_text="ระดับดี")
    assert plan_findings(plan) == []


def test_office_gaps_are_listed_on_the_screen_with_a_link_to_fix(
    client, planner, ready_project, plan, strategy
):
    """Running costs without a category and text indicators without this
    year's target belong to no project: listed under what they are."""
    cost = OperatingCostFactory(
        organization=plan.organization,
        fiscal_year=plan.fiscal_year,
        category=None,
        description="ค่าใช้จ่ายที่แหล่งข้อมูลไม่ระบุหมวด",
        amount=145000,
    )
    text = IndicatorFactory(
        strategy=strategy, number=2, name="ระดับความสำเร็จของ ITA", unit="text"
    )
    IndicatorFactory(strategy=strategy, number=3)  # numeric: not a gap here
    client.force_login(planner)
    content = client.get(
        reverse("projects:checker"), {"fiscal_year": plan.fiscal_year}
    ).content.decode()

    assert [f.code for f in plan_findings(plan)] == [
        "operating_no_category",
        "indicator_no_target",
    ]
    assert checker.OFFICE_SUBJECT in content
    assert "ค่าใช้จ่ายดำเนินงาน “ค่าใช้จ่ายที่แหล่งข้อมูลไม่ระบุหมวด” ยังไม่ระบุหมวดรายจ่าย" in content
    assert reverse("admin:budgets_operatingcost_change", args=[cost.pk]) in content
    assert "ตัวชี้วัดกลยุทธ์ 1.2 “ระดับความสำเร็จของ ITA” ยังไม่มีค่าเป้าหมายของปี 2568" in content
    assert reverse("admin:plans_indicator_change", args=[text.pk]) in content

    OperatingCost.objects.filter(pk=cost.pk).update(
        category=ExpenseCategory.objects.first()
    )
    IndicatorTargetFactory(
        indicator=text,
        fiscal_year=plan.fiscal_year,
        target_value=None,
        target_text="ระดับ AA",
    )
    assert plan_findings(plan) == []


def test_the_checker_and_the_completeness_column_are_one_check(project, plan, strategy):
    """Every missing section of the sheet (the admin's completeness column,
    ``Project.sections()``) is a checker finding and the reverse: section 6
    by the activity that has no months, the others by their own code."""

    def sections_missing():
        loaded = with_section_counts(Project.objects.filter(pk=project.pk)).get()
        return {section.number for section in loaded.missing_sections()}

    def sections_found():
        by_code = {code: n for n, (code, _) in checker.SECTION_FINDINGS.items()}
        by_code["activity_no_months"] = 6
        return {by_code[c] for c in _codes(plan) if c in by_code}

    Project.objects.filter(pk=project.pk).update(uses_budget=True, rationale="")
    assert sections_missing() == set(range(1, 9))
    assert sections_found() | {6} == sections_missing()  # 6 is implied by 5
    complete(project, strategy)
    ActivityFactory(project=project, order=2, months=[])
    assert sections_missing() == sections_found() == {1, 4, 6}
    Project.objects.filter(pk=project.pk).update(uses_budget=False, rationale="ก")
    Activity.objects.filter(project=project, months=[]).delete()
    assert sections_missing() == sections_found() == set()
