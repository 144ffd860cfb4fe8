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
from budgets.rollups import annotate_activity_budget
from budgets.selectors import budget_summary
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


# ------------------------------------------------------------------ a finished year


def test_demo_previous_year_is_disbursed_quarter_by_quarter_within_budget():
    import re

    from django.db.models import Sum
    from django.utils.timezone import localtime

    from budgets.demo import PAST_YEAR_SHARES, past_year_shares
    from core.thai import fiscal_quarter_range, fiscal_year_range
    from home.demo import load_demo
    from projects.models import Project

    load_demo(password="demo-pass")
    office_name = "สพป.ยโสธร เขต 2"
    year = current_fiscal_year() - 1
    ends = [fiscal_quarter_range(year, quarter)[1] for quarter in (1, 2, 3, 4)]
    projects = Project.objects.filter(
        plan__organization__short_name=office_name,
        plan__fiscal_year=year,
        uses_budget=True,
    )
    assert projects.count() >= 8
    office_budget = office_paid = Decimal(0)
    office_by_quarter = [Decimal(0)] * 4
    for project in projects:
        budget = CostLine.objects.filter(activity__project=project).total()
        paid = Disbursement.objects.filter(activity__project=project)
        assert budget > 0
        cumulative = [paid.filter(paid_on__lte=end).total() for end in ends]
        shares = [amount * 100 / budget for amount in cumulative]
        for share, expected in zip(
            shares, past_year_shares(project.sequence), strict=True
        ):
            assert abs(share - expected) < Decimal("0.1"), (project, shares)
        for share, usual in zip(shares, PAST_YEAR_SHARES, strict=True):
            assert abs(share - usual) <= 3
        assert cumulative[-1] <= budget
        office_budget += budget
        office_paid += cumulative[-1]
        office_by_quarter = [
            a + b for a, b in zip(office_by_quarter, cumulative, strict=True)
        ]
    for amount, usual in zip(office_by_quarter, PAST_YEAR_SHARES, strict=True):
        assert abs(amount * 100 / office_budget - usual) <= 2

    # never beyond a cost line, recorded by finance with voucher numbers
    year_paid = Disbursement.objects.filter(
        activity__project__plan__fiscal_year=year,
        activity__project__plan__organization__short_name=office_name,
    )
    start, end = fiscal_year_range(year)
    assert year_paid.total() == office_paid
    for line in CostLine.objects.filter(activity__project__in=projects):
        assert line.disbursements.total() <= line.amount
    assert set(year_paid.values_list("recorded_by__username", flat=True)) == {"finance"}
    numbers = list(year_paid.values_list("document_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"ศธ 04\d{3}/\d{3,4}", number) for number in numbers)
    assert all(
        start <= day <= end for day in year_paid.values_list("paid_on", flat=True)
    )
    assert all(
        localtime(record.recorded_at).date() == record.paid_on for record in year_paid
    )

    # quarter plans equal the activities' costs; envelopes cover everything
    activities = annotate_activity_budget(Activity.objects.filter(project__in=projects))
    assert all(row.planned_total == row.total_budget for row in activities)
    summary = budget_summary(
        organization=projects.first().plan.organization, fiscal_year=year
    )
    assert summary.totals["operating"] == Decimal("775000.00")
    assert summary.remainder >= 0
    assert DisbursementTarget.objects.filter(fiscal_year=year).count() == 4
    assert (
        Allocation.objects.filter(fiscal_year=year).aggregate(total=Sum("amount"))[
            "total"
        ]
        >= office_budget + summary.totals["operating"]
    )
