import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from budgets.demo import load_demo_budgets
from budgets.models import (
    Allocation,
    CostLine,
    Disbursement,
    DisbursementTarget,
    OperatingCost,
    QuarterPlan,
)
from budgets.selectors import annotate_activity_budget, budget_summary
from core.thai import current_fiscal_year, fiscal_month_dates
from projects.models import Activity
from tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    PlanFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(
            CostLine.objects.order_by("activity", "order").values_list(
                "activity", "description", "amount"
            )
        ),
        list(
            QuarterPlan.objects.order_by("activity", "quarter").values_list(
                "activity", "quarter", "amount"
            )
        ),
        list(
            Disbursement.objects.order_by("activity", "document_number").values_list(
                "activity", "amount", "paid_on"
            )
        ),
        list(
            Allocation.objects.order_by("source", "round_number").values_list(
                "source", "round_number", "amount"
            )
        ),
        OperatingCost.objects.count(),
        DisbursementTarget.objects.count(),
    )


@pytest.fixture
def demo_projects(db):
    """Factory-made projects in the demo office (the projects demo may not exist)."""
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    office = OrganizationFactory(short_name="สพป.ยโสธร เขต 2")
    fiscal_year = current_fiscal_year()
    plan = PlanFactory(organization=office, fiscal_year=fiscal_year)
    months = fiscal_month_dates(fiscal_year)
    from budgets.models import BudgetSource

    basic = BudgetSource.objects.get(code="basic-human-capital")
    reading = ProjectFactory(
        plan=plan, name="โครงการอ่านออก เขียนได้", budget_source=basic
    )
    ActivityFactory(
        project=reading,
        order=1,
        name="ประชุมเชิงปฏิบัติการครูภาษาไทย",
        months=[months[0].isoformat(), months[1].isoformat()],
    )
    ActivityFactory(
        project=reading,
        order=2,
        name="นิเทศติดตามการอ่านในโรงเรียน",
        months=[m.isoformat() for m in months[3:6]],
    )
    ActivityFactory(project=reading, order=3, name="สรุปและรายงานผล", months=[])
    other = ProjectFactory(
        plan=plan,
        name="โครงการจากงบ สพฐ.",
        budget_source=BudgetSource.objects.get(code="obec"),
    )
    ActivityFactory(
        project=other, order=1, name="ประกวดนวัตกรรม", months=[months[6].isoformat()]
    )
    ProjectFactory(plan=plan, name="โครงการไม่ใช้งบประมาณ", uses_budget=False)
    ActivityFactory(project__plan=plan, project__uses_budget=False, name="ประชุม")
    return office, fiscal_year


def test_demo_budgets_are_idempotent_and_reconcile(demo_projects):
    office, fiscal_year = demo_projects
    load_demo_budgets()
    first = _snapshot()
    load_demo_budgets()
    assert _snapshot() == first

    # every priced activity has a formula text and a quarter plan equal to its cost
    activities = annotate_activity_budget(
        Activity.objects.filter(project__uses_budget=True)
    )
    assert all(row.total_budget > 0 for row in activities)
    assert all(row.planned_total == row.total_budget for row in activities)
    assert all(line.formula_text() for line in CostLine.objects.all())
    assert not CostLine.objects.filter(activity__project__uses_budget=False).exists()

    summary = budget_summary(organization=office, fiscal_year=fiscal_year)
    assert summary.totals["operating"] == Decimal("775000.00")
    assert all(row.remainder >= 0 for row in summary.sources)
    assert summary.remainder >= 0
    assert Disbursement.objects.filter(paid_on__gt=datetime.date.today()).count() == 0
    assert DisbursementTarget.objects.get(
        organization=None, fiscal_year=fiscal_year, quarter=2
    ).cumulative_percent == Decimal("54.00")


def test_meeting_lines_read_like_the_seed(demo_projects):
    load_demo_budgets()
    meeting = Activity.objects.get(name="ประชุมเชิงปฏิบัติการครูภาษาไทย")
    formulas = [line.formula_text() for line in meeting.cost_lines.order_by("order")]
    assert formulas[0] == "1 ครั้ง ๆ ละ 6 ชั่วโมง ชั่วโมงละ 600 บาท"
    assert formulas[1] == "1 ครั้ง ๆ ละ 30 คน คนละ 100 บาท"
    assert formulas[2] == "1 ครั้ง ๆ ละ 30 คน คนละ 2 มื้อ ๆ ละ 35 บาท"
    assert formulas[3] == "30 ชุด ๆ ละ 50 บาท"
    # 3,600 + 3,000 + 2,100 + 1,500
    assert meeting.cost_lines.total() == Decimal("10200.00")
