"""The admin as the data-entry screen: pages load, a whole sheet saves with its
inlines, object permissions follow projects.rules, workflow actions work."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import CostLine, QuarterPlan
from projects.models import Activity, Project, ProjectTransition
from tests.factories import (
    ActivityFactory,
    ExpenseCategoryFactory,
    PersonFactory,
    PlanFactory,
    ProjectFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

S = Project.Status
CHANGELIST = "admin:projects_project_changelist"


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _sheet_post(plan, group, strategy, person, **overrides):
    data = {
        "plan": plan.pk,
        "group": group.pk,
        "code": "68-010",
        "sequence": "10",
        "name": "โครงการส่งเสริมการอ่านออกเขียนได้",
        "budget_plan": "พื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน",
        "kind": "new",
        "responsible_note": "และคณะ",
        "start_month": "ต.ค. 2567",
        "end_month": "9/2568",
        "strategies": [strategy.pk],
        "rationale": "นักเรียนชั้นประถมศึกษาปีที่ 1 ยังอ่านไม่คล่อง",
        "uses_budget": "on",
        "virement_allowed": "on",
        "virement_wording": "ถัวจ่ายทุกรายการ",
        "output_statement": "",
        "outcome_statement": "",
        "location": "",
        "target_group": "",
        **_management("responsibles", 1),
        "responsibles-0-order": "1",
        "responsibles-0-person": person.pk,
        "responsibles-0-name_text": "",
        **_management("objectives", 2),
        "objectives-0-order": "1",
        "objectives-0-text": "เพื่อให้นักเรียนอ่านออกเขียนได้",
        "objectives-1-order": "2",
        "objectives-1-text": "เพื่อพัฒนาครูผู้สอนภาษาไทย",
        **_management("targets", 1),
        "targets-0-kind": "quantitative",
        "targets-0-order": "1",
        "targets-0-text": "นักเรียนชั้น ป.1",
        "targets-0-quantity": "1250",
        "targets-0-unit": "คน",
        **_management("activities", 1),
        "activities-0-order": "1",
        "activities-0-name": "คัดกรองการอ่าน",
        "activities-0-target": "1,250 คน",
        "activities-0-months": "พ.ย. – ธ.ค. 2567",
        "activities-0-responsible": "",
        "activities-0-responsible_text": "ศึกษานิเทศก์",
        **_management("kpis", 1),
        "kpis-0-order": "1",
        "kpis-0-result_kind": "output",
        "kpis-0-nature": "quantitative",
        "kpis-0-name": "ร้อยละของนักเรียนที่อ่านออก",
        "kpis-0-unit": "percent",
        "kpis-0-unit_label": "",
        "kpis-0-comparison": "gte",
        "kpis-0-target_value": "90",
        "kpis-0-target_text": "",
        "kpis-0-method": "ทดสอบการอ่าน",
        "kpis-0-instrument": "แบบทดสอบการอ่าน",
        **_management("expected_results", 1),
        "expected_results-0-order": "1",
        "expected_results-0-text": "นักเรียนอ่านออกเขียนได้ทุกคน",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_head_a(head_a):
    return _staff(head_a)


# ------------------------------------------------------------------ pages


def test_changelist_add_and_search_render(admin_client, ready_project):
    changelist = reverse(CHANGELIST)
    response = admin_client.get(changelist)
    assert response.status_code == 200
    assert "ครบ 8/8" in response.content.decode()
    assert admin_client.get(changelist, {"q": "พัฒนาครู"}).status_code == 200
    assert admin_client.get(changelist, {"plan__fiscal_year": 2568}).status_code == 200
    assert admin_client.get(reverse("admin:projects_project_add")).status_code == 200
    change = admin_client.get(
        reverse("admin:projects_project_change", args=[ready_project.pk])
    )
    content = change.content.decode()
    assert change.status_code == 200
    assert "✓ ข้อ 8 ผลที่คาดว่าจะได้รับ" in content
    assert 'value="ต.ค. 2567"' in content
    assert "พ.ย. 2567 – ธ.ค. 2567" in content
    activities = reverse("admin:projects_activity_changelist")
    assert admin_client.get(activities).status_code == 200
    assert admin_client.get(activities, {"q": "ประชุม"}).status_code == 200


def test_changelist_in_fixed_queries(
    client, plan, group_a, staff_head_a, django_assert_num_queries
):
    client.force_login(staff_head_a)
    url = reverse(CHANGELIST)
    for count in (3, 8):
        while Project.objects.count() < count:
            ProjectFactory(plan=plan, group=group_a)
        # session, user, permissions (2), person, roles, group filter, counts (2),
        # rows, year filter: the same for 3 and 8 projects
        with django_assert_num_queries(11):
            response = client.get(url)
        assert len(response.context["cl"].result_list) == count


def test_a_whole_sheet_saves_from_the_add_page(
    admin_client, plan, group_a, strategy, office
):
    person = PersonFactory(organization=office)
    response = admin_client.post(
        reverse("admin:projects_project_add"),
        _sheet_post(plan, group_a, strategy, person),
    )
    assert response.status_code == 302, response.context["errors"]
    project = Project.objects.get(code="68-010")
    assert (project.start_month, project.end_month) == (
        datetime.date(2024, 10, 1),
        datetime.date(2025, 9, 1),
    )
    assert list(project.strategies.all()) == [strategy]
    assert [o.text for o in project.objectives.all()] == [
        "เพื่อให้นักเรียนอ่านออกเขียนได้",
        "เพื่อพัฒนาครูผู้สอนภาษาไทย",
    ]
    activity = project.activities.get()
    assert activity.months == ["2024-11-01", "2024-12-01"]
    assert project.kpis.get().instrument == "แบบทดสอบการอ่าน"
    assert project.responsibles.get().person == person
    assert project.targets.get().quantity == Decimal("1250")
    assert project.created_by.is_superuser


def test_bad_input_gives_thai_errors_and_keeps_what_was_typed(
    admin_client, plan, group_a, strategy, office
):
    person = PersonFactory(organization=office)
    data = _sheet_post(
        plan,
        group_a,
        strategy,
        person,
        end_month="ก.ย. 2567",
        **{"kpis-0-target_value": "120", "objectives-1-text": "   "},
    )
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "เดือนสิ้นสุดต้องไม่ก่อนเดือนเริ่มดำเนินการ" in content
    assert "ค่าเป้าหมายที่เป็นร้อยละต้องอยู่ระหว่าง 0 ถึง 100" in content
    assert "โครงการส่งเสริมการอ่านออกเขียนได้" in content
    assert "คัดกรองการอ่าน" in content
    assert not Project.objects.filter(code="68-010").exists()


def test_strategies_of_another_plan_are_refused(admin_client, plan, group_a, office):
    other = StrategyFactory(plan=PlanFactory(organization=office, fiscal_year=2567))
    person = PersonFactory(organization=office)
    response = admin_client.post(
        reverse("admin:projects_project_add"),
        _sheet_post(plan, group_a, other, person),
    )
    assert response.status_code == 200
    assert not Project.objects.filter(code="68-010").exists()


def test_strategy_choices_are_limited_to_the_project_plan(
    admin_client, ready_project, strategy, office
):
    other = StrategyFactory(
        plan=PlanFactory(organization=office, fiscal_year=2567), title="กลยุทธ์ปีเก่า"
    )
    response = admin_client.get(
        reverse("admin:projects_project_change", args=[ready_project.pk])
    )
    choices = response.context["adminform"].form.fields["strategies"].queryset
    assert list(choices) == [strategy]
    assert other not in choices


def test_group_head_adds_a_project_only_for_their_group(
    client, staff_head_a, plan, group_a, group_b, strategy, office
):
    client.force_login(staff_head_a)
    person = PersonFactory(organization=office)
    refused = client.post(
        reverse("admin:projects_project_add"),
        _sheet_post(plan, group_b, strategy, person),
    )
    assert refused.status_code == 200
    assert "group" in refused.context["adminform"].form.errors
    accepted = client.post(
        reverse("admin:projects_project_add"),
        _sheet_post(plan, group_a, strategy, person),
    )
    assert accepted.status_code == 302
    assert Project.objects.get(code="68-010").group == group_a


# ------------------------------------------------------------------ object permissions


def test_other_group_head_gets_a_read_only_page_and_403_on_save(
    client, head_b, ready_project
):
    client.force_login(_staff(head_b))
    url = reverse("admin:projects_project_change", args=[ready_project.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.post(url, {"name": "เปลี่ยนชื่อ"}).status_code == 403
    assert Project.objects.get(pk=ready_project.pk).name == ready_project.name


def test_approved_project_is_read_only_even_for_planner(client, planner, ready_project):
    Project.objects.filter(pk=ready_project.pk).update(status=S.APPROVED)
    client.force_login(_staff(planner))
    url = reverse("admin:projects_project_change", args=[ready_project.pk])
    assert 'name="_save"' not in client.get(url).content.decode()
    assert client.post(url, {"name": "x"}).status_code == 403


def test_other_office_cannot_see_the_project_in_admin(client, outsider, ready_project):
    client.force_login(_staff(outsider))
    changelist = client.get(reverse(CHANGELIST))
    assert ready_project.name not in changelist.content.decode()
    url = reverse("admin:projects_project_change", args=[ready_project.pk])
    response = client.get(url)
    # the admin redirects to its index with "not found" for objects outside the queryset
    assert response.status_code == 302
    assert client.post(url, {"name": "x"}).status_code == 302
    assert Project.objects.get(pk=ready_project.pk).name == ready_project.name


# ------------------------------------------------------------------ actions


def _act(client, action, project, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [project.pk], **extra},
        follow=True,
    )


def test_submit_check_approve_actions(
    client, staff_head_a, planner, director, ready_project
):
    client.force_login(staff_head_a)
    _act(client, "submit_projects", ready_project)
    assert Project.objects.get(pk=ready_project.pk).status == S.SUBMITTED
    client.force_login(_staff(planner))
    _act(client, "check_projects", ready_project)
    assert Project.objects.get(pk=ready_project.pk).status == S.CHECKED
    client.force_login(_staff(director))
    _act(client, "approve_projects", ready_project)
    assert Project.objects.get(pk=ready_project.pk).status == S.APPROVED
    assert ProjectTransition.objects.count() == 3


def test_refused_action_shows_thai_message(client, staff_head_a, project):
    client.force_login(staff_head_a)
    response = _act(client, "submit_projects", project)
    assert "ต้องเชื่อมโยงกับกลยุทธ์" in response.content.decode()
    assert Project.objects.get(pk=project.pk).status == S.DRAFT


def test_return_action_asks_for_a_comment_first(client, planner, ready_project):
    Project.objects.filter(pk=ready_project.pk).update(status=S.SUBMITTED)
    client.force_login(_staff(planner))
    page = _act(client, "return_projects", ready_project)
    assert page.status_code == 200
    assert "ความเห็น / เหตุผล" in page.content.decode()
    assert Project.objects.get(pk=ready_project.pk).status == S.SUBMITTED
    empty = _act(client, "return_projects", ready_project, apply="1", comment="")
    assert "กรุณาระบุความเห็นหรือเหตุผล" in empty.content.decode()
    assert Project.objects.get(pk=ready_project.pk).status == S.SUBMITTED
    _act(client, "return_projects", ready_project, apply="1", comment="แก้งบประมาณ")
    assert Project.objects.get(pk=ready_project.pk).status == S.RETURNED
    assert ProjectTransition.objects.get().comment == "แก้งบประมาณ"


def test_revise_action_records_a_revision(client, planner, ready_project):
    Project.objects.filter(pk=ready_project.pk).update(status=S.APPROVED)
    client.force_login(_staff(planner))
    _act(client, "revise_projects", ready_project, apply="1", comment="ปรับกิจกรรม")
    project = Project.objects.get(pk=ready_project.pk)
    assert (project.status, project.version) == (S.REVISING, 2)
    assert project.revisions.get().reason == "ปรับกิจกรรม"


# ------------------------------------------------------------------ activity admin


def test_activity_admin_holds_money_and_sub_activities(admin_client, ready_project):
    activity = ready_project.activities.get()
    Project.objects.filter(pk=ready_project.pk).update(uses_budget=True)
    category = ExpenseCategoryFactory()
    url = reverse("admin:projects_activity_change", args=[activity.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    prefixes = {
        formset.formset.prefix for formset in page.context["inline_admin_formsets"]
    }
    assert prefixes == {"children", "cost_lines", "quarter_plans"}
    data = {
        "project": ready_project.pk,
        "parent": "",
        "order": "1",
        "name": "ประชุมเชิงปฏิบัติการ",
        "target": "",
        "months": "พ.ย. 2567, ธ.ค. 2567",
        "responsible": "",
        "responsible_text": "",
        "notes": "",
        **_management("children", 1),
        "children-0-order": "1",
        "children-0-name": "เตรียมเอกสาร",
        "children-0-target": "",
        "children-0-months": "พ.ย. 2567",
        "children-0-responsible_text": "",
        **_management("cost_lines", 1),
        "cost_lines-0-order": "1",
        "cost_lines-0-category": category.pk,
        "cost_lines-0-description": "ค่าอาหารกลางวัน",
        "cost_lines-0-times": "1",
        "cost_lines-0-times_unit": "ครั้ง",
        "cost_lines-0-persons": "12",
        "cost_lines-0-persons_unit": "คน",
        "cost_lines-0-days": "",
        "cost_lines-0-days_unit": "วัน",
        "cost_lines-0-rate": "200",
        "cost_lines-0-amount": "2400",
        "cost_lines-0-note": "",
        **_management("quarter_plans", 1),
        "quarter_plans-0-quarter": "1",
        "quarter_plans-0-amount": "2400",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    child = Activity.objects.get(parent=activity)
    assert (child.project, child.months) == (ready_project, ["2024-11-01"])
    assert CostLine.objects.get(activity=activity).amount == Decimal("2400.00")
    assert QuarterPlan.objects.get(activity=activity).amount == Decimal("2400.00")


def test_activity_of_a_submitted_project_is_read_only(
    client, staff_head_a, ready_project
):
    Project.objects.filter(pk=ready_project.pk).update(status=S.SUBMITTED)
    activity = ready_project.activities.get()
    client.force_login(staff_head_a)
    url = reverse("admin:projects_activity_change", args=[activity.pk])
    assert 'name="_save"' not in client.get(url).content.decode()
    assert client.post(url, {"name": "x"}).status_code == 403
    assert ActivityFactory._meta.model.objects.get(pk=activity.pk).name == activity.name


# ------------------------------------------------------------------ quarterly plan


def test_activity_actions_fill_the_quarterly_plan(client, head_a, head_b, project):
    """By months: Nov and Dec (Q1) and Jan (Q2) share 3,000.00 as 1,000 each;
    evenly: 750 a quarter. Another group's head changes nothing."""
    from tests.factories import CostLineFactory

    project.uses_budget = True
    project.save()
    activity = ActivityFactory(
        project=project, months=["2024-11-01", "2024-12-01", "2025-01-01"]
    )
    CostLineFactory(activity=activity, persons=15, rate=200, amount=3000)
    no_months = ActivityFactory(project=project, name="ไม่มีเดือน", months=[])
    CostLineFactory(activity=no_months, amount=100)
    url = reverse("admin:projects_activity_changelist")

    client.force_login(_staff(head_b))
    client.post(
        url,
        {"action": "plan_quarters_by_months", "_selected_action": [activity.pk]},
    )
    assert not QuarterPlan.objects.exists()

    client.force_login(_staff(head_a))
    response = client.post(
        url,
        {
            "action": "plan_quarters_by_months",
            "_selected_action": [activity.pk, no_months.pk],
        },
        follow=True,
    )
    plan = dict(activity.quarter_plans.values_list("quarter", "amount"))
    assert plan == {1: Decimal("2000.00"), 2: Decimal("1000.00"), 3: 0, 4: 0}
    content = response.content.decode()
    assert "จัดแผนรายไตรมาสแล้ว 1 กิจกรรม" in content
    assert "ไม่มีเดือน" in content  # refused by name, with the Thai reason

    client.post(
        url, {"action": "plan_quarters_evenly", "_selected_action": [activity.pk]}
    )
    plan = dict(activity.quarter_plans.values_list("quarter", "amount"))
    assert set(plan.values()) == {Decimal("750.00")}


@pytest.mark.parametrize(
    "months, saved",
    [("พ.ย. 2567, ก.ย. 2568", True), ("พ.ย. 2590", False), ("ก.ย. 2567", False)],
)
def test_activity_months_stay_in_the_plans_fiscal_year(
    admin_client, ready_project, months, saved
):
    """The admin applies the import's rule (the 12 columns of FY 2568)."""
    activity = ready_project.activities.get()
    before = list(activity.months)
    url = reverse("admin:projects_activity_change", args=[activity.pk])
    data = {
        "project": ready_project.pk,
        "parent": "",
        "order": "1",
        "name": activity.name,
        "target": "",
        "months": months,
        "responsible": "",
        "responsible_text": "",
        "notes": "",
        **_management("children", 0),
        **_management("cost_lines", 0),
        **_management("quarter_plans", 0),
    }
    response = admin_client.post(url, data)
    activity.refresh_from_db()
    if saved:
        assert response.status_code == 302, response.context["errors"]
        assert activity.months == ["2024-11-01", "2025-09-01"]
    else:
        assert response.status_code == 200
        assert "อยู่นอกปีงบประมาณ 2568" in response.content.decode()
        assert activity.months == before
