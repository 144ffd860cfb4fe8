from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.indicators import (
    ERROR_PERCENT_RANGE,
    ERROR_TARGET_MISSING,
    ERROR_TEXT_NEEDS_TEXT,
    Comparison,
    Unit,
)
from plans.models import (
    ERROR_POLICY_PARENT_CYCLE,
    ERROR_POLICY_YEARS,
    Indicator,
    IndicatorTarget,
    Plan,
    PolicyItem,
)
from tests.factories import (
    GuidelineFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    PlanFactory,
    PolicyItemFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def test_duplicate_indicator_number_in_a_strategy_is_refused_in_thai():
    # given
    indicator = IndicatorFactory(number=3)
    duplicate = Indicator(strategy=indicator.strategy, number=3, name="ซ้ำ")
    # when / then
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "ลำดับตัวชี้วัดนี้ซ้ำกับตัวชี้วัดอื่นในกลยุทธ์เดียวกัน" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert Indicator.objects.count() == 1


def test_same_indicator_number_in_another_strategy_is_fine():
    indicator = IndicatorFactory(number=1)
    other = StrategyFactory(plan=indicator.strategy.plan)
    Indicator(strategy=other, number=1, name="ตัวชี้วัดอื่น").full_clean()


def test_duplicate_guideline_number_is_refused_in_thai():
    guideline = GuidelineFactory(number=2)
    duplicate = type(guideline)(strategy=guideline.strategy, number=2, text="ซ้ำ")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "ลำดับแนวทางนี้ซ้ำในกลยุทธ์เดียวกัน" in str(error.value)


def test_one_plan_per_office_and_year():
    plan = PlanFactory(fiscal_year=2568)
    with pytest.raises(ValidationError) as error:
        Plan(organization=plan.organization, fiscal_year=2568).full_clean()
    assert "สำนักงานนี้มีแผนของปีงบประมาณนี้แล้ว" in str(error.value)


@pytest.mark.parametrize("value", ["-0.01", "100.01", "150"])
def test_percent_target_outside_0_to_100_is_refused(value):
    target = IndicatorTarget(
        indicator=IndicatorFactory(unit=Unit.PERCENT),
        fiscal_year=2568,
        target_value=Decimal(value),
    )
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert error.value.message_dict["target_value"] == [ERROR_PERCENT_RANGE]


@pytest.mark.parametrize("value", ["0", "100", "80.50"])
def test_percent_target_inside_the_range_is_accepted(value):
    IndicatorTarget(
        indicator=IndicatorFactory(unit=Unit.PERCENT),
        fiscal_year=2568,
        target_value=Decimal(value),
    ).full_clean()


def test_count_target_may_exceed_100():
    IndicatorTarget(
        indicator=IndicatorFactory(unit=Unit.COUNT, unit_label="คน"),
        fiscal_year=2568,
        target_value=Decimal("1200"),
    ).full_clean()


def test_percent_rule_applies_while_the_indicator_is_unsaved():
    # an admin inline on the "add indicator" page has no indicator_id yet
    indicator = Indicator(unit=Unit.PERCENT, name="ร้อยละ", number=1)
    target = IndicatorTarget(indicator=indicator, fiscal_year=2568, target_value=101)
    with pytest.raises(ValidationError) as error:
        target.clean()
    assert error.value.message_dict["target_value"] == [ERROR_PERCENT_RANGE]


def test_text_indicator_needs_a_text_target():
    indicator = IndicatorFactory(unit=Unit.TEXT)
    target = IndicatorTarget(indicator=indicator, fiscal_year=2568, target_value=5)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert error.value.message_dict["target_text"] == [ERROR_TEXT_NEEDS_TEXT]
    IndicatorTarget(
        indicator=indicator, fiscal_year=2568, target_text="ระดับดีขึ้นไป"
    ).full_clean()


def test_a_target_needs_a_number_or_a_text():
    target = IndicatorTarget(indicator=IndicatorFactory(), fiscal_year=2568)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert error.value.message_dict["target_value"] == [ERROR_TARGET_MISSING]


def test_target_display_for_each_kind():
    percent = IndicatorTargetFactory(target_value=Decimal("80"))
    assert percent.display() == "ไม่น้อยกว่าร้อยละ 80"
    count = IndicatorTarget(
        target_value=Decimal("1200"), comparison=Comparison.AT_LEAST
    )
    assert count.target_display(Unit.COUNT, "คน") == "ไม่น้อยกว่า 1,200 คน"
    lower = IndicatorTarget(target_value=Decimal("0.5"), comparison=Comparison.AT_MOST)
    assert lower.target_display(Unit.PERCENT) == "ไม่เกินร้อยละ 0.50"
    text = IndicatorTarget(target_text="ระดับดีขึ้นไป")
    assert text.target_display(Unit.LEVEL) == "ระดับดีขึ้นไป"
    score = IndicatorTarget(target_value=Decimal("85"), target_text="ระดับ AA")
    assert score.target_display(Unit.SCORE, "คะแนน") == "ไม่น้อยกว่า 85 คะแนน (ระดับ AA)"


def test_is_achieved_follows_the_comparison():
    at_least = IndicatorTarget(
        target_value=Decimal("80"), comparison=Comparison.AT_LEAST
    )
    assert at_least.is_achieved(Decimal("80")) is True
    assert at_least.is_achieved(Decimal("79.99")) is False
    at_most = IndicatorTarget(
        target_value=Decimal("0.5"), comparison=Comparison.AT_MOST
    )
    assert at_most.is_achieved(Decimal("0.4")) is True
    assert at_most.is_achieved(Decimal("0.6")) is False
    equal = IndicatorTarget(target_value=Decimal("100"), comparison=Comparison.EQUAL)
    assert equal.is_achieved(Decimal("100")) is True
    assert equal.is_achieved(Decimal("99")) is False
    assert at_least.is_achieved(None) is None
    assert IndicatorTarget(target_text="ระดับดี").is_achieved(Decimal("1")) is None


def test_indicator_code_is_strategy_dot_number():
    indicator = IndicatorFactory(strategy__number=2, number=7)
    assert indicator.code == "2.7"


def test_version_label_counts_revisions():
    plan = PlanFactory.build(version=1)
    assert plan.version_label == "ฉบับแรก"
    plan.version = 3
    assert plan.version_label == "ฉบับปรับปรุงครั้งที่ 2"


def test_policy_item_cannot_be_its_own_ancestor():
    root = PolicyItemFactory()
    child = PolicyItemFactory(parent=root)
    root.parent = child
    with pytest.raises(ValidationError) as error:
        root.full_clean()
    assert error.value.message_dict["parent"] == [ERROR_POLICY_PARENT_CYCLE]


def test_policy_item_years_must_be_in_order():
    item = PolicyItem(kind="obec_policy", title="ด้านโอกาส")
    item.fiscal_year_start, item.fiscal_year_end = 2570, 2566
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict["fiscal_year_end"] == [ERROR_POLICY_YEARS]
    item.fiscal_year_start, item.fiscal_year_end = 2566, 2570
    assert item.in_force(2566) and item.in_force(2570)
    assert not item.in_force(2565) and not item.in_force(2571)


def test_visible_to_scopes_plans_to_the_users_office(
    office, other_office, planner, outsider, admin_user
):
    mine = PlanFactory(organization=office)
    theirs = PlanFactory(organization=other_office)
    assert list(Plan.objects.visible_to(planner)) == [mine]
    assert list(Plan.objects.visible_to(outsider)) == [theirs]
    assert set(Plan.objects.visible_to(admin_user)) == {mine, theirs}
