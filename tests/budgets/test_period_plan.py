"""The cumulative spending plan of a reporting period (3/6/9/12 months) and
disbursements ahead of it: warned on the screen, not refused, while the
year's budget of the project stays the hard limit (issue 17 item 4)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from budgets import services
from budgets.models import Disbursement
from budgets.rollups import (
    BEHIND_PLAN,
    ON_PLAN,
    activity_planned_until,
    period_quarter,
    period_verdict,
    project_planned_until,
)
from core.roles import Role
from tests.budgets.conftest import approve_money_projects
from tests.factories import QuarterPlanFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_user(office):
    person = make_staff(office, roles=[Role.FINANCE], first_name="การเงิน")
    person.user.is_staff = True
    person.user.save()
    return person.user


@pytest.fixture
def planned(seed000):
    """The area project (30,000.00): its first activity (4,400.00) plans
    1,000 in Q1 and 3,400 in Q2; activity 3 (11,000.00) 11,000 in Q3."""
    a1, a3 = seed000.area_activities[0], seed000.area_activities[1]
    QuarterPlanFactory(activity=a1, quarter=1, amount=1000)
    QuarterPlanFactory(activity=a1, quarter=2, amount=3400)
    QuarterPlanFactory(activity=a3, quarter=3, amount=11000)
    approve_money_projects(seed000)
    return seed000


def test_cumulative_period_plan_by_hand(planned):
    project, a1 = planned.area, planned.area_activities[0]

    assert [period_quarter(months) for months in (3, 6, 9, 12)] == [1, 2, 3, 4]
    assert project_planned_until(project, 1) == Decimal("1000.00")
    assert project_planned_until(project, 2) == Decimal("4400.00")  # 1,000 + 3,400
    assert project_planned_until(project, 3) == Decimal("15400.00")  # + 11,000
    assert project_planned_until(project, 4) == Decimal("15400.00")
    assert activity_planned_until(a1, 1) == Decimal("1000.00")
    assert activity_planned_until(a1, 4) == Decimal("4400.00")


def test_verdict_reaches_the_plan_or_not():
    assert period_verdict(Decimal("1000"), Decimal("999.99")) == BEHIND_PLAN
    assert period_verdict(Decimal("1000"), Decimal("1000")) == ON_PLAN
    # paid ahead of the plan is not "according to plan" either (seed 002)
    assert period_verdict(Decimal("1000"), Decimal("2400")) == BEHIND_PLAN
    assert period_verdict(Decimal("1000"), Decimal("1000.01")) == BEHIND_PLAN
    assert period_verdict(Decimal("0"), Decimal("0")) == ON_PLAN
    assert ON_PLAN == "สามารถเบิกจ่ายได้ตามแผน"
    assert BEHIND_PLAN == "ไม่สามารถเบิกจ่ายได้ตามแผน"


def test_payment_over_the_period_plan_is_saved_with_a_thai_warning(
    client, finance_user, planned
):
    """2,400 paid in November (Q1) against a Q1 plan of 1,000: saved, and the
    screen says by how much the project is ahead of its plan."""
    activity = planned.area_activities[0]
    line = activity.cost_lines.get(description="ค่าอาหารและเครื่องดื่ม")
    client.force_login(finance_user)

    response = client.post(
        reverse("admin:budgets_disbursement_add"),
        {
            "activity": activity.pk,
            "cost_line": line.pk,
            "paid_on": "15/11/2567",
            "amount": "2,400",
            "document_number": "ขบ 7/2568",
            "note": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    record = Disbursement.objects.get()
    assert record.amount == Decimal("2400.00")
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    expected = services.WARNING_DISBURSE_OVER_PERIOD_PLAN.format(
        project=planned.area.code or planned.area.name,
        quarter=1,
        paid="2,400.00",
        planned="1,000.00",
        over="1,400.00",
    )
    assert expected in shown, shown
    assert "เกินแผนการใช้จ่ายสะสม 1,000.00 บาท อยู่ 1,400.00 บาท" in expected


def test_payment_within_the_period_plan_has_no_warning(planned):
    activity = planned.area_activities[0]
    line = activity.cost_lines.get(description="จัดทำแผนนิเทศ")
    record = services.disbursement_record(
        user=None,
        activity=activity,
        cost_line=line,
        amount="1000",
        paid_on=datetime.date(2024, 11, 15),
        as_command=True,
    )

    assert services.disbursement_period_warning(record) == ""


def test_payment_over_the_year_budget_is_still_refused(client, finance_user, planned):
    """The annual budget holds: 30,000.01 on a 30,000.00 project is refused
    (virement allowed, so only the project's year budget stops it)."""
    planned.area.virement_allowed = True
    planned.area.save()
    activity = planned.area_activities[0]
    client.force_login(finance_user)

    response = client.post(
        reverse("admin:budgets_disbursement_add"),
        {
            "activity": activity.pk,
            "cost_line": "",
            "paid_on": "15/11/2567",
            "amount": "30,000.01",
            "document_number": "ขบ 8/2568",
            "note": "",
        },
    )

    assert response.status_code == 200
    assert "เบิกจ่ายเกินงบประมาณทั้งโครงการ" in response.content.decode()
    assert not Disbursement.objects.exists()
