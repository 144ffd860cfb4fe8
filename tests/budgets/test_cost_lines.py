from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from budgets import models as budget_models
from budgets.models import BudgetSource, CostLine, ExpenseCategory
from budgets.rollups import activity_total_budget, project_total_budget
from budgets.services import cost_line_create
from tests.factories import ActivityFactory, CostLineFactory, ExpenseCategoryFactory


def line(**fields) -> CostLine:
    """An unsaved line for pure arithmetic."""
    return CostLine(description="ค่าอาหาร", **fields)


# ------------------------------------------------------------------ arithmetic


def test_times_persons_rate_is_multiplied():
    assert line(times=1, persons=12, rate=200).compute_amount() == Decimal("2400.00")


def test_units_times_rate():
    cost = line(persons=20, persons_unit="เล่ม", rate=50)
    assert cost.compute_amount() == Decimal("1000.00")


def test_three_factors_and_rate():
    cost = line(times=1, persons=30, days=2, days_unit="มื้อ", rate=35)
    assert cost.compute_amount() == Decimal("2100.00")


def test_satang_round_half_up():
    # 3 × 33.335 = 100.005 → 100.01 (half up), not 100.00 (banker's)
    assert line(persons=3, rate=Decimal("33.335")).compute_amount() == Decimal("100.01")
    # 1.5 × 0.33 = 0.495 → 0.50
    assert line(persons=Decimal("1.5"), rate=Decimal("0.33")).compute_amount() == (
        Decimal("0.50")
    )


def test_typed_amount_stands_without_factors():
    assert line(amount=Decimal("55000")).compute_amount() == Decimal("55000.00")
    assert line().compute_amount() is None


# ------------------------------------------------------------------ formula text


def test_formula_times_persons_rate():
    cost = line(times=1, times_unit="ครั้ง", persons=12, persons_unit="คน", rate=200)
    assert cost.formula_text() == "1 ครั้ง ๆ ละ 12 คน คนละ 200 บาท"


def test_formula_units_times_rate():
    cost = line(persons=20, persons_unit="เล่ม", rate=50)
    assert cost.formula_text() == "20 เล่ม ๆ ละ 50 บาท"


def test_formula_with_meals():
    cost = line(times=1, persons=30, days=2, days_unit="มื้อ", rate=35)
    assert cost.formula_text() == "1 ครั้ง ๆ ละ 30 คน คนละ 2 มื้อ ๆ ละ 35 บาท"


def test_formula_persons_and_days_without_times():
    cost = line(persons=40, days=2, days_unit="วัน", rate=240)
    assert cost.formula_text() == "40 คน คนละ 2 วัน ๆ ละ 240 บาท"


def test_formula_numbers_have_separators_and_no_zero_satang():
    cost = line(times=Decimal("2.00"), persons=1500, persons_unit="ชุด", rate="1250.00")
    assert cost.formula_text() == "2 ครั้ง ๆ ละ 1,500 ชุด ชุดละ 1,250 บาท"
    cost = line(persons=Decimal("1.50"), rate=Decimal("35.5"))
    assert cost.formula_text() == "1.5 คน ๆ ละ 35.50 บาท"


def test_no_formula_without_rate():
    assert line(amount=100).formula_text() == ""


# ------------------------------------------------------------------ clean


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_amount_is_set_from_factors_on_create():
    activity = ActivityFactory()
    category = ExpenseCategoryFactory()
    cost = cost_line_create(
        activity=activity,
        category=category,
        description="ค่าอาหาร",
        times=1,
        persons=12,
        rate=200,
    )
    cost.refresh_from_db()
    assert cost.amount == Decimal("2400.00")


@pytestmark_db
def test_amount_not_matching_the_formula_is_refused():
    activity = ActivityFactory()
    with pytest.raises(ValidationError) as error:
        cost_line_create(
            activity=activity,
            category=ExpenseCategoryFactory(),
            description="ค่าอาหาร",
            times=1,
            persons=12,
            rate=200,
            amount=2500,
        )
    assert error.value.error_dict["amount"][0].code == "amount_mismatch"
    assert "2,400.00" in error.value.messages[0]
    assert not CostLine.objects.exists()


