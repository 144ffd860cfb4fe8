import pytest
from django.urls import reverse

from plans.indicators import Unit
from plans.selectors import direction_for_plan
from tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    PlanFactory,
    StrategyFactory,
)
from tests.plans.conftest import build_direction

pytestmark = pytest.mark.django_db


def test_selector_returns_rows_with_years_as_columns(plan):
    # given: targets 80 (2568) and 85 (2569); one indicator lacks 2569
    indicator = plan.strategies.get(number=2).indicators.get(number=3)
    indicator.targets.get(fiscal_year=2569).delete()
    IndicatorTargetFactory(indicator=indicator, fiscal_year=2570, target_value=95)
    # when
    direction = direction_for_plan(plan)
    # then
    assert direction.years == [2568, 2569, 2570]
    assert [m.number for m in direction.missions] == [1, 2]
    assert [s.number for s in direction.strategies] == [1, 2]
    assert direction.indicator_count == 6
    first = direction.strategies[0]
    assert first.goal_numbers == [1]
    assert first.policies[0].code == "(๒)"
    assert [g.text for g in first.guidelines] == ["แนวทาง 1.1", "แนวทาง 1.2"]
    row = first.indicators[0]
    assert row.code == "1.1"
    assert row.goal_number == 1
    assert row.targets == ["ไม่น้อยกว่าร้อยละ 80", "ไม่น้อยกว่าร้อยละ 85", ""]
    last = direction.strategies[1].indicators[2]
    assert last.targets == ["ไม่น้อยกว่าร้อยละ 80", "", "ไม่น้อยกว่าร้อยละ 95"]


def test_page_prints_the_direction_with_thai_digits(client, plan, viewer):
    strategy = plan.strategies.get(number=1)
    text_indicator = IndicatorFactory(
        strategy=strategy, number=4, unit=Unit.LEVEL, name="ผลการประเมินมาตรฐาน"
    )
    IndicatorTargetFactory(
        indicator=text_indicator,
        fiscal_year=2568,
        target_value=None,
        target_text="ระดับดีขึ้นไป",
    )
    client.force_login(viewer)
    content = client.get(reverse("plans:direction", args=[plan.pk])).content.decode()
    assert "วิสัยทัศน์" in content and plan.vision in content
    assert "๑. พัฒนาผู้เรียนให้มีคุณภาพตามมาตรฐาน" in content
    assert "กลยุทธ์ที่ ๒ กลยุทธ์ทดสอบ 2" in content
    assert "<td>๑.๓</td>" in content
    assert "<td>๑.๔</td>" in content
    assert "ไม่น้อยกว่าร้อยละ ๘๐" in content
    assert "ไม่น้อยกว่าร้อยละ ๘๕" in content
    assert "ระดับดีขึ้นไป" in content
    assert '<th class="num">๒๕๖๘</th>' in content
    assert '<th class="num">๒๕๖๙</th>' in content
    assert "๑. แนวทาง 1.1" in content
    assert "พัฒนาคุณภาพผู้เรียน" in content  # the policy link
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๘" in content


def test_page_shows_empty_sections_in_thai(client, office, viewer):
    empty = PlanFactory(organization=office, fiscal_year=2570, vision="")
    client.force_login(viewer)
    content = client.get(reverse("plans:direction", args=[empty.pk])).content.decode()
    assert "ยังไม่ได้กำหนดวิสัยทัศน์" in content
    assert "ยังไม่ได้กำหนดกลยุทธ์" in content


def test_index_lists_plans_by_year_with_counts(client, plan, office, viewer):
    PlanFactory(organization=office, fiscal_year=2569)
    client.force_login(viewer)
    response = client.get(reverse("plans:index"))
    plans = list(response.context["plans"])
    assert [p.fiscal_year for p in plans] == [2569, 2568]
    assert (plans[1].strategy_count, plans[1].indicator_count) == (2, 6)
    assert "ทิศทางและกลยุทธ์" in response.content.decode()


def _grow(plan, number):
    strategy = StrategyFactory(plan=plan, number=number)
    for i in range(1, 6):
        indicator = IndicatorFactory(strategy=strategy, number=i)
        for year in (2568, 2569, 2570):
            IndicatorTargetFactory(indicator=indicator, fiscal_year=year)


def test_selector_query_count_does_not_grow_with_the_data(
    django_assert_num_queries, office
):
    plan = build_direction(PlanFactory(organization=office), strategies=1, indicators=1)
    with django_assert_num_queries(8):
        direction_for_plan(plan)
    for number in (2, 3, 4):
        _grow(plan, number)
    with django_assert_num_queries(8):
        direction = direction_for_plan(plan)
    assert direction.indicator_count == 16


def test_page_query_count_is_pinned(django_assert_num_queries, client, office, viewer):
    plan = build_direction(PlanFactory(organization=office), strategies=1, indicators=1)
    client.force_login(viewer)
    url = reverse("plans:direction", args=[plan.pk])
    client.get(url)  # warm the session
    # session, user, person, roles, plan, then the 8 of the selector
    with django_assert_num_queries(13):
        client.get(url)
    for number in (2, 3, 4):
        _grow(plan, number)
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.content.decode().count("<tr>") > 16
