from decimal import Decimal

import pytest

from budgets.models import UNCLASSIFIED, OperatingCost, QuarterPlan
from budgets.rollups import annotate_project_budget
from budgets.selectors import budget_summary
from projects.models import Project
from tests.budgets.conftest import FISCAL_YEAR
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    DisbursementTargetFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def D(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def test_seed000_envelope_reconciles_exactly(seed000):
    # given the seed 000 year; when
    summary = budget_summary(
        organization=seed000.office, fiscal_year=FISCAL_YEAR, today=seed000.today
    )
    # then 775,000 + 225,000 = 1,000,000 and nothing is left over
    assert summary.totals["allocated"] == D(1000000)
    assert summary.totals["operating"] == D(775000)
    assert summary.project_total == D(225000)
    assert summary.remainder == D(0)
    [row] = summary.sources
    assert row.name == "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน"
    assert (row.allocated, row.operating, row.project_budget, row.remainder) == (
        D(1000000),
        D(775000),
        D(225000),
        D(0),
    )
    assert row.is_over is False
    assert summary.unsourced_projects == D(0)


def test_remainder_is_shown_when_not_everything_is_planned(seed000):
    seed000.small.activities.first().cost_lines.all().delete()
    summary = budget_summary(organization=seed000.office, fiscal_year=FISCAL_YEAR)
    assert summary.project_total == D(175000)
    assert summary.remainder == D(50000)
    assert summary.sources[0].remainder == D(50000)


def test_by_group_adds_up_to_the_project_total(seed000):
    summary = budget_summary(organization=seed000.office, fiscal_year=FISCAL_YEAR)
    rows = {row.name: row for row in summary.groups}
    assert rows[seed000.supervision.name].total_budget == D(175000)
    assert rows[seed000.supervision.name].project_count == 4
    assert rows[seed000.group_a.name].total_budget == D(50000)
    assert sum(row.total_budget for row in summary.groups) == summary.project_total
    assert (
        sum(row.project_count for row in summary.groups)
        == (summary.totals["project_count"])
    )


def test_by_strategy_counts_a_project_under_each_of_its_strategies(seed000):
    summary = budget_summary(organization=seed000.office, fiscal_year=FISCAL_YEAR)
    s1, s2 = summary.strategies
    assert (s1.total_budget, s1.project_count) == (D(145000), 2)
    assert (s2.total_budget, s2.project_count) == (D(130000), 2)
    assert summary.unaligned_projects == D(50000)
    assert summary.strategy_total == D(275000)
    assert s1.total_budget + s2.total_budget == summary.strategy_total
    # the quality project (100,000) is counted twice; the overlap is measured
    # against the linked projects' 175,000, never less the unaligned 50,000
    assert summary.aligned_total == D(175000)
    assert summary.strategy_overlap == D(100000)


def test_no_strategy_linked_prints_no_negative_overlap(seed000, client, viewer):
    """Issue 16: with no project linked to a strategy the page said the table
    was more than the project total "by -225,000.00 baht"."""

    for project in Project.objects.filter(plan__organization=seed000.office):
        project.strategies.clear()
    summary = budget_summary(organization=seed000.office, fiscal_year=FISCAL_YEAR)
    assert summary.strategy_overlap == D(0)
    client.force_login(viewer)
    content = client.get("/budgets/", {"fiscal_year": FISCAL_YEAR}).content.decode()
    assert "อยู่ -" not in content and "มากกว่างบประมาณโครงการ" not in content


def test_by_category_group_and_category(seed000):
    summary = budget_summary(organization=seed000.office, fiscal_year=FISCAL_YEAR)
    groups = {row.name: row for row in summary.category_groups}
    assert groups["งบบุคลากร"].total == D(320000)
    assert groups["งบดำเนินงาน"].project_budget == D(225000)
    assert groups["งบดำเนินงาน"].operating == D(455000)
    assert groups["งบดำเนินงาน"].total == D(680000)
    assert groups["งบลงทุน"].total == D(0)
    assert sum(row.total for row in summary.category_groups) == D(1000000)
    assert summary.spending_total == D(1000000)

    categories = {row.name: row for row in summary.categories}
    assert categories["ค่าตอบแทน"].total == D(3600)
    assert categories["ค่าใช้สอย"].project_budget == D(173200)
    assert categories["ค่าใช้สอย"].total == D(228200)
    assert categories["ค่าวัสดุ"].project_budget == D(48200)
    assert categories["ค่าวัสดุ"].total == D(148200)
    assert categories["ค่าสาธารณูปโภค"].total == D(300000)
    assert categories["ค่าจ้างชั่วคราว"].total == D(320000)
    assert sum(row.total for row in summary.categories) == summary.spending_total


def test_seed000_project_211_splits_into_the_printed_columns(seed000):
    summary = budget_summary(organization=seed000.office, fiscal_year=FISCAL_YEAR)
    area = next(row for row in summary.projects if row.pk == seed000.area.pk)
    assert area.total_budget == D(30000)
    from budgets.models import CostLine

    lines = CostLine.objects.filter(activity__project=seed000.area)
    assert lines.filter(category__code="services").total() == D(26800)
    assert lines.filter(category__code="materials").total() == D(3200)


def test_by_quarter_plan_and_disbursement_against_targets(seed000):
    a1, a3, *_ = seed000.area_activities
    QuarterPlan.objects.create(activity=a1, quarter=1, amount=4400)
    QuarterPlan.objects.create(activity=a3, quarter=1, amount=5000)
    QuarterPlan.objects.create(activity=a3, quarter=2, amount=6000)
    DisbursementFactory(activity=a1, amount=2400, paid_on="2024-10-20")
    DisbursementFactory(activity=a3, amount=1000, paid_on="2024-11-05")
    DisbursementFactory(activity=a3, amount=500, paid_on="2025-01-10")
    for quarter, percent in [(1, 30), (2, 54), (3, 77), (4, 100)]:
        DisbursementTargetFactory(
            fiscal_year=FISCAL_YEAR, quarter=quarter, cumulative_percent=percent
        )
    # the office's own Q1 target overrides the default
    DisbursementTargetFactory(
        organization=seed000.office,
        fiscal_year=FISCAL_YEAR,
        quarter=1,
        cumulative_percent=Decimal("1.5"),
    )
    summary = budget_summary(
        organization=seed000.office,
        fiscal_year=FISCAL_YEAR,
        today=__import__("datetime").date(2025, 2, 1),
    )
    q1, q2, q3, q4 = summary.quarters
    assert (q1.planned, q1.planned_cumulative) == (D(9400), D(9400))
    assert (q2.planned, q2.planned_cumulative) == (D(6000), D(15400))
    assert q4.planned_cumulative == D(15400)
    assert (q1.disbursed, q1.disbursed_cumulative) == (D(3400), D(3400))
    assert (q2.disbursed, q2.disbursed_cumulative) == (D(500), D(3900))
    # 3,400 of 225,000 = 1.511… → 1.51
    assert q1.disbursed_percent == Decimal("1.51")
    assert q1.target_percent == Decimal("1.50")
    assert q1.target_amount == D(3375)
    assert q1.meets_target is True
    assert q2.target_percent == Decimal("54.00")
    assert q2.target_amount == D(121500)
    assert q2.meets_target is None  # the quarter is still running
    assert q2.status == "ไตรมาสปัจจุบัน"
    assert q3.status == "ยังไม่ถึง"
    assert summary.totals["disbursed"] == D(3900)


def test_project_annotation_gives_budget_plan_and_balance(seed000):
    a1, a3, *_ = seed000.area_activities
    QuarterPlan.objects.create(activity=a1, quarter=1, amount=4400)
    QuarterPlan.objects.create(activity=a3, quarter=3, amount=11000)
    DisbursementFactory(activity=a1, amount=2400)
    row = annotate_project_budget(Project.objects.filter(pk=seed000.area.pk)).get()
    assert row.total_budget == D(30000)
    assert (row.planned_q1, row.planned_q2, row.planned_q3, row.planned_q4) == (
        D(4400),
        D(0),
        D(11000),
        D(0),
    )
    assert row.planned_total == D(15400)
    assert row.unplanned == D(14600)
    assert row.disbursed == D(2400)
    assert row.balance == D(27600)
    no_budget = annotate_project_budget(
        Project.objects.filter(pk=seed000.no_budget.pk)
    ).get()
    assert no_budget.total_budget == D(0)


def _projects(plan, count):
    for number in range(count):
        project = ProjectFactory(plan=plan, name=f"โครงการที่ {number}")
        activity = ActivityFactory(project=project)
        CostLineFactory(activity=activity)
        QuarterPlan.objects.create(activity=activity, quarter=1, amount=2400)
        DisbursementFactory(activity=activity, amount=100)


def test_summary_query_count_is_constant(plan, reference, django_assert_num_queries):
    _projects(plan, 2)
    with django_assert_num_queries(16):
        summary = budget_summary(
            organization=plan.organization, fiscal_year=FISCAL_YEAR
        )
    assert summary.project_total == D(4800)
    _projects(plan, 8)
    with django_assert_num_queries(16):
        summary = budget_summary(
            organization=plan.organization, fiscal_year=FISCAL_YEAR
        )
    assert len(summary.projects) == 10
    assert summary.project_total == D(24000)
    assert summary.totals["disbursed"] == D(1000)


def test_disbursement_progress_query_count_is_constant(
    plan, reference, django_assert_num_queries
):
    from budgets.selectors import disbursement_progress

    _projects(plan, 2)
    with django_assert_num_queries(10):
        progress = disbursement_progress(
            organization=plan.organization, fiscal_year=FISCAL_YEAR
        )
    assert progress.disbursed == D(200)
    _projects(plan, 8)
    with django_assert_num_queries(10):
        progress = disbursement_progress(
            organization=plan.organization, fiscal_year=FISCAL_YEAR
        )
    assert len(progress.projects) == 10
    assert progress.balance == D(23000)
    # 1,000 of 24,000 = 4.166… → 4.17
    assert progress.disbursed_percent == Decimal("4.17")


def test_an_unclassified_running_cost_is_counted_under_the_one_label(
    seed000, client, viewer
):
    """A source may leave running costs unclassified (seed 000): the cost is
    saved without a category and listed under UNCLASSIFIED in both category
    tables, so each still adds up to the whole envelope."""
    OperatingCost.objects.filter(description="ค่าใช้จ่ายในการเดินทางไปราชการ").update(
        category=None
    )
    summary = budget_summary(organization=seed000.office, fiscal_year=FISCAL_YEAR)
    assert summary.spending_total == D(1000000)
    categories = {row.name: row for row in summary.categories}
    assert categories[UNCLASSIFIED].operating == D(55000)
    assert categories[UNCLASSIFIED].total == D(55000)
    assert categories["ค่าใช้สอย"].total == D(173200)
    assert sum(row.total for row in summary.categories) == D(1000000)
    groups = {row.name: row for row in summary.category_groups}
    assert groups[UNCLASSIFIED].operating == D(55000)
    assert sum(row.total for row in summary.category_groups) == D(1000000)

    client.force_login(viewer)
    page = client.get("/budgets/", {"fiscal_year": FISCAL_YEAR})
    assert page.status_code == 200
    assert UNCLASSIFIED in page.content.decode()
