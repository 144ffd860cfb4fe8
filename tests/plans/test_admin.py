import pytest
from django.urls import reverse

from plans import services
from plans.admin import ERROR_GOAL_OTHER_PLAN
from plans.models import (
    Indicator,
    Plan,
    PlanRevision,
    PolicyItem,
    Strategy,
)
from tests.factories import PlanFactory, PolicyItemFactory
from tests.plans.conftest import build_direction, management

pytestmark = pytest.mark.django_db

MODELS = ["plan", "strategy", "indicator", "policyitem"]


def _approve(plan, planner, director):
    services.plan_submit(plan=plan, user=planner)
    services.plan_approve(plan=plan, user=director)


def _plan_post(plan, **changes):
    data = {
        "organization": plan.organization_id,
        "fiscal_year": plan.fiscal_year,
        "title": plan.title,
        "vision": plan.vision,
        "indicator_numbering": plan.indicator_numbering,
        **management("missions", 0),
        **management("goals", 0),
        **management("strategies", 0),
        **management("revisions", 0),
    }
    data.update(changes)
    return data


def _strategy_post(strategy, **changes):
    data = {
        "plan": strategy.plan_id,
        "number": strategy.number,
        "title": strategy.title,
        "description": strategy.description,
        **management("indicators", 0),
        **management("guidelines", 0),
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------- smoke


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_and_add_render(admin_client, plan, model):
    changelist = reverse(f"admin:plans_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "ทดสอบ"}).status_code == 200
    assert admin_client.get(reverse(f"admin:plans_{model}_add")).status_code == 200


def test_filters_by_fiscal_year(planner_client, plan, office):
    build_direction(PlanFactory(organization=office, fiscal_year=2569), strategies=1)
    url = reverse("admin:plans_strategy_changelist")
    response = planner_client.get(url, {"plan__fiscal_year": 2569})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = planner_client.get(
        reverse("admin:plans_indicator_changelist"),
        {"strategy__plan__fiscal_year": 2568},
    )
    assert response.context["cl"].result_count == 6


def test_change_pages_render_with_inlines(planner_client, plan):
    strategy = plan.strategies.get(number=1)
    indicator = strategy.indicators.get(number=1)
    content = planner_client.get(
        reverse("admin:plans_plan_change", args=[plan.pk])
    ).content.decode()
    assert "พัฒนาผู้เรียนให้มีคุณภาพตามมาตรฐาน" in content  # mission inline
    assert "ดูทิศทางและกลยุทธ์" in content
    content = planner_client.get(
        reverse("admin:plans_strategy_change", args=[strategy.pk])
    ).content.decode()
    assert "แนวทาง 1.1" in content
    # the targets summary column links to the indicator page
    assert "2568: ไม่น้อยกว่าร้อยละ 80; 2569: ไม่น้อยกว่าร้อยละ 85" in content
    assert reverse("admin:plans_indicator_change", args=[indicator.pk]) in content
    response = planner_client.get(
        reverse("admin:plans_indicator_change", args=[indicator.pk])
    )
    assert response.status_code == 200


# ---------------------------------------------------------------- saves


def test_planner_adds_a_plan_with_missions_and_goals(planner_client, office):
    data = {
        "organization": office.pk,
        "fiscal_year": 2570,
        "title": "",
        "vision": "ผู้เรียนมีคุณภาพ",
        "indicator_numbering": "by_strategy",
        **management("missions", 2),
        "missions-0-number": "1",
        "missions-0-text": "พันธกิจที่หนึ่ง",
        "missions-1-number": "2",
        "missions-1-text": "พันธกิจที่สอง",
        **management("goals", 1),
        "goals-0-number": "1",
        "goals-0-text": "เป้าประสงค์ที่หนึ่ง",
        **management("strategies", 0),
        **management("revisions", 0),
    }
    response = planner_client.post(reverse("admin:plans_plan_add"), data)
    assert response.status_code == 302, response.content.decode()
    plan = Plan.objects.get(organization=office, fiscal_year=2570)
    assert plan.status == Plan.Status.DRAFT
    assert plan.missions.count() == 2 and plan.goals.count() == 1


def test_planner_cannot_create_a_plan_for_another_office(planner_client, other_office):
    data = _plan_post(PlanFactory.build(organization=other_office, fiscal_year=2570))
    response = planner_client.post(reverse("admin:plans_plan_add"), data)
    assert response.status_code == 200
    assert not Plan.objects.filter(organization=other_office).exists()


def test_strategy_page_saves_indicators_and_guidelines(planner_client, plan):
    strategy = plan.strategies.get(number=1)
    data = _strategy_post(
        strategy,
        title="การพัฒนาคุณภาพนักเรียน",
        **management("indicators", 1),
        **{
            "indicators-0-number": "9",
            "indicators-0-name": "จำนวนโรงเรียนที่ผ่านการประเมิน",
            "indicators-0-unit": "count",
            "indicators-0-unit_label": "โรงเรียน",
            "indicators-0-direction": "higher",
            "indicators-0-baseline_value": "",
            "indicators-0-goal": "",
            "indicators-0-tags": "S",
        },
        **management("guidelines", 1),
        **{"guidelines-0-number": "9", "guidelines-0-text": "แนวทางใหม่"},
    )
    response = planner_client.post(
        reverse("admin:plans_strategy_change", args=[strategy.pk]), data
    )
    assert response.status_code == 302, response.content.decode()
    strategy.refresh_from_db()
    assert strategy.title == "การพัฒนาคุณภาพนักเรียน"
    assert strategy.indicators.filter(number=9, unit_label="โรงเรียน").exists()
    assert strategy.guidelines.filter(number=9, text="แนวทางใหม่").exists()


def test_duplicate_numbers_in_inlines_get_thai_errors_and_nothing_is_saved(
    planner_client, plan
):
    strategy = plan.strategies.get(number=1)
    row = {
        "unit": "percent",
        "direction": "higher",
        "name": "ตัวชี้วัดใหม่",
    }
    data = _strategy_post(
        strategy,
        title="ชื่อที่ไม่ควรถูกบันทึก",
        **management("indicators", 2),
        **{f"indicators-0-{k}": v for k, v in row.items()},
        **{f"indicators-1-{k}": v for k, v in row.items()},
        **{"indicators-0-number": "7", "indicators-1-number": "7"},
        **management("guidelines", 2),
        **{
            "guidelines-0-number": "5",
            "guidelines-0-text": "ก",
            "guidelines-1-number": "5",
            "guidelines-1-text": "ข",
        },
    )
    response = planner_client.post(
        reverse("admin:plans_strategy_change", args=[strategy.pk]), data
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "ลำดับตัวชี้วัดนี้ซ้ำกับตัวชี้วัดอื่นในกลยุทธ์เดียวกัน" in content
    assert "ลำดับแนวทางนี้ซ้ำในกลยุทธ์เดียวกัน" in content
    strategy.refresh_from_db()
    assert strategy.title == "กลยุทธ์ทดสอบ 1"
    assert strategy.indicators.count() == 3 and strategy.guidelines.count() == 2


def test_new_indicator_clashing_with_a_saved_one_gets_the_thai_error(
    planner_client, plan
):
    strategy = plan.strategies.get(number=1)
    data = {
        "strategy": strategy.pk,
        "number": "1",
        "name": "ซ้ำกับตัวชี้วัดที่ 1",
        "unit": "percent",
        "direction": "higher",
        **management("targets", 0),
    }
    response = planner_client.post(reverse("admin:plans_indicator_add"), data)
    assert "ลำดับตัวชี้วัดนี้ซ้ำกับตัวชี้วัดอื่นในกลยุทธ์เดียวกัน" in response.content.decode()
    assert strategy.indicators.count() == 3


def test_percent_target_out_of_range_is_refused_on_the_add_page(planner_client, plan):
    strategy = plan.strategies.get(number=1)
    data = {
        "strategy": strategy.pk,
        "number": "8",
        "name": "ร้อยละของผู้เรียนที่อ่านออก",
        "unit": "percent",
        "direction": "higher",
        **management("targets", 1),
        "targets-0-fiscal_year": "2568",
        "targets-0-comparison": "gte",
        "targets-0-target_value": "120",
        "targets-0-target_text": "",
    }
    response = planner_client.post(reverse("admin:plans_indicator_add"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "ค่าเป้าหมายที่เป็นร้อยละต้องอยู่ระหว่าง 0 ถึง 100" in content
    assert 'value="120"' in content  # the form keeps what was typed
    assert not Indicator.objects.filter(number=8).exists()


def test_indicator_page_saves_targets_per_year(planner_client, plan):
    indicator = plan.strategies.get(number=1).indicators.get(number=1)
    targets = list(indicator.targets.all())
    data = {
        "strategy": indicator.strategy_id,
        "number": "1",
        "name": indicator.name,
        "unit": "percent",
        "direction": "higher",
        **management("targets", 3, initial=2),
    }
    for index, target in enumerate(targets):
        data.update(
            {
                f"targets-{index}-id": target.pk,
                f"targets-{index}-indicator": indicator.pk,
                f"targets-{index}-fiscal_year": target.fiscal_year,
                f"targets-{index}-comparison": "gte",
                f"targets-{index}-target_value": target.target_value,
                f"targets-{index}-target_text": "",
            }
        )
    data.update(
        {
            "targets-2-indicator": indicator.pk,
            "targets-2-fiscal_year": "2570",
            "targets-2-comparison": "gte",
            "targets-2-target_value": "90",
            "targets-2-target_text": "",
        }
    )
    response = planner_client.post(
        reverse("admin:plans_indicator_change", args=[indicator.pk]), data
    )
    assert response.status_code == 302, response.content.decode()
    assert list(indicator.targets.values_list("fiscal_year", "target_value")) == [
        (2568, 80),
        (2569, 85),
        (2570, 90),
    ]


# ---------------------------------------------------------------- locked plans


def test_approved_plan_is_read_only_and_refuses_saves(
    planner_client, plan, planner, director
):
    _approve(plan, planner, director)
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    content = planner_client.get(url).content.decode()
    assert services.ERROR_PLAN_LOCKED in content
    assert 'name="vision"' not in content  # shown read-only
    assert "ปรับปรุงแผน (ฉบับปรับปรุง)" in content
    response = planner_client.post(
        url, _plan_post(plan, vision="แก้ไขแอบ ๆ"), follow=True
    )
    assert services.ERROR_PLAN_LOCKED in response.content.decode()
    plan.refresh_from_db()
    assert plan.vision != "แก้ไขแอบ ๆ"


@pytest.mark.parametrize("kind", ["strategy", "indicator"])
def test_direction_children_of_an_approved_plan_refuse_saves(
    planner_client, plan, planner, director, kind
):
    _approve(plan, planner, director)
    strategy = plan.strategies.get(number=1)
    if kind == "strategy":
        url = reverse("admin:plans_strategy_change", args=[strategy.pk])
        data = _strategy_post(strategy, title="แก้ไขแอบ ๆ")
    else:
        indicator = strategy.indicators.get(number=1)
        url = reverse("admin:plans_indicator_change", args=[indicator.pk])
        data = {
            "strategy": strategy.pk,
            "number": "1",
            "name": "แก้ไขแอบ ๆ",
            "unit": "percent",
            "direction": "higher",
            **management("targets", 0),
        }
    response = planner_client.post(url, data, follow=True)
    assert services.ERROR_PLAN_LOCKED in response.content.decode()
    assert not Strategy.objects.filter(title="แก้ไขแอบ ๆ").exists()
    assert not Indicator.objects.filter(name="แก้ไขแอบ ๆ").exists()


def test_adding_a_strategy_to_an_approved_plan_is_refused(
    planner_client, plan, planner, director
):
    _approve(plan, planner, director)
    data = {
        "plan": plan.pk,
        "number": "9",
        "title": "กลยุทธ์ใหม่",
        "description": "",
        **management("indicators", 0),
        **management("guidelines", 0),
    }
    response = planner_client.post(reverse("admin:plans_strategy_add"), data)
    assert services.ERROR_PLAN_LOCKED in response.content.decode()
    assert not Strategy.objects.filter(number=9).exists()


# ---------------------------------------------------------------- actions


def _action(client, action, plans, follow=True):
    return client.post(
        reverse("admin:plans_plan_changelist"),
        {"action": action, "_selected_action": [p.pk for p in plans]},
        follow=follow,
    )


def test_submit_action(planner_client, plan):
    response = _action(planner_client, "submit_plans", [plan])
    assert "เสนออนุมัติแล้ว 1 แผน" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_approve_action_is_for_directors_only(
    client, planner_client, plan, planner, director
):
    services.plan_submit(plan=plan, user=planner)
    # the planner does not even get the action
    response = _action(planner_client, "approve_plans", [plan])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED
    director.is_staff = True
    director.save(update_fields=["is_staff"])
    client.force_login(director)
    response = _action(client, "approve_plans", [plan])
    assert "อนุมัติแล้ว 1 แผน" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_copy_action_reports_counts(planner_client, plan):
    response = _action(planner_client, "copy_to_next_year", [plan])
    content = response.content.decode()
    assert "คัดลอกไปยังปีงบประมาณ พ.ศ. 2569 แล้ว" in content
    assert "ตัวชี้วัด 6 ตัวชี้วัด" in content
    assert Plan.objects.filter(
        organization=plan.organization, fiscal_year=2569
    ).exists()
    # a second copy to the same year is refused in Thai
    response = _action(planner_client, "copy_to_next_year", [plan])
    assert "มีแผนของปีงบประมาณ พ.ศ. 2569 แล้ว" in response.content.decode()
    assert Plan.objects.filter(organization=plan.organization).count() == 2


def test_revision_action_asks_for_a_reason_then_reopens_the_plan(
    planner_client, plan, planner, director
):
    _approve(plan, planner, director)
    response = _action(planner_client, "start_revision", [plan], follow=False)
    revise_url = reverse("admin:plans_plan_revise", args=[plan.pk])
    assert response["Location"] == revise_url
    assert "เหตุผลการปรับปรุงแผน" in planner_client.get(revise_url).content.decode()
    # without a reason: the Thai error, the typed date kept, nothing recorded
    response = planner_client.post(
        revise_url, {"reason": "", "revised_on": "15/3/2568"}
    )
    assert services.ERROR_REVISION_REASON in response.content.decode()
    assert 'value="15/3/2568"' in response.content.decode()
    assert not PlanRevision.objects.exists()
    response = planner_client.post(
        revise_url,
        {"reason": "ปรับตามงบประมาณที่ได้รับจัดสรรจริง", "revised_on": "15 มี.ค. 2568"},
        follow=True,
    )
    assert "ฉบับปรับปรุงครั้งที่ 1" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.version == 2
    revision = plan.revisions.get()
    assert str(revision.revised_on) == "2025-03-15"


def test_revision_action_needs_exactly_one_plan(planner_client, plan, office):
    other = PlanFactory(organization=office, fiscal_year=2569)
    response = _action(planner_client, "start_revision", [plan, other])
    assert "กรุณาเลือกแผนทีละหนึ่งแผน" in response.content.decode()


# ---------------------------------------------------------------- scoping


def test_planner_sees_only_the_own_office(planner_client, plan, other_office):
    foreign = build_direction(
        PlanFactory(organization=other_office, fiscal_year=2568), strategies=1
    )
    response = planner_client.get(reverse("admin:plans_plan_changelist"))
    assert list(response.context["cl"].queryset) == [plan]
    response = planner_client.get(reverse("admin:plans_strategy_changelist"))
    assert response.context["cl"].result_count == 2
    strategy = foreign.strategies.get()
    url = reverse("admin:plans_strategy_change", args=[strategy.pk])
    response = planner_client.post(url, _strategy_post(strategy, title="แก้ของคนอื่น"))
    assert response.status_code == 302  # "does not exist" redirect
    strategy.refresh_from_db()
    assert strategy.title == "กลยุทธ์ทดสอบ 1"


def test_group_head_staff_reads_but_cannot_change(client, plan, head_a):
    head_a.is_staff = True
    head_a.save(update_fields=["is_staff"])
    client.force_login(head_a)
    url = reverse(
        "admin:plans_strategy_change", args=[plan.strategies.get(number=1).pk]
    )
    content = client.get(url).content.decode()
    assert 'name="title"' not in content
    response = client.post(
        url, _strategy_post(plan.strategies.get(number=1), title="x")
    )
    assert response.status_code == 403
    assert not Strategy.objects.filter(title="x").exists()
    assert client.get(reverse("admin:plans_strategy_add")).status_code == 403


def test_policy_items_are_changed_by_admins_only(planner_client, admin_client):
    item = PolicyItemFactory(title="ด้านคุณภาพ")
    count = PolicyItem.objects.count()  # with the ones migrate loads
    url = reverse("admin:plans_policyitem_change", args=[item.pk])
    content = planner_client.get(url).content.decode()
    assert 'name="title"' not in content
    data = {
        "kind": item.kind,
        "parent": "",
        "code": item.code,
        "title": "แก้โดยนักวางแผน",
        "fiscal_year_start": "",
        "fiscal_year_end": "",
        "order": "0",
        **management("children", 0),
    }
    assert planner_client.post(url, data).status_code == 403
    data["title"] = "ด้านคุณภาพการศึกษา"
    assert admin_client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.title == "ด้านคุณภาพการศึกษา"
    assert PolicyItem.objects.count() == count


def test_goal_of_another_plan_is_refused_in_thai(planner_client, plan, office):
    other = build_direction(
        PlanFactory(organization=office, fiscal_year=2569), strategies=1
    )
    strategy = plan.strategies.get(number=1)
    foreign_goal = other.goals.get(number=1)
    data = _strategy_post(strategy, goals=[foreign_goal.pk])
    response = planner_client.post(
        reverse("admin:plans_strategy_change", args=[strategy.pk]), data
    )
    assert ERROR_GOAL_OTHER_PLAN in response.content.decode()
    assert list(strategy.goals.all()) == [plan.goals.get(number=1)]
