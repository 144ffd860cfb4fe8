import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.http import HttpRequest

from home.demo import DEMO_YEARS
from plans.indicators import Unit
from plans.models import (
    Indicator,
    IndicatorTarget,
    Plan,
    PolicyItem,
)

pytestmark = pytest.mark.django_db


def test_policy_fixture_loads_a_consistent_tree():
    call_command("loaddata", "policy_items", verbosity=0)
    items = {item.pk: item for item in PolicyItem.objects.all()}
    assert len(items) == 60
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


def test_load_demo_command_includes_a_realistic_direction():
    call_command("load_demo", password="demo-pass", verbosity=0)
    call_command("load_demo", password="demo-pass", verbosity=0)
    assert Plan.objects.filter(organization_id=1).count() == 2
    assert PolicyItem.objects.count() == 60
    previous_year, year = DEMO_YEARS
    plan = Plan.objects.get(organization_id=1, fiscal_year=year)
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
    previous = Plan.objects.get(organization_id=1, fiscal_year=previous_year)
    assert previous.status == Plan.Status.APPROVED
    assert previous.approved_by.username == "director"


def test_demo_direction_page_renders_for_the_demo_planner(client):
    from django.urls import reverse

    call_command("load_demo", password="demo-pass", verbosity=0)
    plan = Plan.objects.get(organization_id=1, fiscal_year=DEMO_YEARS[1])
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


NESDP_ROOT = "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13 (พ.ศ. 2566 – 2570)"


def test_migrate_ships_the_13th_development_plan_and_its_13_milestones():
    root = PolicyItem.objects.get(kind=PolicyItem.Kind.DEVELOPMENT_PLAN, parent=None)
    assert root.title == NESDP_ROOT
    assert root.get_kind_display() == "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ"
    assert (root.fiscal_year_start, root.fiscal_year_end) == (2566, 2570)
    milestones = list(root.children.order_by("order"))
    assert [m.code for m in milestones] == [f"หมุดหมายที่ {n}" for n in range(1, 14)]
    assert all(m.kind == PolicyItem.Kind.DEVELOPMENT_PLAN for m in milestones)
    assert milestones[11].title == (
        "ไทยมีกำลังคนสมรรถนะสูง มุ่งเรียนรู้อย่างต่อเนื่อง ตอบโจทย์การพัฒนาแห่งอนาคต"
    )
    assert all(m.in_force(2569) for m in milestones)


def test_the_milestone_migration_adds_them_to_a_database_that_lacks_them():
    """A database migrated before the milestones were shipped gets them from
    plans 0012, and every item it already had keeps its row and links."""
    nesdp = PolicyItem.objects.filter(kind=PolicyItem.Kind.DEVELOPMENT_PLAN)
    nesdp.exclude(parent=None).delete()
    nesdp.delete()
    before = dict(PolicyItem.objects.values_list("pk", "title"))
    PolicyItem.objects.filter(kind="obec_policy", code="3").update(is_active=False)

    migration = importlib.import_module(
        "plans.migrations.0012_load_development_plan_milestones"
    )
    editor = SimpleNamespace(connection=SimpleNamespace(alias="default"))
    migration.load(apps, editor)
    migration.load(apps, editor)  # again: nothing twice

    assert nesdp.count() == 14
    assert nesdp.get(parent=None).children.count() == 13
    assert (
        dict(
            PolicyItem.objects.exclude(kind="development_plan").values_list(
                "pk", "title"
            )
        )
        == before
    )
    assert not PolicyItem.objects.get(kind="obec_policy", code="3").is_active
