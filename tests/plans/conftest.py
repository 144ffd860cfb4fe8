"""A small direction for the office of the shared cast, and admin helpers."""

import pytest

from tests.factories import (
    GoalFactory,
    GuidelineFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    MissionFactory,
    PlanFactory,
    PolicyItemFactory,
    StrategyFactory,
)


def build_direction(plan, *, strategies=2, indicators=3, years=(2568, 2569)):
    """``strategies`` strategies with ``indicators`` percent indicators each,
    one target per year (80, 85, …), two guidelines, a goal and a policy link."""
    MissionFactory(plan=plan, number=1, text="พัฒนาผู้เรียนให้มีคุณภาพตามมาตรฐาน")
    MissionFactory(plan=plan, number=2, text="พัฒนาครูให้มีสมรรถนะตามมาตรฐานวิชาชีพ")
    goal = GoalFactory(plan=plan, number=1, text="ผู้เรียนมีสมรรถนะตามหลักสูตร")
    GoalFactory(plan=plan, number=2, text="ครูจัดการเรียนรู้เชิงรุก")
    policy = PolicyItemFactory(code="(๒)", title="พัฒนาคุณภาพผู้เรียน")
    for s in range(1, strategies + 1):
        strategy = StrategyFactory(plan=plan, number=s, title=f"กลยุทธ์ทดสอบ {s}")
        strategy.goals.add(goal)
        strategy.policy_items.add(policy)
        GuidelineFactory(strategy=strategy, number=1, text=f"แนวทาง {s}.1")
        GuidelineFactory(strategy=strategy, number=2, text=f"แนวทาง {s}.2")
        for i in range(1, indicators + 1):
            indicator = IndicatorFactory(
                strategy=strategy, number=i, name=f"ร้อยละของผู้เรียน {s}.{i}", goal=goal
            )
            for offset, year in enumerate(years):
                IndicatorTargetFactory(
                    indicator=indicator, fiscal_year=year, target_value=80 + 5 * offset
                )
    return plan


@pytest.fixture
def plan(office):
    return build_direction(PlanFactory(organization=office, fiscal_year=2568))


@pytest.fixture
def staff_planner(planner):
    planner.is_staff = True
    planner.save(update_fields=["is_staff"])
    return planner


@pytest.fixture
def planner_client(client, staff_planner):
    client.force_login(staff_planner)
    return client


def management(prefix: str, total: int, initial: int = 0) -> dict:
    """The management form of an admin inline formset."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
