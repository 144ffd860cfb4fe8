"""The list, the sheet preview, workflow buttons, revisions and the checker."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.thai import current_fiscal_year
from projects import services
from projects.models import Project, ProjectTransition
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ExpenseCategoryFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectTargetFactory,
)
from tests.projects.conftest import complete

pytestmark = pytest.mark.django_db

S = Project.Status


def _detail(project):
    return reverse("projects:detail", args=[project.pk])


def _action(project, action):
    return reverse("projects:action", args=[project.pk, action])


# ------------------------------------------------------------------ access


def test_anonymous_users_are_sent_to_login(client, project):
    for url in (
        reverse("projects:list"),
        _detail(project),
        reverse("projects:checker"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    response = client.post(_action(project, "submit"))
    assert response.status_code == 302
    assert _status(project) == S.DRAFT


def test_other_office_gets_404_on_the_sheet_and_cannot_act(client, outsider, project):
    client.force_login(outsider)
    assert client.get(_detail(project)).status_code == 404
    assert client.post(_action(project, "submit")).status_code == 404
    assert _status(project) == S.DRAFT


def test_user_without_office_gets_403_in_thai(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)
    response = client.get(reverse("projects:list"))
    assert response.status_code == 403


def test_actions_are_post_only(client, head_a, ready_project):
    client.force_login(head_a)
    assert client.get(_action(ready_project, "submit")).status_code == 405
    assert _status(ready_project) == S.DRAFT


def _status(project):
    return Project.objects.get(pk=project.pk).status


# ------------------------------------------------------------------ list


def test_list_shows_the_office_projects_for_the_year_with_filters(
    client, viewer, office, group_a, group_b, other_office
):
    year = current_fiscal_year()
    plan = PlanFactory(organization=office, fiscal_year=year)
    mine = ProjectFactory(plan=plan, group=group_a, name="โครงการของกลุ่มเอ")
    ProjectFactory(plan=plan, group=group_b, name="โครงการของกลุ่มบี", status=S.SUBMITTED)
    ProjectFactory(
        plan=PlanFactory(organization=office, fiscal_year=year - 1),
        group=group_a,
        name="โครงการปีก่อน",
    )
    ProjectFactory(
        plan=PlanFactory(organization=other_office, fiscal_year=year),
        name="โครงการสำนักงานอื่น",
    )
    client.force_login(viewer)
    content = client.get(reverse("projects:list")).content.decode()
    assert "โครงการของกลุ่มเอ" in content
    assert "โครงการของกลุ่มบี" in content
    assert "โครงการปีก่อน" not in content
    assert "โครงการสำนักงานอื่น" not in content
    assert f'name="fiscal_year" value="{year}"' in content  # the year is shown
    filtered = client.get(
        reverse("projects:list"), {"group": group_b.pk, "status": S.SUBMITTED}
    ).content.decode()
    assert "โครงการของกลุ่มบี" in filtered
    assert "โครงการของกลุ่มเอ" not in filtered
    last_year = client.get(reverse("projects:list"), {"fiscal_year": year - 1})
    assert "โครงการปีก่อน" in last_year.content.decode()
    assert mine.pk


def test_list_counts_and_budget_in_fixed_queries(
    client, viewer, office, group_a, django_assert_num_queries
):
    plan = PlanFactory(organization=office, fiscal_year=current_fiscal_year())
    for _ in range(4):
        project = ProjectFactory(plan=plan, group=group_a, uses_budget=True)
        activity = ActivityFactory(project=project)
        ActivityFactory(project=project)
        ProjectKPIFactory(project=project)
        CostLineFactory(activity=activity, amount=2400)
        CostLineFactory(
            activity=activity, times=None, persons=None, rate=None, amount=600
        )
    client.force_login(viewer)
    # session, user, person, roles, groups of the filter form, projects
    with django_assert_num_queries(6):
        response = client.get(reverse("projects:list"))
    content = response.content.decode()
    assert content.count("3,000.00") == 4
    assert response.context["status_counts"][0] == ("ร่าง", 4)
    row = response.context["projects"][0]
    assert (row.n_activities, row.n_kpis, row.total_budget) == (2, 1, 3000)


# ------------------------------------------------------------------ the sheet


@pytest.fixture
def full_sheet(ready_project, head_a):
    """A sheet with a budget, sub-activity and output/outcome KPIs."""
    project = ready_project
    Project.objects.filter(pk=project.pk).update(
        uses_budget=True,
        budget_plan="พื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน",
        responsible_note="และคณะ",
    )
    first = project.activities.get()
    second = ActivityFactory(
        project=project, order=2, name="นิเทศติดตามผล", months=["2025-02-01"]
    )
    ActivityFactory(
        project=project,
        order=1,
        parent=second,
        name="นิเทศโรงเรียนขนาดเล็ก",
        months=["2025-03-01"],
    )
    category = ExpenseCategoryFactory()
    CostLineFactory(activity=first, category=category, amount=2400)
    CostLineFactory(
        activity=second,
        category=category,
        times=None,
        persons=None,
        rate=None,
        amount=27600,
    )
    ProjectKPIFactory(
        project=project,
        result_kind="outcome",
        name="ร้อยละของครูที่นำความรู้ไปใช้",
        target_value=80,
        method="นิเทศ ติดตาม",
        instrument="แบบนิเทศ",
    )
    ProjectTargetFactory(
        project=project,
        kind="qualitative",
        quantity=None,
        unit="",
        text="ครูจัดการเรียนรู้เชิงรุกได้",
    )
    return Project.objects.get(pk=project.pk)


def test_sheet_prints_every_section_in_order(client, viewer, full_sheet):
    client.force_login(viewer)
    response = client.get(_detail(full_sheet))
    content = response.content.decode()
    assert response.status_code == 200
    headings = [
        "๑. หลักการและเหตุผล",
        "๒. วัตถุประสงค์",
        "๓. เป้าหมาย",
        "๔. งบประมาณ",
        "๕. กิจกรรมหลัก",
        "๖. ปฏิทินการปฏิบัติงาน",
        "๗. การประเมินผล / ตัวชี้วัดความสำเร็จ",
        "๘. ผลที่คาดว่าจะได้รับ",
    ]
    positions = [content.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "30,000.00 บาท (สามหมื่นบาทถ้วน) ถัวจ่ายทุกรายการ" in content
    assert "ตุลาคม 2567 – กันยายน 2568" in content
    assert "กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียน" in content
    assert "และคณะ" in content
    assert "2.1. นิเทศโรงเรียนขนาดเล็ก" in content
    assert "โรงเรียนในสังกัด จำนวน 124 โรงเรียน" in content
    assert "ไม่น้อยกว่าร้อยละ 80" in content
    assert "แบบนิเทศ" in content


def test_month_grid_is_computed_from_activity_months(client, viewer, full_sheet):
    client.force_login(viewer)
    sheet = client.get(_detail(full_sheet)).context["sheet"]
    assert sheet["grid_columns"][:3] == ["ต.ค.", "พ.ย.", "ธ.ค."]
    assert len(sheet["grid_columns"]) == 12
    grids = {row["number"]: row["grid"] for row in sheet["activities"]}
    # ต.ค. พ.ย. ธ.ค. ม.ค. ก.พ. มี.ค. ...
    assert grids["1"][:6] == [False, True, True, False, False, False]
    assert grids["2"][:6] == [False, False, False, False, True, False]
    assert grids["2.1"][:6] == [False, False, False, False, False, True]
    assert [row["budget"] for row in sheet["activities"]] == [
        Decimal("2400.00"),
        Decimal("27600.00"),
        None,
    ]


def test_grid_spans_two_fiscal_years_when_the_project_does(client, viewer, project):
    Project.objects.filter(pk=project.pk).update(end_month=datetime.date(2025, 12, 1))
    ActivityFactory(project=project, months=["2025-11-01"])
    client.force_login(viewer)
    sheet = client.get(_detail(project)).context["sheet"]
    assert len(sheet["grid_columns"]) == 24
    assert sheet["grid_columns"][13] == "พ.ย. 68"
    assert sheet["activities"][0]["grid"].index(True) == 13


def test_sheet_in_fixed_queries(client, viewer, full_sheet, django_assert_num_queries):
    client.force_login(viewer)
    # session, user, person, roles, project; sheet 11; history 2
    with django_assert_num_queries(18):
        client.get(_detail(full_sheet))


def test_sheet_shows_missing_sections(client, viewer, project):
    client.force_login(viewer)
    response = client.get(_detail(project))
    sections = {
        s["number"]: s["complete"] for s in response.context["sheet"]["sections"]
    }
    assert sections[2] is False
    assert "ยังไม่ครบ" in response.content.decode()


# ------------------------------------------------------------------ buttons


def test_group_head_sees_submit_and_viewer_sees_no_buttons(
    client, head_a, viewer, ready_project
):
    client.force_login(head_a)
    assert (
        _action(ready_project, "submit")
        in client.get(_detail(ready_project)).content.decode()
    )
    client.force_login(viewer)
    content = client.get(_detail(ready_project)).content.decode()
    for action in ("submit", "check", "approve", "return", "revise"):
        assert _action(ready_project, action) not in content


def test_submit_button_moves_the_project(client, head_a, ready_project):
    client.force_login(head_a)
    response = client.post(_action(ready_project, "submit"), follow=True)
    assert _status(ready_project) == S.SUBMITTED
    assert "เสนอโครงการแล้ว" in response.content.decode()


def test_refused_submit_shows_thai_reasons_not_500(client, head_a, project):
    client.force_login(head_a)
    response = client.post(_action(project, "submit"), follow=True)
    content = response.content.decode()
    assert response.status_code == 200
    assert services.ERROR_NO_STRATEGY in content
    assert services.ERROR_NO_KPI in content
    assert _status(project) == S.DRAFT


def test_viewer_pressing_approve_gets_a_thai_refusal(client, viewer, ready_project):
    Project.objects.filter(pk=ready_project.pk).update(status=S.CHECKED)
    client.force_login(viewer)
    response = client.post(_action(ready_project, "approve"), follow=True)
    assert services.ERROR_NOT_ALLOWED in response.content.decode()
    assert _status(ready_project) == S.CHECKED
    assert not ProjectTransition.objects.exists()


def test_return_without_comment_is_refused_with_comment_kept(
    client, planner, ready_project
):
    Project.objects.filter(pk=ready_project.pk).update(status=S.SUBMITTED)
    client.force_login(planner)
    response = client.post(
        _action(ready_project, "return"), {"comment": ""}, follow=True
    )
    assert services.ERROR_COMMENT_REQUIRED in response.content.decode()
    assert _status(ready_project) == S.SUBMITTED
    client.post(_action(ready_project, "return"), {"comment": "เพิ่มตัวชี้วัดผลลัพธ์"})
    assert _status(ready_project) == S.RETURNED
    history = client.get(_detail(ready_project)).content.decode()
    assert "เพิ่มตัวชี้วัดผลลัพธ์" in history


def test_unknown_action_is_404(client, planner, project):
    client.force_login(planner)
    assert client.post(_action(project, "delete")).status_code == 404


# ------------------------------------------------------------------ revisions


def test_revision_keeps_the_old_sheet_viewable(client, planner, ready_project):
    Project.objects.filter(pk=ready_project.pk).update(status=S.APPROVED)
    client.force_login(planner)
    client.post(_action(ready_project, "revise"), {"comment": "เปลี่ยนชื่อโครงการ"})
    Project.objects.filter(pk=ready_project.pk).update(name="ชื่อโครงการฉบับปรับแผน")
    detail = client.get(_detail(ready_project)).content.decode()
    assert "ชื่อโครงการฉบับปรับแผน" in detail
    old_url = reverse("projects:revision", args=[ready_project.pk, 1])
    assert old_url in detail
    old = client.get(old_url).content.decode()
    assert "โครงการพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก" in old
    assert "ชื่อโครงการฉบับปรับแผน" not in old
    assert "เปลี่ยนชื่อโครงการ" in old
    assert "๕. กิจกรรมหลัก" in old


def test_revision_prints_the_money_of_new_and_older_snapshots(
    client, planner, ready_project
):
    """A snapshot keeps the total as a number (``total_budget``); one stored
    before kept it as formatted text under ``budget_total`` and still prints."""
    Project.objects.filter(pk=ready_project.pk).update(
        status=S.APPROVED, uses_budget=True
    )
    activity = ready_project.activities.get()
    CostLineFactory(activity=activity, amount=Decimal("2400.50"))
    services.project_start_revision(
        project=Project.objects.get(pk=ready_project.pk), reason="ปรับ", user=planner
    )
    revision = ready_project.revisions.get()
    assert revision.snapshot["total_budget"] == "2400.50"
    assert "budget_total" not in revision.snapshot
    client.force_login(planner)
    url = reverse("projects:revision", args=[ready_project.pk, 1])
    new = client.get(url).content.decode()
    assert "2,400.50 บาท (สองพันสี่ร้อยบาทห้าสิบสตางค์)" in new

    legacy = dict(revision.snapshot)
    legacy["budget_total"] = "2,400.50"
    legacy["budget_words"] = "สองพันสี่ร้อยบาทห้าสิบสตางค์"
    del legacy["total_budget"]
    legacy["activities"] = [
        {**row, "budget": "2,400.50"} for row in legacy["activities"]
    ]
    type(revision).objects.filter(pk=revision.pk).update(snapshot=legacy)
    old = client.get(url).content.decode()
    assert "2,400.50 บาท (สองพันสี่ร้อยบาทห้าสิบสตางค์)" in old
    assert old.count("2,400.50") == new.count("2,400.50") == 3


def test_revision_of_another_office_is_404(client, outsider, ready_project, planner):
    Project.objects.filter(pk=ready_project.pk).update(status=S.APPROVED)
    services.project_start_revision(
        project=Project.objects.get(pk=ready_project.pk), reason="ปรับ", user=planner
    )
    client.force_login(outsider)
    url = reverse("projects:revision", args=[ready_project.pk, 1])
    assert client.get(url).status_code == 404


# ------------------------------------------------------------------ checker


def test_checker_page_lists_findings_with_links(
    client, planner, office, group_a, strategy
):
    plan = PlanFactory(organization=office, fiscal_year=current_fiscal_year())
    bad = ProjectFactory(
        plan=plan, group=group_a, name="โครงการที่ยังไม่ครบ", uses_budget=False
    )
    good = complete(
        ProjectFactory(plan=plan, group=group_a, uses_budget=False),
        plan.strategies.create(number=1, title="กลยุทธ์"),
    )
    client.force_login(planner)
    response = client.get(reverse("projects:checker"))
    content = response.content.decode()
    assert "โครงการที่ยังไม่ครบ" in content
    assert "ยังไม่เชื่อมโยงกับกลยุทธ์ของสำนักงาน" in content
    assert reverse("admin:projects_project_change", args=[bad.pk]) in content
    assert {f.project.pk for f in response.context["findings"]} == {bad.pk}
    assert good.pk


def test_checker_without_a_plan_says_so(client, planner):
    client.force_login(planner)
    content = client.get(
        reverse("projects:checker"), {"fiscal_year": 2560}
    ).content.decode()
    assert "ยังไม่มีแผนปฏิบัติการของปีงบประมาณนี้" in content
