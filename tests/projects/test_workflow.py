"""Workflow services: transitions allowed and refused per role, submission
checks per section, returns with comments, revisions with snapshots."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import services
from projects.models import Objective, Project, ProjectRevision, ProjectTransition
from tests.factories import PlanFactory, StrategyFactory

pytestmark = pytest.mark.django_db

S = Project.Status


def _status(project) -> str:
    return Project.objects.get(pk=project.pk).status


def _at(project, status):
    Project.objects.filter(pk=project.pk).update(status=status)
    return Project.objects.get(pk=project.pk)


def test_full_path_from_draft_to_approved_records_every_step(
    ready_project, head_a, planner, director
):
    # when
    services.project_submit(project=ready_project, user=head_a)
    services.project_check(project=ready_project, user=planner, comment="ครบถ้วน")
    services.project_approve(project=ready_project, user=director)
    # then
    assert _status(ready_project) == S.APPROVED
    steps = list(
        ProjectTransition.objects.filter(project=ready_project).values_list(
            "from_status", "to_status", "actor", "comment"
        )
    )
    assert steps == [
        (S.DRAFT, S.SUBMITTED, head_a.pk, ""),
        (S.SUBMITTED, S.CHECKED, planner.pk, "ครบถ้วน"),
        (S.CHECKED, S.APPROVED, director.pk, ""),
    ]


def test_other_group_head_cannot_submit_and_nothing_changes(ready_project, head_b):
    with pytest.raises(PermissionDenied) as error:
        services.project_submit(project=ready_project, user=head_b)
    assert str(error.value) == services.ERROR_NOT_ALLOWED
    assert _status(ready_project) == S.DRAFT
    assert not ProjectTransition.objects.exists()


@pytest.mark.parametrize("role", ["head_a", "director", "viewer"])
def test_only_planner_checks(request, ready_project, role):
    project = _at(ready_project, S.SUBMITTED)
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.project_check(project=project, user=user)
    assert _status(project) == S.SUBMITTED
    assert not ProjectTransition.objects.exists()


@pytest.mark.parametrize("role", ["planner", "head_a", "outsider"])
def test_only_director_approves(request, ready_project, role):
    project = _at(ready_project, S.CHECKED)
    with pytest.raises(PermissionDenied):
        services.project_approve(project=project, user=request.getfixturevalue(role))
    assert _status(project) == S.CHECKED


def test_approving_a_submitted_project_is_a_wrong_state(ready_project, director):
    project = _at(ready_project, S.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        services.project_approve(project=project, user=director)
    assert error.value.code == "wrong_state"
    assert "เสนอ" in error.value.messages[0]
    assert _status(project) == S.SUBMITTED


def test_submitting_twice_is_refused(ready_project, head_a):
    services.project_submit(project=ready_project, user=head_a)
    with pytest.raises(ValidationError) as error:
        services.project_submit(project=ready_project, user=head_a)
    assert error.value.code == "wrong_state"
    assert ProjectTransition.objects.count() == 1


@pytest.mark.parametrize("role", ["planner", "director"])
def test_return_needs_a_comment_and_records_it(request, ready_project, role):
    project = _at(ready_project, S.CHECKED)
    user = request.getfixturevalue(role)
    with pytest.raises(ValidationError) as error:
        services.project_return(project=project, user=user, comment="   ")
    assert error.value.messages == [services.ERROR_COMMENT_REQUIRED]
    assert _status(project) == S.CHECKED
    services.project_return(project=project, user=user, comment="แก้ตัวชี้วัดข้อ 2")
    assert _status(project) == S.RETURNED
    step = ProjectTransition.objects.get()
    assert (step.from_status, step.to_status, step.comment) == (
        S.CHECKED,
        S.RETURNED,
        "แก้ตัวชี้วัดข้อ 2",
    )


def test_group_head_cannot_return(ready_project, head_a):
    project = _at(ready_project, S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.project_return(project=project, user=head_a, comment="ขอคืน")
    assert _status(project) == S.SUBMITTED


def test_returned_project_can_be_submitted_again(ready_project, head_a):
    project = _at(ready_project, S.RETURNED)
    services.project_submit(project=project, user=head_a)
    assert _status(project) == S.SUBMITTED


# ------------------------------------------------------------------ submit checks


def test_empty_project_lists_every_missing_section(project, head_a):
    with pytest.raises(ValidationError) as error:
        services.project_submit(project=project, user=head_a)
    assert error.value.messages == [
        services.ERROR_NO_STRATEGY,
        services.ERROR_NO_OBJECTIVE,
        services.ERROR_NO_KPI,
        services.ERROR_NO_RESPONSIBLE,
    ]
    assert _status(project) == S.DRAFT
    assert not ProjectTransition.objects.exists()


def test_alignment_rule_needs_a_strategy_of_the_same_plan(
    ready_project, head_a, office
):
    # given: only a strategy of another year's plan
    ready_project.strategies.clear()
    other_plan = PlanFactory(organization=office, fiscal_year=2567)
    ready_project.strategies.add(StrategyFactory(plan=other_plan))
    # when / then
    with pytest.raises(ValidationError) as error:
        services.project_submit(project=ready_project, user=head_a)
    assert error.value.messages == [services.ERROR_NO_STRATEGY]
    assert _status(ready_project) == S.DRAFT


def test_blank_objective_does_not_count(ready_project, head_a):
    Objective.objects.filter(project=ready_project).update(text="")
    with pytest.raises(ValidationError) as error:
        services.project_submit(project=ready_project, user=head_a)
    assert error.value.messages == [services.ERROR_NO_OBJECTIVE]


def test_period_ending_before_start_is_reported(ready_project, head_a):
    # The database constraint forbids saving it; an in-memory sheet is checked.
    ready_project.end_month = datetime.date(2024, 9, 1)
    assert services.ERROR_PERIOD in services.submission_problems(ready_project)


# ------------------------------------------------------------------ revisions


def test_revision_snapshots_the_sheet_and_reopens_as_next_version(
    ready_project, planner
):
    project = _at(ready_project, S.APPROVED)
    # when
    revision = services.project_start_revision(
        project=project, reason="ปรับลดงบประมาณตามการจัดสรรรอบ 2", user=planner
    )
    # then
    project.refresh_from_db()
    assert (project.status, project.version) == (S.REVISING, 2)
    assert revision.version == 1
    assert revision.reason == "ปรับลดงบประมาณตามการจัดสรรรอบ 2"
    snapshot = revision.snapshot
    assert snapshot["name"] == project.name
    assert snapshot["version"] == 1
    assert snapshot["status"] == S.APPROVED
    assert snapshot["alignment"]["strategies"] == ["กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียน"]
    assert snapshot["objectives"] == ["เพื่อพัฒนาครูให้มีสมรรถนะในการจัดการเรียนรู้"]
    assert [row["name"] for row in snapshot["activities"]] == ["ประชุมเชิงปฏิบัติการ"]
    assert snapshot["kpis_output"][0]["method"] == "ทดสอบ"
    step = ProjectTransition.objects.get()
    assert (step.from_status, step.to_status) == (S.APPROVED, S.REVISING)
    assert "ปรับลดงบประมาณ" in step.comment


def test_second_revision_keeps_both_versions(ready_project, planner, head_a, director):
    project = _at(ready_project, S.APPROVED)
    services.project_start_revision(project=project, reason="ครั้งที่ 1", user=planner)
    Objective.objects.filter(project=project).update(text="วัตถุประสงค์ฉบับที่ 2")
    services.project_request_revision(project=project, user=head_a)
    services.project_approve_revision(project=project, user=director)
    services.project_start_revision(project=project, reason="ครั้งที่ 2", user=head_a)
    revisions = ProjectRevision.objects.filter(project=project).order_by("version")
    assert [r.version for r in revisions] == [1, 2]
    assert revisions[1].snapshot["objectives"] == ["วัตถุประสงค์ฉบับที่ 2"]
    assert Project.objects.get(pk=project.pk).version == 3


def test_revision_refused_unless_approved_or_without_reason(
    ready_project, planner, head_b
):
    with pytest.raises(ValidationError) as error:
        services.project_start_revision(project=ready_project, reason="x", user=planner)
    assert error.value.code == "wrong_state"
    project = _at(ready_project, S.APPROVED)
    with pytest.raises(ValidationError) as error:
        services.project_start_revision(project=project, reason=" ", user=planner)
    assert error.value.messages == [services.ERROR_REASON_REQUIRED]
    with pytest.raises(PermissionDenied):
        services.project_start_revision(project=project, reason="ขอปรับ", user=head_b)
    project.refresh_from_db()
    assert (project.status, project.version) == (S.APPROVED, 1)
    assert not ProjectRevision.objects.exists()
