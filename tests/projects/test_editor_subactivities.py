"""Sub-activities in the in-app project-sheet editor (/projects/<id>/edit/).

Under each activity "เพิ่มกิจกรรมย่อย" adds a sub-activity (name, months,
responsible, cost lines); it is edited, moved and removed like an activity,
through the same services (``projects.services.activity_save`` with its
``parent``), with the model's Thai refusals and the sheet's permissions.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import CostLine
from budgets.rollups import project_total_budget
from core.thai import current_fiscal_year, fiscal_month_dates
from projects.models import ERROR_PARENT_NESTED, ERROR_PARENT_OTHER_PROJECT, Activity
from projects.selectors import project_sheet
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ExpenseCategoryFactory,
    PlanFactory,
    ProjectFactory,
    ProjectResponsibleFactory,
    StrategyFactory,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(office):
    return PlanFactory(organization=office, fiscal_year=current_fiscal_year())


@pytest.fixture
def category(db):
    return ExpenseCategoryFactory(code="compensation", name="ค่าตอบแทน")


def month(plan, index: int) -> str:
    return fiscal_month_dates(plan.fiscal_year)[index].isoformat()


@pytest.fixture
def sheet(plan, group_a, category, planner):
    """A draft of group A: two activities, the first with one line (2,400)."""
    project = ProjectFactory(plan=plan, group=group_a, name="โครงการเดิม")
    project.strategies.add(StrategyFactory(plan=plan, number=1, title="กลยุทธ์"))
    ProjectResponsibleFactory(project=project, person=planner.person)
    first = ActivityFactory(
        project=project, order=1, name="อบรมครู", months=[month(plan, 2)]
    )
    CostLineFactory(activity=first, category=category)
    ActivityFactory(project=project, order=2, name="นิเทศติดตาม", months=[month(plan, 5)])
    return project


def edit_url(project) -> str:
    return reverse("projects:edit", args=[project.pk])


def page_data(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.content, "sheet-editor")
    return {key: value for key, value in data.items() if "__" not in key}


def errors_of(response) -> str:
    import re

    html = response.content.decode()
    return " | ".join(
        re.findall(r'class="(?:errorlist|warning)[^"]*"[^>]*>(.*?)</', html, re.S)
    )


def state(project) -> tuple:
    """What the editor could change, to show a refusal changed nothing."""
    project.refresh_from_db()
    return (
        project.edit_version,
        list(
            Activity.objects.filter(project=project)
            .order_by("pk")
            .values_list("pk", "parent", "order", "name", "months", "edit_version")
        ),
        list(
            CostLine.objects.filter(activity__project=project)
            .order_by("pk")
            .values_list("pk", "activity", "description", "amount")
        ),
        Activity.history.count(),
    )


def with_sub(data, plan, category, *, act=0, sub=0, name="ประชุมวางแผน") -> dict:
    """The spare sub-activity of activity ``act`` filled in, one cost line."""
    prefix = f"act-{act}-sub-{sub}"
    data.update(
        {
            f"{prefix}-name": name,
            f"{prefix}-target": "ครู 30 คน",
            f"{prefix}-responsible_text": "กลุ่มนิเทศ",
            f"{prefix}-months": [month(plan, 3)],
            f"{prefix}-cost-0-category": str(category.pk),
            f"{prefix}-cost-0-description": "ค่าอาหารว่าง",
            f"{prefix}-cost-0-persons": "30",
            f"{prefix}-cost-0-rate": "35",
            f"{prefix}-cost-0-times": "2",
        }
    )
    return data


def test_a_sub_activity_is_added_under_its_activity_with_its_lines(
    client, planner, sheet, plan, category
):
    client.force_login(planner)
    data = with_sub(page_data(client, edit_url(sheet)), plan, category)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    first = sheet.activities.get(name="อบรมครู")
    sub = Activity.objects.get(parent=first)
    assert (sub.project, sub.order, sub.name, sub.target, sub.responsible_text) == (
        sheet,
        1,
        "ประชุมวางแผน",
        "ครู 30 คน",
        "กลุ่มนิเทศ",
    )
    assert sub.months == [month(plan, 3)]
    assert CostLine.objects.get(activity=sub).amount == Decimal("2100.00")
    assert sub.history.get().history_user == planner
    # the document numbers it 1.1 and counts its line once in the total
    rows = project_sheet(sheet)["activities"]
    assert [(row["number"], row["name"]) for row in rows] == [
        ("1", "อบรมครู"),
        ("1.1", "ประชุมวางแผน"),
        ("2", "นิเทศติดตาม"),
    ]
    assert project_sheet(sheet)["total_budget"] == project_total_budget(sheet)


def test_a_sub_activity_under_a_new_activity_in_the_same_save(
    client, planner, sheet, plan, category
):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data.update({"act-2-name": "กิจกรรมใหม่", "act-2-months": [month(plan, 6)]})
    response = client.post(edit_url(sheet), with_sub(data, plan, category, act=2))
    assert response.status_code == 302, errors_of(response)
    new = sheet.activities.get(name="กิจกรรมใหม่")
    assert list(new.children.values_list("name", flat=True)) == ["ประชุมวางแผน"]


@pytest.fixture
def sub(sheet, plan, category):
    first = sheet.activities.get(name="อบรมครู")
    sub = ActivityFactory(
        project=sheet, parent=first, order=1, name="ย่อยเดิม", months=[month(plan, 2)]
    )
    CostLineFactory(activity=sub, category=category, description="ค่าเอกสาร")
    return sub


def test_a_sub_activity_is_edited_and_its_line_changed(client, planner, sheet, sub):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    assert data["act-0-sub-0-name"] == "ย่อยเดิม"
    data["act-0-sub-0-name"] = "ย่อยแก้แล้ว"
    data["act-0-sub-0-cost-0-rate"] = "๒๕๐"
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    sub.refresh_from_db()
    assert (sub.name, sub.parent.name) == ("ย่อยแก้แล้ว", "อบรมครู")
    assert CostLine.objects.get(activity=sub).amount == Decimal("3000.00")


def test_a_sub_activity_is_moved_to_another_activity(client, planner, sheet, sub):
    client.force_login(planner)
    second = sheet.activities.get(name="นิเทศติดตาม")
    data = page_data(client, edit_url(sheet))
    data["act-0-sub-0-move_to"] = str(second.pk)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    sub.refresh_from_db()
    assert sub.parent == second
    assert CostLine.objects.filter(activity=sub).count() == 1


def test_a_sub_activity_moved_out_of_a_removed_activity_stays(
    client, planner, sheet, sub
):
    client.force_login(planner)
    second = sheet.activities.get(name="นิเทศติดตาม")
    data = page_data(client, edit_url(sheet))
    data["act-0-DELETE"] = "on"
    data["act-0-sub-0-move_to"] = str(second.pk)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    assert not Activity.objects.filter(name="อบรมครู").exists()
    sub.refresh_from_db()
    assert sub.parent == second


def test_a_sub_activity_is_deleted_through_the_service(client, planner, sheet, sub):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["act-0-sub-0-DELETE"] = "on"
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    assert not Activity.objects.filter(pk=sub.pk).exists()
    assert sheet.activities.count() == 2
    deleted = Activity.history.filter(history_type="-").get()
    assert (deleted.id, deleted.history_user) == (sub.pk, planner)


def test_removing_an_activity_removes_its_sub_activities(client, planner, sheet, sub):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["act-0-DELETE"] = "on"
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    assert list(sheet.activities.values_list("name", flat=True)) == ["นิเทศติดตาม"]


def test_moving_under_a_sub_activity_is_refused_in_thai(client, planner, sheet, sub):
    other_sub = ActivityFactory(
        project=sheet,
        parent=sheet.activities.get(name="นิเทศติดตาม"),
        order=1,
        months=[month(sheet.plan, 5)],
    )
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["act-0-sub-0-move_to"] = str(other_sub.pk)
    data["act-0-sub-0-name"] = "แก้ชื่อด้วย"
    before = state(sheet)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 200
    assert ERROR_PARENT_NESTED in response.content.decode()
    assert "แก้ชื่อด้วย" in response.content.decode()  # what was typed is kept
    assert state(sheet) == before


def test_moving_to_another_projects_activity_is_refused_in_thai(
    client, planner, sheet, sub, plan, group_a
):
    elsewhere = ActivityFactory(
        project=ProjectFactory(plan=plan, group=group_a), months=[month(plan, 1)]
    )
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["act-0-sub-0-move_to"] = str(elsewhere.pk)
    before = state(sheet)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 200
    assert ERROR_PARENT_OTHER_PROJECT in response.content.decode()
    assert state(sheet) == before
    assert not elsewhere.children.exists()


def test_another_groups_head_is_refused_a_valid_post(
    client, head_a, head_b, sheet, sub, plan, category
):
    """The body is group A's head's own valid form adding, editing and
    removing sub-activities; replayed by group B's head it changes nothing."""
    client.force_login(head_a)
    data = with_sub(page_data(client, edit_url(sheet)), plan, category, sub=1)
    data["act-0-sub-0-name"] = "แก้โดยกลุ่มอื่น"
    before = state(sheet)
    client.force_login(head_b)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 403
    assert state(sheet) == before
    client.force_login(head_a)  # the same body is the head's own valid post
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    assert sheet.activities.get(name="อบรมครู").children.count() == 2


