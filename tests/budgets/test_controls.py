"""Quarterly plans, the envelope control and the disbursement controls."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from budgets import services
from budgets.models import CostLine, Disbursement, OperatingCost, QuarterPlan
from budgets.services import (
    activity_plan_quarters_by_months,
    activity_plan_quarters_even,
    activity_set_quarter_plan,
    cost_line_create,
    cost_line_validate,
    disbursement_record,
    operating_cost_save,
)
from core.thai import fiscal_year_of
from tests.budgets.conftest import FISCAL_YEAR, add_line
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    CostLineFactory,
    OperatingCostFactory,
    ProjectFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [e.code for errors in error.error_dict.values() for e in errors]
    return [e.code for e in error.error_list]


def plan_of(activity) -> dict[int, Decimal]:
    return dict(
        QuarterPlan.objects.filter(activity=activity).values_list("quarter", "amount")
    )


# ------------------------------------------------------------------ quarterly plan


def test_even_split_is_exact_to_the_satang():
    activity = ActivityFactory()
    CostLineFactory(
        activity=activity, times=None, persons=None, rate=None, amount="10000.01"
    )
    activity_plan_quarters_even(activity=activity)
    assert plan_of(activity) == {
        1: Decimal("2500.00"),
        2: Decimal("2500.00"),
        3: Decimal("2500.00"),
        4: Decimal("2500.01"),
    }


def test_split_by_months_follows_the_fiscal_quarters():
    # Nov, Dec (Q1), Jan (Q2), Jul (Q4): 1,000 / 4 months = 250 each
    activity = ActivityFactory(
        months=["2024-11-01", "2024-12-01", "2025-01-01", "2025-07-01"]
    )
    CostLineFactory(activity=activity, times=None, persons=None, rate=None, amount=1000)
    activity_plan_quarters_by_months(activity=activity)
    assert plan_of(activity) == {
        1: Decimal("500.00"),
        2: Decimal("250.00"),
        3: Decimal("0.00"),
        4: Decimal("250.00"),
    }


def test_split_by_months_puts_remainder_satang_on_the_last_month():
    activity = ActivityFactory(months=["2024-10-01", "2024-11-01", "2025-04-01"])
    CostLineFactory(activity=activity, times=None, persons=None, rate=None, amount=100)
    activity_plan_quarters_by_months(activity=activity)
    assert plan_of(activity) == {
        1: Decimal("66.66"),
        2: Decimal("0.00"),
        3: Decimal("33.34"),
        4: Decimal("0.00"),
    }


def test_split_by_months_needs_months():
    activity = ActivityFactory(months=[])
    CostLineFactory(activity=activity)
    with pytest.raises(ValidationError) as error:
        activity_plan_quarters_by_months(activity=activity)
    assert error.value.messages == [services.ERROR_NO_MONTHS]
    assert not QuarterPlan.objects.exists()


def test_quarter_plan_not_matching_the_cost_is_refused_with_both_totals():
    activity = ActivityFactory()
    CostLineFactory(activity=activity)  # 2,400
    with pytest.raises(ValidationError) as error:
        activity_set_quarter_plan(activity=activity, amounts={1: "๑,๐๐๐", 2: "1,000"})
    assert error.value.code == "quarters_mismatch"
    assert "2,000.00" in error.value.messages[0]
    assert "2,400.00" in error.value.messages[0]
    assert not QuarterPlan.objects.exists()


def test_quarter_plan_accepts_thai_digits_when_it_matches():
    activity = ActivityFactory()
    CostLineFactory(activity=activity)
    activity_set_quarter_plan(activity=activity, amounts={1: "๑,๔๐๐.๕๐", 3: "999.50"})
    assert plan_of(activity)[1] == Decimal("1400.50")
    assert sum(plan_of(activity).values()) == Decimal("2400.00")


# ------------------------------------------------------------------ envelope


@pytest.fixture
def envelope(office, plan, reference):
    """100,000 allocated in two rounds, 30,000 running costs: 70,000 for projects."""
    source = reference.obec
    AllocationFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=source,
        round_number=1,
        amount=60000,
    )
    AllocationFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=source,
        round_number=2,
        amount=40000,
    )
    OperatingCostFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=source,
        category=reference.utilities,
        amount=30000,
    )
    project = ProjectFactory(plan=plan, budget_source=source)
    activity = ActivityFactory(project=project)
    add_line(activity, reference.services, "ค่าอาหาร", 50000)
    return activity


def test_cost_line_within_the_envelope_is_saved(envelope, reference):
    cost_line_create(
        activity=envelope,
        category=reference.materials,
        description="ค่าวัสดุ",
        persons=400,
        persons_unit="ชุด",
        rate=50,
    )
    assert CostLine.objects.filter(activity=envelope).total() == Decimal("70000.00")


def test_cost_line_beyond_the_envelope_is_refused(envelope, reference, plan):
    other = ActivityFactory(
        project=ProjectFactory(plan=plan, budget_source=envelope.project.budget_source)
    )
    with pytest.raises(ValidationError) as error:
        cost_line_create(
            activity=other,
            category=reference.materials,
            description="ค่าวัสดุ",
            amount="20000.01",
        )
    assert codes(error.value) == ["envelope_exceeded"]
    message = error.value.messages[0]
    assert "70,000.01" in message and "70,000.00" in message and "0.01" in message
    assert CostLine.objects.count() == 1


def test_editing_a_line_does_not_count_it_twice(envelope):
    line = envelope.cost_lines.get()
    line.amount = Decimal("70000")
    cost_line_validate(line)
    line.amount = Decimal("70000.01")
    with pytest.raises(ValidationError):
        cost_line_validate(line)


def test_other_sources_and_years_do_not_count(envelope, reference, office):
    project = ProjectFactory(
        plan__organization=office, plan__fiscal_year=2569, budget_source=reference.obec
    )
    cost_line_create(
        activity=ActivityFactory(project=project),
        category=reference.materials,
        description="ปีถัดไป",
        amount=90000,
    )
    assert CostLine.objects.count() == 2


def test_operating_cost_beyond_the_envelope_is_refused(envelope, reference, office):
    cost = OperatingCost(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        category=reference.utilities,
        description="ค่าไฟฟ้าเพิ่มเติม",
        amount=Decimal("20000.01"),
    )
    with pytest.raises(ValidationError) as error:
        operating_cost_save(cost=cost)
    assert codes(error.value) == ["envelope_exceeded"]
    assert not OperatingCost.objects.filter(description="ค่าไฟฟ้าเพิ่มเติม").exists()
    cost.amount = Decimal("20000")
    operating_cost_save(cost=cost)


# ------------------------------------------------------------------ disbursement


@pytest.fixture
def spending(office, group_a, plan, reference):
    """A project of group A: line 1 = 2,400, line 2 = 1,000 (total 3,400)."""
    project = ProjectFactory(
        plan=plan, group=group_a, virement_allowed=False, status="approved"
    )
    activity = ActivityFactory(project=project)
    first = add_line(
        activity, reference.services, "ค่าอาหาร", 2400, times=1, persons=12, rate=200
    )
    second = add_line(activity, reference.materials, "ค่าวัสดุ", 1000)
    return activity, first, second


@pytest.fixture
def finance(office):
    from core.roles import Role

    return make_staff(office, roles=[Role.FINANCE], first_name="การเงิน").user


PAID = datetime.date(2024, 11, 15)


def test_finance_records_within_the_line(spending, finance):
    activity, first, _ = spending
    record = disbursement_record(
        user=finance,
        activity=activity,
        cost_line=first,
        amount="๒,๔๐๐",
        paid_on=PAID,
        document_number="ขบ 12/2568",
    )
    assert record.amount == Decimal("2400")
    assert record.recorded_by == finance


def test_head_of_the_group_may_record(spending, head_a):
    activity, first, _ = spending
    disbursement_record(
        user=head_a, activity=activity, cost_line=first, amount=100, paid_on=PAID
    )
    assert Disbursement.objects.count() == 1


@pytest.mark.parametrize("who", ["head_b", "officer", "viewer", "outsider"])
def test_others_may_not_record(spending, who, request):
    activity, first, _ = spending
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        disbursement_record(
            user=user, activity=activity, cost_line=first, amount=100, paid_on=PAID
        )
    assert not Disbursement.objects.exists()


def test_beyond_the_line_is_refused_without_virement(spending, finance):
    activity, first, _ = spending
    disbursement_record(
        user=finance, activity=activity, cost_line=first, amount=2000, paid_on=PAID
    )
    with pytest.raises(ValidationError) as error:
        disbursement_record(
            user=finance,
            activity=activity,
            cost_line=first,
            amount="400.01",
            paid_on=PAID,
        )
    assert error.value.code == "over_line"
    assert "400.00" in error.value.messages[0]
    assert Disbursement.objects.total() == Decimal("2000.00")


def test_virement_allows_beyond_the_line_up_to_the_project_total(spending, finance):
    activity, first, _ = spending
    activity.project.virement_allowed = True
    activity.project.save()
    disbursement_record(
        user=finance, activity=activity, cost_line=first, amount=3000, paid_on=PAID
    )
    with pytest.raises(ValidationError) as error:
        disbursement_record(
            user=finance,
            activity=activity,
            cost_line=first,
            amount="400.01",
            paid_on=PAID,
        )
    assert error.value.code == "over_project"
    disbursement_record(
        user=finance, activity=activity, cost_line=first, amount=400, paid_on=PAID
    )
    assert Disbursement.objects.total() == Decimal("3400.00")


def test_activity_level_disbursement_is_limited_to_the_activity(spending, finance):
    activity, _, _ = spending
    with pytest.raises(ValidationError) as error:
        disbursement_record(
            user=finance, activity=activity, amount="3400.01", paid_on=PAID
        )
    assert error.value.code == "over_activity"
    disbursement_record(user=finance, activity=activity, amount=3400, paid_on=PAID)


@pytest.mark.parametrize(
    ("amount", "code"),
    [("0", "not_positive"), ("-5", "not_positive"), ("abc", "invalid")],
)
def test_bad_amounts_are_refused(spending, finance, amount, code):
    activity, first, _ = spending
    with pytest.raises(ValidationError) as error:
        disbursement_record(
            user=finance,
            activity=activity,
            cost_line=first,
            amount=amount,
            paid_on=PAID,
        )
    assert error.value.code == code
    assert not Disbursement.objects.exists()


def test_future_date_and_foreign_line_are_refused(spending, finance):
    activity, first, _ = spending
    future = timezone.localdate() + datetime.timedelta(days=2)
    plan = activity.project.plan
    plan.fiscal_year = fiscal_year_of(future)  # in its year, yet not paid yet
    plan.save()
    with pytest.raises(ValidationError) as error:
        disbursement_record(
            user=finance, activity=activity, cost_line=first, amount=1, paid_on=future
        )
    assert error.value.code == "future"
    plan.fiscal_year = FISCAL_YEAR
    plan.save()
    other = ActivityFactory(project=activity.project)
    with pytest.raises(ValidationError) as error:
        disbursement_record(
            user=finance, activity=other, cost_line=first, amount=1, paid_on=PAID
        )
    assert error.value.code == "line_elsewhere"
    assert not Disbursement.objects.exists()


def test_project_without_budget_cannot_disburse(office, plan, finance):
    activity = ActivityFactory(
        project=ProjectFactory(plan=plan, uses_budget=False, status="approved")
    )
    with pytest.raises(ValidationError) as error:
        disbursement_record(user=finance, activity=activity, amount=1, paid_on=PAID)
    assert error.value.code == "no_budget"


def test_split_by_months_leaves_out_the_next_fiscal_year():
    """Issue 18: an activity may run into the next year within its project's
    period, but its money is the plan's year's: the next year's October is
    not this year's first quarter."""
    project = ProjectFactory(
        start_month=datetime.date(2025, 6, 1), end_month=datetime.date(2026, 3, 1)
    )
    activity = ActivityFactory(
        project=project, months=["2025-07-01", "2025-10-01", "2026-01-01"]
    )
    activity.full_clean()  # the rule allows the next year's months here
    CostLineFactory(activity=activity, times=None, persons=None, rate=None, amount=900)
    activity_plan_quarters_by_months(activity=activity)
    assert plan_of(activity) == {
        1: Decimal("0.00"),
        2: Decimal("0.00"),
        3: Decimal("0.00"),
        4: Decimal("900.00"),
    }

    activity.months = ["2025-10-01"]
    activity.save()
    with pytest.raises(ValidationError) as error:
        activity_plan_quarters_by_months(activity=activity)
    assert error.value.messages == [
        services.ERROR_NO_MONTHS_IN_YEAR.format(year=FISCAL_YEAR)
    ]
    assert plan_of(activity)[4] == Decimal("900.00")  # the plan stays as it was
