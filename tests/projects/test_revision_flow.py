"""ปรับแผน with paperwork (issue 21 item 4): ขอปรับแผน freezes the approved
sheet, the group's head or a planner changes it and proposes it, the project
waits as รออนุมัติการปรับแผน, and only the director approves or returns it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import services as budget_services
from budgets.models import CostLine
from core.roles import Role
from projects import rules, services
from projects.models import Activity, Project, ProjectRevision, ProjectTransition
from tests.factories import CostLineFactory, ExpenseCategoryFactory, make_staff

pytestmark = pytest.mark.django_db

S = Project.Status


def _approved(project):
    Project.objects.filter(pk=project.pk).update(status=S.APPROVED)
    return Project.objects.get(pk=project.pk)


def _action(project, action: str) -> str:
    return reverse("projects:action", args=[project.pk, action])


def _state(project) -> tuple:
    """Everything a refused request must leave as it was."""
    project = Project.objects.get(pk=project.pk)
    return (
        project.status,
        project.version,
        ProjectTransition.objects.filter(project=project).count(),
        list(
            ProjectRevision.objects.filter(project=project).values_list(
                "version", "approved_at", "approved_by"
            )
        ),
    )


@pytest.fixture
def money_project(ready_project):
    Project.objects.filter(pk=ready_project.pk).update(uses_budget=True)
    category = ExpenseCategoryFactory(code="t-comp", name="ค่าตอบแทน")
    activity = ready_project.activities.get()
    CostLineFactory(
        activity=activity,
        category=category,
        times=None,
        persons=None,
        rate=None,
        amount=Decimal("20000.00"),
    )
    return _approved(ready_project)


def test_request_then_approve_makes_the_project_approved_again(
    money_project, head_a, director
):
    # given
    revision = services.project_start_revision(
        project=money_project, reason="โอนงบประมาณระหว่างกิจกรรม", user=head_a
    )
    assert Project.objects.get(pk=money_project.pk).status == S.REVISING
    # when
    services.project_request_revision(project=money_project, user=head_a)
    assert Project.objects.get(pk=money_project.pk).status == S.REVISION_PENDING
    assert S.REVISION_PENDING.label == "รออนุมัติการปรับแผน"
    services.project_approve_revision(project=money_project, user=director)
    # then
    project = Project.objects.get(pk=money_project.pk)
    revision.refresh_from_db()
    assert (project.status, project.version) == (S.APPROVED, 2)
    assert revision.is_approved and revision.approved_by == director
    steps = list(
        ProjectTransition.objects.filter(project=project).values_list(
            "from_status", "to_status"
        )
    )
    assert steps == [
        (S.APPROVED, S.REVISING),
        (S.REVISING, S.REVISION_PENDING),
        (S.REVISION_PENDING, S.APPROVED),
    ]


def test_snapshot_is_frozen_while_the_sheet_changes(money_project, head_a):
    revision = services.project_start_revision(
        project=money_project, reason="ปรับเดือนและงบประมาณ", user=head_a
    )
    activity = Activity.objects.get(project=money_project)
    line = CostLine.objects.get(activity=activity)
    # when: the change is made through the same services as the editor
    line.amount = Decimal("7499.50")
    budget_services.cost_line_save(line=line, user=head_a, check_envelope=False)
    activity.months = ["2025-01-01"]
    services.activity_save(activity=activity, user=head_a)
    # then
    snapshot = ProjectRevision.objects.get(pk=revision.pk).snapshot
    assert snapshot["total_budget"] == "20000.00"
    assert snapshot["activities"][0]["months"] == ["2024-11-01", "2024-12-01"]
    assert snapshot["cost_lines"] == [
        {
            "id": line.pk,
            "activity_id": activity.pk,
            "category_code": "t-comp",
            "category": "ค่าตอบแทน",
            "category_order": line.category.order,
            "description": "ค่าอาหารกลางวัน",
            "amount": "20000.00",
        }
    ]


def test_only_the_head_or_a_planner_edits_a_revision(
    money_project, head_a, planner, officer
):
    services.project_start_revision(project=money_project, reason="ปรับ", user=planner)
    project = Project.objects.get(pk=money_project.pk)
    # the officer may edit the group's drafts, not a revision of an approved plan
    assert not rules.can_edit_project(officer, project)
    assert rules.can_edit_project(head_a, project)
    assert rules.can_edit_project(planner, project)
    # and the editor's services refuse the officer's write
    activity = Activity.objects.get(project=project)
    activity.name = "กิจกรรมที่เจ้าหน้าที่แก้"
    with pytest.raises(Exception) as error:
        services.activity_save(activity=activity, user=officer)
    assert "ไม่มีสิทธิ์" in str(error.value)
    assert Activity.objects.get(pk=activity.pk).name == "ประชุมเชิงปฏิบัติการ"


# ------------------------------------------------------------------ the web


@pytest.mark.parametrize("role", ["officer", "head_b", "director", "viewer"])
def test_revise_refused_for_wrong_roles(request, client, money_project, role):
    client.force_login(request.getfixturevalue(role))
    before = _state(money_project)
    response = client.post(
        _action(money_project, "revise"), {"comment": "ขอโอนงบ"}, follow=True
    )
    assert services.ERROR_NOT_ALLOWED in response.content.decode()
    assert _state(money_project) == before


def test_revise_from_another_office_is_404_and_changes_nothing(
    client, money_project, outsider
):
    client.force_login(outsider)
    before = _state(money_project)
    response = client.post(_action(money_project, "revise"), {"comment": "ขอโอนงบ"})
    assert response.status_code == 404
    assert _state(money_project) == before


@pytest.fixture
def pending(money_project, head_a):
    services.project_start_revision(
        project=money_project, reason="โอนงบประมาณ", user=head_a
    )
    services.project_request_revision(project=money_project, user=head_a)
    return Project.objects.get(pk=money_project.pk)


@pytest.mark.parametrize("role", ["planner", "head_a", "officer", "viewer"])
@pytest.mark.parametrize("action", ["revise_approve", "revise_return"])
def test_only_the_director_decides_a_revision(request, client, pending, role, action):
    client.force_login(request.getfixturevalue(role))
    before = _state(pending)
    response = client.post(
        _action(pending, action), {"comment": "แก้หมวดรายจ่าย"}, follow=True
    )
    assert services.ERROR_NOT_ALLOWED in response.content.decode()
    assert _state(pending) == before


@pytest.mark.parametrize("action", ["revise_approve", "revise_return"])
def test_director_of_another_office_gets_404(client, pending, other_office, action):
    other_director = make_staff(other_office, roles=[Role.DIRECTOR]).user
    client.force_login(other_director)
    before = _state(pending)
    response = client.post(_action(pending, action), {"comment": "ไม่เห็นด้วย"})
    assert response.status_code == 404
    assert _state(pending) == before


@pytest.mark.parametrize("role", ["officer", "head_b", "director"])
def test_request_refused_for_wrong_roles(request, client, money_project, head_a, role):
    services.project_start_revision(project=money_project, reason="ปรับ", user=head_a)
    client.force_login(request.getfixturevalue(role))
    before = _state(money_project)
    response = client.post(_action(money_project, "revise_submit"), follow=True)
    assert services.ERROR_NOT_ALLOWED in response.content.decode()
    assert _state(money_project) == before


def test_director_returns_with_a_comment_and_nothing_is_restored(
    client, pending, director, head_a
):
    client.force_login(director)
    response = client.post(_action(pending, "revise_return"), {"comment": ""})
    assert Project.objects.get(pk=pending.pk).status == S.REVISION_PENDING
    response = client.post(
        _action(pending, "revise_return"),
        {"comment": "ขอให้ทบทวนหมวดค่าวัสดุ"},
        follow=True,
    )
    assert "ส่งกลับการปรับแผนแล้ว" in response.content.decode()
    project = Project.objects.get(pk=pending.pk)
    assert (project.status, project.version) == (S.REVISING, 2)
    assert not ProjectRevision.objects.get(project=project).is_approved
    # the head may propose again
    client.force_login(head_a)
    client.post(_action(pending, "revise_submit"))
    assert Project.objects.get(pk=pending.pk).status == S.REVISION_PENDING


def test_buttons_history_and_the_sheet_header_after_approval(
    client, money_project, head_a, director
):
    detail = reverse("projects:detail", args=[money_project.pk])
    client.force_login(head_a)
    page = client.get(detail).content.decode()
    assert "ขอปรับแผน" in page
    assert "ฉบับปรับปรุงครั้งที่" not in page
    client.post(_action(money_project, "revise"), {"comment": "โอนงบประมาณ"})
    page = client.get(detail).content.decode()
    assert _action(money_project, "revise_submit") in page
    assert "ระหว่างปรับแผน" in page
    client.post(_action(money_project, "revise_submit"))
    client.force_login(director)
    page = client.get(detail).content.decode()
    assert "รออนุมัติการปรับแผน" in page
    assert _action(money_project, "revise_approve") in page
    assert _action(money_project, "revise_return") in page
    assert "ฉบับปรับปรุงครั้งที่" not in page
    client.post(_action(money_project, "revise_approve"))
    page = client.get(detail).content.decode()
    assert 'data-testid="revision-round">ฉบับปรับปรุงครั้งที่ 1<' in page
    assert "อนุมัติแล้ว" in page
    memo = reverse("reports:revision_memo_pdf", args=[money_project.pk, 1])
    assert memo in page


def test_the_editor_opens_a_revision_for_the_head_only(
    client, money_project, head_a, officer
):
    services.project_start_revision(project=money_project, reason="ปรับ", user=head_a)
    url = reverse("projects:edit", args=[money_project.pk])
    client.force_login(head_a)
    assert client.get(url).status_code == 200
    client.force_login(officer)
    assert client.get(url).status_code == 403
