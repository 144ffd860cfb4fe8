"""Issue 21 item 5 in the admin: a strategy indicator measured in five success
levels, with its criteria on the indicator page and its yearly targets as
levels 1–5; refusals in Thai, another office's indicator refused."""

import pytest
from django.urls import reverse

from plans.indicators import ERROR_LEVEL_CRITERIA, ERROR_LEVEL_TARGET
from plans.models import Indicator
from tests.factories import PlanFactory
from tests.plans.conftest import build_direction, management

pytestmark = pytest.mark.django_db

CRITERIA = [
    "มีระบบฐานข้อมูลผลการประเมินระดับชาติ",
    "วิเคราะห์ผลการประเมินรายโรงเรียน",
    "จัดทำแผนยกระดับผลสัมฤทธิ์รายโรงเรียน",
    "โรงเรียนร้อยละ 80 ดำเนินการตามแผน",
    "ผลสัมฤทธิ์เฉลี่ยสูงขึ้นทุกกลุ่มสาระ",
]


def _post(strategy, *, criteria=CRITERIA, target="4", number="8"):
    return {
        "strategy": strategy.pk,
        "number": number,
        "name": "ระดับความสำเร็จของการยกระดับผลสัมฤทธิ์",
        "unit": "success",
        "direction": "higher",
        **{f"criterion_{level}": text for level, text in enumerate(criteria, start=1)},
        **management("targets", 1),
        "targets-0-fiscal_year": "2568",
        "targets-0-comparison": "eq",
        "targets-0-target_value": target,
        "targets-0-target_text": "",
    }


def test_the_indicator_page_saves_criteria_and_a_level_target(planner_client, plan):
    strategy = plan.strategies.get(number=1)
    response = planner_client.post(
        reverse("admin:plans_indicator_add"), _post(strategy)
    )
    assert response.status_code == 302, response.content.decode()
    indicator = strategy.indicators.get(number=8)
    assert indicator.level_criteria == CRITERIA
    target = indicator.targets.get()
    assert (target.target_value, target.comparison) == (4, "gte")
    assert indicator.history.count() == 1  # saved through the services
    page = planner_client.get(
        reverse("admin:plans_indicator_change", args=[indicator.pk])
    ).content.decode()
    assert "เกณฑ์ระดับ 5" in page and CRITERIA[4] in page


@pytest.mark.parametrize(
    ("criteria", "target", "message"),
    [
        (CRITERIA[:3], "4", ERROR_LEVEL_CRITERIA),
        (CRITERIA, "0", ERROR_LEVEL_TARGET),
    ],
)
def test_a_bad_level_indicator_is_refused_in_thai(
    planner_client, plan, criteria, target, message
):
    strategy = plan.strategies.get(number=1)
    response = planner_client.post(
        reverse("admin:plans_indicator_add"),
        _post(strategy, criteria=criteria, target=target),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Indicator.objects.filter(number=8).exists()


def test_the_strategy_inline_refuses_a_level_unit_without_criteria_in_thai(
    planner_client, plan
):
    """The strategy page lists indicators without their criteria: choosing
    "ระดับความสำเร็จ" there is refused on the unit, not a server error."""
    strategy = plan.strategies.get(number=1)
    data = {
        "plan": strategy.plan_id,
        "number": strategy.number,
        "title": strategy.title,
        "description": strategy.description,
        **management("indicators", 1),
        "indicators-0-number": "9",
        "indicators-0-name": "ระดับความสำเร็จของการนิเทศ",
        "indicators-0-unit": "success",
        "indicators-0-direction": "higher",
        **management("guidelines", 0),
    }
    response = planner_client.post(
        reverse("admin:plans_strategy_change", args=[strategy.pk]), data
    )
    assert response.status_code == 200
    assert ERROR_LEVEL_CRITERIA in response.content.decode()
    assert not strategy.indicators.filter(number=9).exists()


def test_another_offices_planner_cannot_add_a_level_indicator(
    planner_client, plan, other_office
):
    """A valid body, naming another office's strategy."""
    foreign = build_direction(
        PlanFactory(organization=other_office, fiscal_year=2568), strategies=1
    )
    strategy = foreign.strategies.get()
    before = Indicator.objects.count()
    response = planner_client.post(
        reverse("admin:plans_indicator_add"), _post(strategy)
    )
    assert response.status_code in (200, 403, 404)
    assert Indicator.objects.count() == before
    assert not strategy.indicators.filter(number=8).exists()


def test_a_reader_sees_the_criteria_as_one_thai_row(client, plan, head_a):
    """A role that may only view the admin page (a group head) gets the
    criteria read-only, labelled in Thai: the form's criterion fields are not
    model fields, and the admin would print "Criterion 1: None"."""
    strategy = plan.strategies.get(number=1)
    indicator = strategy.indicators.create(
        number=8,
        name="ระดับความสำเร็จของการยกระดับผลสัมฤทธิ์",
        unit="success",
        level_criteria=CRITERIA,
    )
    head_a.is_staff = True
    head_a.save(update_fields=["is_staff"])
    client.force_login(head_a)
    page = client.get(reverse("admin:plans_indicator_change", args=[indicator.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Criterion" not in text and "None" not in text
    assert "เกณฑ์ระดับความสำเร็จ" in text and f"ระดับ 5: {CRITERIA[4]}" in text
