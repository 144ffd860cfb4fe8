"""The demo's money (``fixtures/demo``: the workbooks' cost lines, quarter plans,
envelopes and running costs; ``workflow.json``'s payments, recorded through
``budgets.services``)."""

import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils.timezone import localtime

from budgets.models import Allocation, CostLine, Disbursement, DisbursementTarget
from budgets.rollups import annotate_activity_budget
from budgets.selectors import budget_summary
from core.thai import fiscal_quarter_range, fiscal_year_range
from home.demo import DEMO_YEARS, load_demo
from projects.models import Activity, Project

pytestmark = pytest.mark.django_db

#: Cumulative percent of the office's project money paid by each quarter's
#: end in the demo's finished year (what the old demo builder paid to).
PAST_YEAR_SHARES = (20, 50, 75, 95)


def test_demo_money_reconciles_and_last_year_was_paid_quarter_by_quarter():
    load_demo(password="demo-pass")
    office_name = "สพป.ยโสธร เขต 2"
    year = DEMO_YEARS[0]
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

    # cost lines read like the seed's
    meeting = (
        Activity.objects.filter(
            name="ประชุมคณะกรรมการดำเนินงาน", cost_lines__isnull=False
        )
        .order_by("pk")
        .first()
    )
    formulas = [line.formula_text() for line in meeting.cost_lines.order_by("order")]
    assert formulas[0] == "1 ครั้ง ๆ ละ 6 ชั่วโมง ชั่วโมงละ 600 บาท"
    assert formulas[1] == "1 ครั้ง ๆ ละ 30 คน คนละ 100 บาท"
    assert formulas[2] == "1 ครั้ง ๆ ละ 30 คน คนละ 2 มื้อ ๆ ละ 35 บาท"
    assert formulas[3] == "30 ชุด ๆ ละ 50 บาท"
    assert meeting.cost_lines.total() == Decimal("10200.00")
    # this year too: every priced activity is planned by quarter, envelopes hold
    current = DEMO_YEARS[1]
    activities = annotate_activity_budget(
        Activity.objects.filter(
            project__plan__fiscal_year=current, project__uses_budget=True
        )
    )
    assert all(row.total_budget > 0 for row in activities)
    assert all(row.planned_total == row.total_budget for row in activities)
    summary = budget_summary(
        organization=projects.first().plan.organization, fiscal_year=current
    )
    assert summary.totals["operating"] == Decimal("775000.00")
    assert all(row.remainder >= 0 for row in summary.sources)
    assert DisbursementTarget.objects.get(
        organization=None, fiscal_year=current, quarter=2
    ).cumulative_percent == Decimal("54.00")