def test_the_sub_activity_form_shows_the_move_choices_and_the_add_button(
    client, planner, sheet, sub
):
    client.force_login(planner)
    html = client.get(edit_url(sheet)).content.decode()
    assert "เพิ่มกิจกรรมย่อย" in html
    assert 'data-testid="add-sub"' in html
    assert "ย้ายไปอยู่ใต้กิจกรรมหลัก" in html
    assert "2. นิเทศติดตาม" in html
    assert 'id="tpl-sub"' in html


#: The editor page of a sheet of two activities, each with its sub-activities
#: and their cost lines: the same for one or five sub-activities each.
EDITOR_QUERIES = 36


def _editor_queries(client, project) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(edit_url(project)).status_code == 200
    return len(queries)


def test_the_editor_query_count_does_not_grow_with_sub_activities(
    client, planner, sheet, plan, category
):
    first = sheet.activities.get(name="อบรมครู")
    second = sheet.activities.get(name="นิเทศติดตาม")
    client.force_login(planner)
    for parent in (first, second):
        sub = ActivityFactory(project=sheet, parent=parent, order=1, months=[])
        CostLineFactory(activity=sub, category=category)
    one_each = _editor_queries(client, sheet)
    for parent in (first, second):
        for order in range(2, 6):
            sub = ActivityFactory(project=sheet, parent=parent, order=order, months=[])
            CostLineFactory(activity=sub, category=category)
    five_each = _editor_queries(client, sheet)
    assert (one_each, five_each) == (EDITOR_QUERIES, EDITOR_QUERIES)
