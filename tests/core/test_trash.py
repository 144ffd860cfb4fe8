"""Soft delete and undo: deleting a project or a progress report moves it and
every row under it to the trash; a planner restores it with the same keys in
one transaction; clashes are refused in Thai and change nothing; protected
projects (with disbursements) are refused in Thai, never with a 500."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from budgets.models import CostLine, Disbursement, QuarterPlan
from core.models import DeletedObject
from core.trash import (
    ERROR_ALREADY_RESTORED,
    ERROR_RESTORE_CONFLICT,
    trash_delete,
    trash_restore,
)
from plans.models import Strategy
from progress.models import ActivityProgress, KPIActual, ProgressReport, ReportEvent
from projects.models import (
    Activity,
    ExpectedResult,
    Objective,
    Project,
    ProjectKPI,
    ProjectResponsible,
    ProjectTarget,
    ProjectTransition,
)
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    ExpectedResultFactory,
    GoalFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PlanFactory,
    PolicyItemFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    ProjectTargetFactory,
    QuarterPlanFactory,
    ReportingRoundFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

CHILD_MODELS = [
    ProjectResponsible,
    Objective,
    ProjectTarget,
    ExpectedResult,
    Activity,
    ProjectKPI,
    CostLine,
    QuarterPlan,
    ProjectTransition,
    ProgressReport,
    ActivityProgress,
    KPIActual,
    ReportEvent,
]


def _counts():
    return {model.__name__: model.objects.count() for model in [Project, *CHILD_MODELS]}


@pytest.fixture
def plan(office):
    return PlanFactory(organization=office, fiscal_year=2568)


@pytest.fixture
def full_project(plan, group_a, planner):
    """A project with a row in every child table and all four alignments."""
    strategy = StrategyFactory(plan=plan, number=1)
    goal = GoalFactory(plan=plan)
    indicator = IndicatorFactory(strategy=strategy)
    policy = PolicyItemFactory()
    project = ProjectFactory(plan=plan, group=group_a, code="68-050")
    project.strategies.add(strategy)
    project.goals.add(goal)
    project.indicators.add(indicator)
    project.policy_items.add(policy)
    ProjectResponsibleFactory(project=project)
    ObjectiveFactory(project=project)
    ProjectTargetFactory(project=project)
    ExpectedResultFactory(project=project)
    main = ActivityFactory(project=project, name="กิจกรรมหลัก")
    sub = ActivityFactory(project=project, parent=main, name="กิจกรรมย่อย")
    CostLineFactory(activity=main)
    CostLineFactory(activity=sub, description="ค่าวัสดุ")
    QuarterPlanFactory(activity=main, quarter=1, amount=2400)
    kpi = ProjectKPIFactory(project=project)
    ProjectTransition.objects.create(
        project=project, from_status="draft", to_status="submitted", actor=planner
    )
    reporting_round = ReportingRoundFactory(organization=plan.organization)
    report = ProgressReportFactory(project=project, round=reporting_round)
    ActivityProgress.objects.create(report=report, activity=main, state="done")
    KPIActual.objects.create(report=report, kpi=kpi, actual_value=85)
    ReportEvent.objects.create(report=report, action="save", actor=planner)
    return project


def test_delete_then_restore_round_trip(full_project, planner):
    before = _counts()
    alignment = {
        name: set(getattr(full_project, name).values_list("pk", flat=True))
        for name in ("strategies", "goals", "indicators", "policy_items")
    }
    activity_pks = set(full_project.activities.values_list("pk", flat=True))
    pk = full_project.pk
    assert all(before.values())

    entry = trash_delete(obj=full_project, user=planner)

    assert not Project.objects.filter(pk=pk).exists()
    assert all(_counts()[name] == 0 for name in ["Project", "Activity", "CostLine"])
    assert entry.kind == DeletedObject.Kind.PROJECT
    assert entry.label == full_project.name
    assert entry.row_count == sum(before.values())

    restored = trash_restore(entry=entry, user=planner)

    assert restored.pk == pk
    assert _counts() == before
    project = Project.objects.get(pk=pk)
    for name, pks in alignment.items():
        assert set(getattr(project, name).values_list("pk", flat=True)) == pks
    assert set(project.activities.values_list("pk", flat=True)) == activity_pks
    assert project.activities.get(name="กิจกรรมย่อย").parent.name == "กิจกรรมหลัก"
    entry.refresh_from_db()
    assert entry.is_restored and entry.restored_by == planner
    # The history tells the whole story: created, deleted, restored.
    kinds = list(project.history.order_by("history_date").values_list("history_type"))
    assert kinds[-2:] == [("-",), ("+",)]
    assert project.history.first().history_change_reason == "กู้คืนจากถังขยะ"


def test_restore_twice_is_refused(full_project, planner):
    entry = trash_delete(obj=full_project, user=planner)
    trash_restore(entry=entry, user=planner)
    with pytest.raises(ValidationError) as error:
        trash_restore(entry=entry, user=planner)
    assert error.value.messages == [ERROR_ALREADY_RESTORED]


def test_restore_refused_when_a_parent_is_gone_changes_nothing(full_project, planner):
    entry = trash_delete(obj=full_project, user=planner)
    Strategy.objects.all().delete()  # an alignment target no longer exists
    before = _counts()

    with pytest.raises(ValidationError) as error:
        trash_restore(entry=entry, user=planner)

    prefix = ERROR_RESTORE_CONFLICT.format(label=entry.label, detail="")[:30]
    assert error.value.messages[0].startswith(prefix)
    assert _counts() == before
    entry.refresh_from_db()
    assert not entry.is_restored


def test_restore_refused_when_the_code_was_reused(full_project, plan, planner):
    entry = trash_delete(obj=full_project, user=planner)
    ProjectFactory(plan=plan, group=full_project.group, code="68-050")
    before = _counts()

    with pytest.raises(ValidationError):
        trash_restore(entry=entry, user=planner)

    assert _counts() == before


def test_only_planners_of_the_office_restore(full_project, planner, head_a, outsider):
    entry = trash_delete(obj=full_project, user=planner)
    for user in (head_a, outsider):
        with pytest.raises(PermissionDenied):
            trash_restore(entry=entry, user=user)
    with pytest.raises(PermissionDenied):
        trash_delete(obj=ProjectFactory(), user=outsider)


def test_project_with_disbursements_cannot_be_deleted(full_project, planner):
    DisbursementFactory(activity=full_project.activities.first(), amount=500)

    with pytest.raises(ValidationError) as error:
        trash_delete(obj=full_project, user=planner)

    assert "การเบิกจ่าย 1 รายการ" in error.value.messages[0]
    assert Project.objects.filter(pk=full_project.pk).exists()
    assert not DeletedObject.objects.exists()


def test_progress_report_round_trip(full_project, planner):
    report = full_project.progress_reports.get()
    pk = report.pk
    entry = trash_delete(obj=report, user=planner)
    assert not ProgressReport.objects.exists()
    assert not ActivityProgress.objects.exists()
    assert entry.kind == DeletedObject.Kind.PROGRESS_REPORT

    trash_restore(entry=entry, user=planner)

    restored = ProgressReport.objects.get(pk=pk)
    assert restored.activity_progress.count() == 1
    assert restored.kpi_actuals.get().actual_value == 85


# ------------------------------------------------------------------ admin


@pytest.fixture
def staff_planner(planner):
    planner.is_staff = True
    planner.save(update_fields=["is_staff"])
    return planner


def test_admin_delete_goes_to_trash_and_restore_action_brings_it_back(
    client, plan, group_a, staff_planner
):
    project = ProjectFactory(plan=plan, group=group_a, name="โครงการที่ลบพลาด")
    ActivityFactory(project=project)
    client.force_login(staff_planner)

    url = reverse("admin:projects_project_delete", args=[project.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not Project.objects.filter(pk=project.pk).exists()
    entry = DeletedObject.objects.get()
    assert entry.deleted_by == staff_planner
    changelist = reverse("admin:core_deletedobject_changelist")
    assert "โครงการที่ลบพลาด" in client.get(changelist).content.decode()

    response = client.post(
        changelist,
        {"action": "restore", "_selected_action": [entry.pk]},
        follow=True,
    )

    assert "กู้คืน “โครงการที่ลบพลาด” แล้ว" in response.content.decode()
    assert Project.objects.get(pk=project.pk).activities.count() == 1


def test_admin_delete_of_protected_project_shows_thai_message(
    client, plan, group_a, staff_planner
):
    project = ProjectFactory(plan=plan, group=group_a)
    DisbursementFactory(activity=ActivityFactory(project=project))
    client.force_login(staff_planner)
    url = reverse("admin:projects_project_delete", args=[project.pk])

    for response in (
        client.get(url, follow=True),
        client.post(url, {"post": "yes"}, follow=True),
    ):
        assert response.status_code == 200
        assert "ไม่ได้ เพราะมีข้อมูลที่ต้องเก็บไว้เป็นหลักฐาน" in response.content.decode()

    assert Project.objects.filter(pk=project.pk).exists()
    assert Disbursement.objects.count() == 1
    assert not DeletedObject.objects.exists()


def test_trash_is_hidden_from_other_roles_and_offices(
    client, full_project, planner, viewer, outsider
):
    trash_delete(obj=full_project, user=planner)
    changelist = reverse("admin:core_deletedobject_changelist")
    for user in (viewer, outsider):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client.force_login(viewer)
    assert client.get(changelist).status_code == 403
    outsider.groups.clear()
    client.force_login(outsider)
    assert client.get(changelist).status_code == 403