@pytestmark_db
@pytest.mark.parametrize(
    ("fields", "field_name", "message"),
    [
        (
            {"persons": -1, "rate": 200},
            "persons",
            budget_models.ERROR_FACTOR_NOT_POSITIVE,
        ),
        ({"persons": 2, "rate": -5}, "rate", budget_models.ERROR_RATE_NEGATIVE),
        ({"persons": 2}, "rate", budget_models.ERROR_RATE_MISSING),
        ({"rate": 200}, "persons", budget_models.ERROR_FACTORS_MISSING),
        ({"amount": -100}, "amount", "จำนวนเงินต้องไม่ติดลบ"),
        ({}, "amount", budget_models.ERROR_AMOUNT_MISSING),
    ],
)
def test_bad_numbers_are_refused_in_thai(fields, field_name, message):
    activity = ActivityFactory()
    with pytest.raises(ValidationError) as error:
        cost_line_create(
            activity=activity,
            category=ExpenseCategoryFactory(),
            description="ค่าอาหาร",
            **fields,
        )
    assert message in error.value.message_dict[field_name]
    assert not CostLine.objects.exists()


@pytestmark_db
def test_non_numeric_amount_is_refused():
    cost = CostLineFactory.build(
        activity=ActivityFactory(), category=ExpenseCategoryFactory(), amount="abc"
    )
    cost.times = cost.persons = cost.rate = None
    with pytest.raises(ValidationError) as error:
        cost.full_clean()
    assert "amount" in error.value.message_dict


@pytestmark_db
def test_project_without_budget_refuses_cost_lines():
    activity = ActivityFactory(project__uses_budget=False)
    with pytest.raises(ValidationError) as error:
        cost_line_create(
            activity=activity,
            category=ExpenseCategoryFactory(),
            description="ค่าอาหาร",
            amount=100,
        )
    assert error.value.messages == [budget_models.ERROR_PROJECT_WITHOUT_BUDGET]
    assert not CostLine.objects.exists()


# ------------------------------------------------------------------ totals


@pytestmark_db
def test_activity_and_project_totals_are_sums_of_lines():
    first = ActivityFactory()
    second = ActivityFactory(project=first.project)
    CostLineFactory(activity=first, times=1, persons=12, rate=200, amount=2400)
    CostLineFactory(activity=first, times=None, persons=20, rate=50, amount=1000)
    CostLineFactory(activity=second, times=None, persons=None, rate=None, amount=11000)
    CostLineFactory(amount=999)  # another project
    assert activity_total_budget(first) == Decimal("3400.00")
    assert activity_total_budget(second) == Decimal("11000.00")
    assert project_total_budget(first.project) == Decimal("14400.00")


# ------------------------------------------------------------------ fixtures


@pytestmark_db
def test_reference_fixtures_load():
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    assert BudgetSource.objects.filter(organization=None).count() == 8
    assert BudgetSource.objects.filter(name="งบประมาณจาก สพฐ.").exists()
    operating = ExpenseCategory.objects.get(name="งบดำเนินงาน")
    assert list(operating.children.values_list("name", flat=True)) == [
        "ค่าตอบแทน",
        "ค่าใช้สอย",
        "ค่าวัสดุ",
        "ค่าสาธารณูปโภค",
    ]
    assert ExpenseCategory.objects.filter(parent=None).count() == 5
    investment = ExpenseCategory.objects.get(name="งบลงทุน")
    assert set(investment.children.values_list("name", flat=True)) == {
        "ค่าครุภัณฑ์",
        "ค่าที่ดินและสิ่งก่อสร้าง",
    }
    # loading twice changes nothing
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    assert ExpenseCategory.objects.count() == 14
