"""The director's approvals queue (issue 18 item 3): checked projects with the
checker's findings, approved or returned in place, several at once, then the
plan behind its gate. Refusals are valid posts an allowed user could make,
and leave the database as it was."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.approvals import approval_queue
from budgets.models import CostLine
from core.roles import Role
from core.thai import current_fiscal_year
from plans.models import Plan
from projects import services as project_services
from projects.models import Project, ProjectRevision, ProjectTransition
from reports.revision_memo import revision_memo
from tests.browser.journeys import current_direction, full_project
from tests.factories import ActivityFactory, make_staff

pytestmark = pytest.mark.django_db

URL = reverse("projects:approvals")


def _office_year(office, group, count, *, plan_status=Plan.Status.SUBMITTED):
    plan, strategy = current_direction(office, current_fiscal_year())
    Plan.objects.filter(pk=plan.pk).update(status=plan_status)
    plan.refresh_from_db()
    responsible = make_staff(office, roles=[Role.PROJECT_OFFICER], group=group).user
    projects = [
        full_project(
            plan,
            strategy,
            group,
            name=f"โครงการที่ {n} พัฒนาครู",
            status=Project.Status.CHECKED,
            responsible=responsible,
        )
        for n in range(1, count + 1)
    ]
    return plan, projects


def _state(plan):
    """Everything a decision could change."""
    plan.refresh_from_db()
    return (
        plan.status,
        sorted(Project.objects.values_list("pk", "status")),
        ProjectTransition.objects.count(),
    )


def test_queue_lists_checked_projects_with_their_findings(
    client, office, group_a, director
):
    plan, (ready, outside) = _office_year(office, group_a, 2)
    # an activity dated outside its project's period: a blocking finding
    ActivityFactory(
        project=outside, order=9, name="กิจกรรมนอกช่วง", months=["2000-01-01"]
    )
    client.force_login(director)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert ready.name in page and outside.name in page
    queue = response.context["queue"]
    by_pk = {row.project.pk: row for row in queue.rows}
    assert by_pk[ready.pk].findings == []
    assert [f.code for f in by_pk[outside.pk].blocking] == ["activity_outside"]
    assert "ต้องแก้ก่อนอนุมัติแผน" in page
    # the plan waits, blocked by its projects not yet approved
    assert queue.plan_waiting and len(queue.plan_blockers) >= 2


@pytest.mark.parametrize("count", [2, 10])
def test_queue_queries_do_not_grow_with_projects(
    count, office, group_a, django_assert_num_queries
):
    _office_year(office, group_a, count)
    with django_assert_num_queries(10):  # the checker reads the rate limits too
        queue = approval_queue(organization=office, fiscal_year=current_fiscal_year())
        assert len(queue.rows) == count
        assert len(queue.plan_blockers) == count


def test_queue_page_queries_are_the_same_at_2_and_10_projects(
    client, office, group_a, director
):
    plan, projects = _office_year(office, group_a, 2)
    client.force_login(director)
    client.get(URL)
    with CaptureQueriesContext(connection) as two:
        assert client.get(URL).status_code == 200
    strategy = plan.strategies.get()
    for n in range(3, 11):
        full_project(
            plan, strategy, group_a, name=f"เพิ่ม {n}", status=Project.Status.CHECKED
        )
    with CaptureQueriesContext(connection) as ten:
        response = client.get(URL)
    assert len(response.context["queue"].rows) == 10
    assert len(ten) == len(two)


def test_director_approves_several_at_once_then_the_plan(
    client, office, group_a, director
):
    plan, projects = _office_year(office, group_a, 3)
    client.force_login(director)
    response = client.post(
        URL,
        {"decide": "approve-selected", "project": [p.pk for p in projects]},
        follow=True,
    )
    assert set(Project.objects.values_list("status", flat=True)) == {
        Project.Status.APPROVED
    }
    page = response.content.decode()
    assert "อนุมัติแล้ว 3 โครงการ" in page
    assert "ต่อไป: อนุมัติแผน" in page
    assert response.redirect_chain[-1][0].endswith("#plan")
    assert response.context["queue"].plan_blockers == []
    response = client.post(URL, {"decide": "plan"}, follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert "อนุมัติแผนแล้ว" in response.content.decode()


def test_one_project_at_a_time_goes_to_the_next_waiting(
    client, office, group_a, director
):
    plan, (first, second, third) = _office_year(office, group_a, 3)
    client.force_login(director)
    response = client.post(URL, {"decide": f"approve-{second.pk}"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#project-{first.pk}")
    assert f"โครงการถัดไปที่รออนุมัติ: {first.name}" in response.content.decode()
    response = client.post(
        URL,
        {"decide": f"return-{first.pk}", f"comment-{first.pk}": "แก้ตัวชี้วัด"},
        follow=True,
    )
    first.refresh_from_db()
    assert first.status == Project.Status.RETURNED
    assert first.transitions.last().comment == "แก้ตัวชี้วัด"
    assert response.redirect_chain[-1][0].endswith(f"#project-{third.pk}")
    second.refresh_from_db()
    assert second.status == Project.Status.APPROVED


def test_bulk_return_needs_a_comment_and_changes_nothing_without(
    client, office, group_a, director
):
    plan, projects = _office_year(office, group_a, 2)
    before = _state(plan)
    client.force_login(director)
    response = client.post(
        URL,
        {"decide": "return-selected", "project": [p.pk for p in projects]},
        follow=True,
    )
    assert _state(plan) == before
    assert "กรุณาระบุเหตุผลหรือสิ่งที่ต้องแก้ไขก่อนส่งกลับ" in response.content.decode()
    client.post(
        URL,
        {
            "decide": "return-selected",
            "project": [p.pk for p in projects],
            "comment": "เพิ่มรายละเอียดกิจกรรม",
        },
    )
    assert set(Project.objects.values_list("status", flat=True)) == {
        Project.Status.RETURNED
    }


def test_a_project_that_moved_meanwhile_is_named_and_the_rest_approved(
    client, office, group_a, director, planner
):
    """Per project, not all-or-nothing: a planner returned one while the
    director had the queue open; the others are approved as meant."""
    plan, (first, moved) = _office_year(office, group_a, 2)
    Project.objects.filter(pk=moved.pk).update(status=Project.Status.RETURNED)
    client.force_login(director)
    response = client.post(
        URL,
        {"decide": "approve-selected", "project": [first.pk, moved.pk]},
        follow=True,
    )
    first.refresh_from_db()
    moved.refresh_from_db()
    assert first.status == Project.Status.APPROVED
    assert moved.status == Project.Status.RETURNED
    page = response.content.decode()
    assert "อนุมัติแล้ว 1 โครงการ" in page
    assert f"“{moved.name}” ไม่ได้อนุมัติ" in page


@pytest.mark.parametrize("who", ["planner", "head_a", "other_director"])
@pytest.mark.parametrize(
    "decide", ["approve-selected", "approve-one", "return-selected", "plan"]
)
def test_only_the_offices_director_decides(
    client, office, group_a, other_office, who, decide, request
):
    plan, projects = _office_year(office, group_a, 2)
    if decide == "plan":  # a plan the director could approve as posted
        Project.objects.update(status=Project.Status.APPROVED)
    if who == "other_director":
        user = make_staff(other_office, roles=[Role.DIRECTOR]).user
    else:
        user = request.getfixturevalue(who)
    before = _state(plan)
    client.force_login(user)
    data = {
        "decide": decide,
        "project": [p.pk for p in projects],
        "comment": "แก้ไขงบประมาณ",
    }
    if decide == "approve-one":
        data["decide"] = f"approve-{projects[0].pk}"
    response = client.post(URL, data)
    assert response.status_code in (302, 403)
    assert _state(plan) == before
    if who != "other_director":
        assert response.status_code == 403
        assert "ผู้อนุมัติ" in response.content.decode()


def test_other_offices_director_sees_only_their_own_queue(
    client, office, group_a, other_office
):
    _office_year(office, group_a, 2)
    user = make_staff(other_office, roles=[Role.DIRECTOR]).user
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["queue"].rows == []
    assert "โครงการที่ 1" not in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"decide": "approve-99999999"},
        {"decide": "delete-all"},
        {"decide": "approve-selected", "project": ["x"]},
        {"decide": "approve-selected"},
        {},
    ],
)
def test_bad_posts_are_thai_messages_not_errors(
    client, office, group_a, director, data
):
    plan, projects = _office_year(office, group_a, 1)
    before = _state(plan)
    client.force_login(director)
    response = client.post(URL, data, follow=True)
    assert response.status_code == 200
    assert _state(plan) == before
    assert response.context["messages"]


def test_blocked_plan_needs_a_reason_to_be_approved(client, office, group_a, director):
    plan, projects = _office_year(office, group_a, 1)
    before = _state(plan)
    client.force_login(director)
    response = client.post(URL, {"decide": "plan"}, follow=True)
    assert _state(plan) == before
    assert "ยังอนุมัติแผนไม่ได้" in response.content.decode()
    client.post(URL, {"decide": "plan", "override_reason": "ต้องส่ง สพฐ. วันนี้"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert plan.override_reason == "ต้องส่ง สพฐ. วันนี้"


def test_directors_home_links_the_queue_with_a_count(client, office, group_a, director):
    _office_year(office, group_a, 3)
    client.force_login(director)
    page = client.get(reverse("home:home")).content.decode()
    assert f'href="{URL}?fiscal_year={current_fiscal_year()}"' in page
    # three projects and the plan wait
    assert 'data-testid="approvals-count">4</span>' in page


# ------------------------------------------------------------------ plan changes


def _pending_revisions(
    office, group, count, head, *, plan=None, plan_status=Plan.Status.SUBMITTED
):
    """``count`` approved projects of 8,000.00 each whose group head started
    a plan change (the first activity's line 4,000.00 → 3,000.50: the total
    8,000.00 → 7,000.50) and proposed it: รออนุมัติการปรับแผน. In ``plan``,
    or a new plan of the year in ``plan_status``."""
    if plan is None:
        plan, strategy = current_direction(office, current_fiscal_year())
        Plan.objects.filter(pk=plan.pk).update(status=plan_status)
        plan.refresh_from_db()
    else:
        strategy = plan.strategies.get()
    responsible = make_staff(office, roles=[Role.PROJECT_OFFICER], group=group).user
    projects = []
    for n in range(1, count + 1):
        project = full_project(
            plan,
            strategy,
            group,
            name=f"โครงการปรับแผนที่ {n}",
            status=Project.Status.APPROVED,
            responsible=responsible,
        )
        project_services.project_start_revision(
            project=project, reason=f"เลื่อนการอบรม {n}", user=head
        )
        CostLine.objects.filter(activity__project=project, activity__order=1).update(
            amount=Decimal("3000.50")
        )
        project = Project.objects.get(pk=project.pk)
        project_services.project_request_revision(project=project, user=head)
        projects.append(Project.objects.get(pk=project.pk))
    return plan, projects


def _revision_state():
    """Everything a decision on a plan change could change."""
    return (
        sorted(Project.objects.values_list("pk", "status", "version")),
        sorted(ProjectRevision.objects.values_list("pk", "approved_at", "approved_by")),
        ProjectTransition.objects.count(),
    )


def test_queue_lists_plan_changes_with_what_changed_and_the_memo(
    client, office, group_a, director, head_a
):
    plan, _ = _office_year(office, group_a, 1)  # a new project waits too
    plan, (project,) = _pending_revisions(office, group_a, 1, head_a, plan=plan)
    client.force_login(director)
    response = client.get(URL)
    queue = response.context["queue"]
    [row] = queue.revisions
    assert row.project == project and len(queue.rows) == 1
    # the memo's own comparison: the same totals the director signs
    memo = revision_memo(ProjectRevision.objects.get(project=project, version=1))
    assert (row.changes.before_total, row.changes.after_total) == (
        memo.before_total,
        memo.after_total,
    )
    assert (row.changes.before_total, row.changes.after_total) == (
        Decimal("8000.00"),
        Decimal("7000.50"),
    )
    page = response.content.decode()
    section = page.split('data-testid="revision-queue"')[1]
    assert "ขอปรับแผน" in page.split('data-testid="revision-queue"')[1][:80]
    assert project.name in section and group_a.name in section
    assert "งบประมาณ 8,000.00 → 7,000.50 บาท" in section
    assert "(ลดลง 999.50 บาท)" in section
    memo_url = reverse("reports:revision_memo_pdf", args=[project.pk, 1])
    assert f'href="{memo_url}"' in section
    assert f'value="revise_approve-{project.pk}"' in section
    assert f'value="revise_return-{project.pk}"' in section
    # three wait: the new project, the plan change and the plan
    assert queue.count == 3


@pytest.mark.parametrize("count", [1, 5])
def test_plan_changes_cost_the_same_queries_for_1_or_5(
    count, office, group_a, head_a, django_assert_num_queries
):
    """10 as before, 12 more for the plan changes however many wait."""
    _pending_revisions(office, group_a, count, head_a)
    with django_assert_num_queries(22):
        queue = approval_queue(organization=office, fiscal_year=current_fiscal_year())
        assert len(queue.revisions) == count
        assert [row.changes.change for row in queue.revisions] == [
            Decimal("-999.50")
        ] * count


def test_queue_page_queries_are_the_same_for_1_and_5_plan_changes(
    client, office, group_a, head_a, director
):
    plan, _ = _pending_revisions(office, group_a, 1, head_a)
    client.force_login(director)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    strategy = plan.strategies.get()
    for n in range(2, 6):
        project = full_project(
            plan,
            strategy,
            group_a,
            name=f"เพิ่ม {n}",
            status=Project.Status.APPROVED,
            responsible=head_a,
        )
        project_services.project_start_revision(
            project=project, reason="ปรับ", user=head_a
        )
        project_services.project_request_revision(
            project=Project.objects.get(pk=project.pk), user=head_a
        )
    with CaptureQueriesContext(connection) as five:
        response = client.get(URL)
    assert len(response.context["queue"].revisions) == 5
    assert len(five) == len(one)


def test_director_approves_and_returns_plan_changes_from_the_queue(
    client, office, group_a, director, head_a
):
    plan, (first, second) = _pending_revisions(office, group_a, 2, head_a)
    client.force_login(director)
    response = client.post(URL, {"decide": f"revise_approve-{first.pk}"}, follow=True)
    first.refresh_from_db()
    assert first.status == Project.Status.APPROVED
    revision = ProjectRevision.objects.get(project=first, version=1)
    assert revision.approved_by == director and revision.approved_at is not None
    page = response.content.decode()
    assert "อนุมัติการปรับแผนแล้ว 1 โครงการ" in page
    assert response.redirect_chain[-1][0].endswith(f"#project-{second.pk}")
    # a return needs the director's comment; without it nothing changes
    before = _revision_state()
    response = client.post(URL, {"decide": f"revise_return-{second.pk}"}, follow=True)
    assert _revision_state() == before
    assert "กรุณาระบุเหตุผลหรือสิ่งที่ต้องแก้ไขก่อนส่งกลับ" in response.content.decode()
    client.post(
        URL,
        {
            "decide": f"revise_return-{second.pk}",
            f"comment-{second.pk}": "คงกิจกรรมที่ 1 ไว้ตามเดิม",
        },
    )
    second.refresh_from_db()
    assert second.status == Project.Status.REVISING
    assert second.transitions.last().comment == "คงกิจกรรมที่ 1 ไว้ตามเดิม"
    assert not ProjectRevision.objects.get(project=second, version=1).is_approved


@pytest.mark.parametrize("who", ["planner", "head_a", "other_director"])
@pytest.mark.parametrize("action", ["revise_approve", "revise_return"])
def test_only_the_offices_director_decides_a_plan_change(
    client, office, group_a, head_a, other_office, who, action, request
):
    """Valid posts (the page's own buttons, with a comment) from a planner,
    the group's head and another office's director change nothing."""
    plan, (project,) = _pending_revisions(office, group_a, 1, head_a)
    if who == "other_director":
        user = make_staff(other_office, roles=[Role.DIRECTOR]).user
    else:
        user = request.getfixturevalue(who)
    before = _revision_state()
    client.force_login(user)
    response = client.post(
        URL,
        {
            "decide": f"{action}-{project.pk}",
            f"comment-{project.pk}": "ทบทวนงบประมาณ",
            "fiscal_year": str(current_fiscal_year()),
        },
    )
    assert response.status_code in (302, 403)
    assert _revision_state() == before
    if who != "other_director":
        assert response.status_code == 403
        assert "ผู้อนุมัติ" in response.content.decode()


def test_directors_home_counts_plan_changes_among_the_waiting(
    client, office, group_a, director, head_a
):
    plan, _ = _office_year(office, group_a, 2)
    _pending_revisions(office, group_a, 1, head_a, plan=plan)
    client.force_login(director)
    page = client.get(reverse("home:home")).content.decode()
    # two new projects, one plan change and the plan
    assert 'data-testid="approvals-count">4</span>' in page
    assert "โครงการปรับแผนที่ 1 (ขอปรับแผน)" in page
