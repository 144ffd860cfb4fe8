import pytest
from django.core.management import call_command
from django.http import HttpRequest

from core.thai import current_fiscal_year
from home import demo as home_demo
from plans.demo import load_demo_plan
from plans.indicators import Unit
from plans.models import (
    Goal,
    Guideline,
    Indicator,
    IndicatorTarget,
    Mission,
    Plan,
    PolicyItem,
    Strategy,
)

pytestmark = pytest.mark.django_db


def test_policy_fixture_loads_a_consistent_tree():
    call_command("loaddata", "policy_items", verbosity=0)
    items = {item.pk: item for item in PolicyItem.objects.all()}
    assert len(items) == 46
    for item in items.values():
        item.full_clean()  # years in order, no cycle
        seen = {item.pk}
        parent = items.get(item.parent_id)
        while parent is not None:  # reaches a root without looping
            assert parent.pk not in seen
            seen.add(parent.pk)
            # a child applies within its parent's years
            if parent.fiscal_year_start and item.fiscal_year_start:
                assert item.fiscal_year_start >= parent.fiscal_year_start
            if parent.fiscal_year_end and item.fiscal_year_end:
                assert item.fiscal_year_end <= parent.fiscal_year_end
            parent = items.get(parent.parent_id)
    codes = [(i.parent_id, i.kind, i.code) for i in items.values() if i.code]
    assert len(codes) == len(set(codes))  # no duplicate number among siblings


def test_policy_fixture_holds_the_documented_chain():
    call_command("loaddata", "policy_items", verbosity=0)
    national = PolicyItem.objects.get(kind="national_strategy", parent=None)
    assert [c.title for c in national.children.order_by("order")] == [
        "ด้านความมั่นคง",
        "ด้านการสร้างความสามารถในการแข่งขัน",
        "ด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์",
        "ด้านการสร้างโอกาสและความเสมอภาคทางสังคม",
        "ด้านการสร้างการเติบโตบนคุณภาพชีวิตที่เป็นมิตรต่อสิ่งแวดล้อม",
        "ด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ",
    ]
    learning = PolicyItem.objects.get(kind="master_plan", code="12")
    assert learning.parent.code == "3"
    assert learning.children.count() == 2
    assert (
        PolicyItem.objects.filter(kind="education_plan").exclude(parent=None).count()
        == 6
    )
    obec = PolicyItem.objects.filter(kind="obec_policy").exclude(parent=None)
    assert list(obec.order_by("order").values_list("title", flat=True)) == [
        "ด้านความปลอดภัย",
        "ด้านโอกาส",
        "ด้านคุณภาพ",
        "ด้านประสิทธิภาพ",
    ]
    assert all(i.in_force(2568) for i in obec)
    strategies = PolicyItem.objects.filter(kind="obec_strategy").exclude(parent=None)
    assert list(strategies.order_by("order").values_list("code", flat=True)) == [
        "(๑)",
        "(๒)",
        "(๓)",
        "(๔)",
        "(๕)",
    ]
    assert strategies.get(code="(๒)").title == "พัฒนาคุณภาพผู้เรียน"


def test_demo_wiring():
    # The policy items come with migrate (plans/migrations/0005), not the demo.
    assert home_demo.DEMO_FIXTURES == ["demo_office"]
    assert load_demo_plan in home_demo.DEMO_BUILDERS


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Plan,
            Mission,
            Goal,
            Strategy,
            Indicator,
            IndicatorTarget,
            Guideline,
        )
    }


@pytest.fixture
def demo_reference():
    call_command(
        "loaddata", "standard_groups", "policy_items", "demo_office", verbosity=0
    )


def test_demo_plan_is_realistic(demo_reference):
    plan = load_demo_plan()
    year = current_fiscal_year()
    assert (plan.organization_id, plan.fiscal_year) == (1, year)
    assert plan.status == Plan.Status.DRAFT
    assert 4 <= plan.missions.count() <= 6 and 4 <= plan.goals.count() <= 6
    assert list(plan.strategies.values_list("number", flat=True)) == [1, 2, 3, 4]
    indicators = Indicator.objects.filter(strategy__plan=plan)
    assert indicators.count() >= 15
    assert indicators.filter(unit=Unit.PERCENT).exists()
    assert indicators.filter(unit=Unit.COUNT).exclude(unit_label="").exists()
    targets = IndicatorTarget.objects.filter(indicator__strategy__plan=plan)
    assert targets.filter(target_text="ระดับดีขึ้นไป").exists()
    assert set(targets.values_list("fiscal_year", flat=True)) == {
        year,
        year + 1,
        year + 2,
        year + 3,
    }
    for target in targets.select_related("indicator"):
        target.full_clean()
    for strategy in plan.strategies.all():
        assert strategy.guidelines.exists()
        assert strategy.policy_items.exists()
    previous = Plan.objects.get(organization_id=1, fiscal_year=year - 1)
    assert previous.status == Plan.Status.APPROVED


def test_demo_plan_is_idempotent(demo_reference):
    load_demo_plan()
    first = _counts()
    strategy_pks = set(Strategy.objects.values_list("pk", flat=True))
    load_demo_plan()
    assert _counts() == first
    assert first["Plan"] == 2 and first["Strategy"] == 8
    # rows are updated in place, so links from projects survive a reload
    assert set(Strategy.objects.values_list("pk", flat=True)) == strategy_pks


def test_load_demo_command_includes_the_direction():
    call_command("load_demo", password="demo-pass", verbosity=0)
    call_command("load_demo", password="demo-pass", verbosity=0)
    assert Plan.objects.filter(organization_id=1).count() == 2
    assert PolicyItem.objects.count() == 46


def test_demo_direction_page_renders_for_the_demo_planner(client):
    from django.urls import reverse

    call_command("load_demo", password="demo-pass", verbosity=0)
    plan = Plan.objects.get(organization_id=1, fiscal_year=current_fiscal_year())
    assert client.login(request=HttpRequest(), username="planner", password="demo-pass")
    content = client.get(reverse("plans:direction", args=[plan.pk])).content.decode()
    assert "กลยุทธ์ที่ ๔ การพัฒนาสำนักงานเขตพื้นที่การศึกษา" in content
    assert "ไม่น้อยกว่า ๘๕ คะแนน (ระดับ AA)" in content
    assert "ไม่เกินร้อยละ ๐.๕๐" in content
    assert "ระดับดีขึ้นไป" in content
    assert "แก้ไขทิศทางและกลยุทธ์" in content
    admin_page = client.get(
        reverse("admin:plans_strategy_change", args=[plan.strategies.get(number=1).pk])
    )
    assert admin_page.status_code == 200
