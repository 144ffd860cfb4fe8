from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from progress import services
from progress.models import (
    ActivityProgress,
    KPIActual,
    ProgressReport,
    ReportEvent,
    RoundReopening,
)
from tests.progress.conftest import make_project

pytestmark = pytest.mark.django_db


def _draft(project, reporting_round, user, **fields):
    values = {"status": "in_progress", "percent_complete": Decimal("40"), **fields}
    return services.report_save_draft(
        project=project, reporting_round=reporting_round, user=user, fields=values
    )


def _submitted(project, reporting_round, user):
    report = _draft(project, reporting_round, user, output_progress="อบรมครูแล้ว 60 คน")
    return services.report_submit(report=report, user=user)


# ------------------------------------------------------------------ who may report


@pytest.mark.parametrize("who", ["head_a", "officer"])
def test_head_and_named_officer_save_a_draft(request, project_a, round1, who):
    user = request.getfixturevalue(who)
    activity = project_a.activities.get(order=1)
    kpi = project_a.kpis.get(order=1)

    report = services.report_save_draft(
        project=project_a,
        reporting_round=round1,
        user=user,
        fields={"status": "in_progress", "percent_complete": Decimal("35.50")},
        activities={activity.pk: {"state": "done", "note": "ประชุมแล้ว"}},
        kpis={kpi.pk: {"actual_value": Decimal("82"), "actual_text": ""}},
    )

    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT
    assert report.percent_complete == Decimal("35.50")
    assert report.activity_progress.get().state == "done"
    assert report.kpi_actuals.get().achieved is True
    assert list(report.events.values_list("action", "actor")) == [("save", user.pk)]


@pytest.mark.parametrize("who", ["head_b", "planner", "director", "viewer", "outsider"])
def test_others_cannot_report_and_nothing_is_created(request, project_a, round1, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied) as raised:
        _draft(project_a, round1, user)

    assert str(raised.value) == services.ERROR_NOT_REPORTER
    assert not ProgressReport.objects.exists()
    assert not ReportEvent.objects.exists()


def test_acting_head_reports_for_their_group(project_b, round1, head_b):
    report = _draft(project_b, round1, head_b)
    assert report.state == ProgressReport.State.DRAFT


def test_officer_not_named_on_the_project_is_refused(
    project_a, round1, office, group_a
):
    from core.roles import Role
    from tests.factories import make_staff

    other = make_staff(office, roles=[Role.PROJECT_OFFICER], group=group_a).user
    with pytest.raises(PermissionDenied):
        _draft(project_a, round1, other)
    assert not ProgressReport.objects.exists()


def test_project_not_approved_cannot_be_reported(plan, group_a, round1, head_a):
    project = make_project(plan, group_a)
    project.status = "draft"
    project.save()

    with pytest.raises(ValidationError) as raised:
        _draft(project, round1, head_a)

    assert raised.value.messages == [services.ERROR_PROJECT_NOT_APPROVED]
    assert not ProgressReport.objects.exists()


def test_percent_over_100_is_refused_and_nothing_saved(project_a, round1, head_a):
    with pytest.raises(ValidationError):
        _draft(project_a, round1, head_a, percent_complete=Decimal("150"))
    assert not ProgressReport.objects.exists()


# ------------------------------------------------------------------ workflow


def test_submit_requires_output_progress(project_a, round1, head_a):
    report = _draft(project_a, round1, head_a)

    with pytest.raises(ValidationError) as raised:
        services.report_submit(report=report, user=head_a)

    assert raised.value.code == "incomplete"
    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT


def test_submitted_report_cannot_be_edited_until_returned(
    project_a, round1, head_a, planner
):
    report = _submitted(project_a, round1, head_a)
    assert report.submitted_by == head_a and report.submitted_at is not None

    with pytest.raises(ValidationError) as raised:
        _draft(project_a, round1, head_a, percent_complete=Decimal("90"))
    assert raised.value.messages == [services.ERROR_NOT_EDITABLE]
    report.refresh_from_db()
    assert report.percent_complete == Decimal("40.00")

    services.report_return(report=report, user=planner, comment="กรุณาระบุจำนวนโรงเรียน")
    edited = _draft(project_a, round1, head_a, percent_complete=Decimal("90"))
    assert edited.state == ProgressReport.State.RETURNED
    assert edited.percent_complete == Decimal("90")


def test_planner_returns_with_comment_and_accepts(project_a, round1, head_a, planner):
    report = _submitted(project_a, round1, head_a)

    services.report_return(report=report, user=planner, comment="ขอหลักฐานภาพถ่าย")
    services.report_submit(report=report, user=head_a)
    services.report_accept(report=report, user=planner)

    report.refresh_from_db()
    assert report.state == ProgressReport.State.ACCEPTED
    assert list(report.events.values_list("action", "actor", "comment")) == [
        ("save", head_a.pk, ""),
        ("submit", head_a.pk, ""),
        ("return", planner.pk, "ขอหลักฐานภาพถ่าย"),
        ("submit", head_a.pk, ""),
        ("accept", planner.pk, ""),
    ]


def test_return_needs_a_comment(project_a, round1, head_a, planner):
    report = _submitted(project_a, round1, head_a)

    with pytest.raises(ValidationError) as raised:
        services.report_return(report=report, user=planner, comment="  ")

    assert raised.value.messages == [services.ERROR_COMMENT_REQUIRED]
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED


@pytest.mark.parametrize("who", ["head_a", "director", "viewer", "outsider"])
def test_only_planners_review(request, project_a, round1, head_a, who):
    report = _submitted(project_a, round1, head_a)
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, user=user)
    with pytest.raises(PermissionDenied):
        services.report_return(report=report, user=user, comment="แก้ไข")

    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    assert report.events.count() == 2


def test_draft_cannot_be_accepted(project_a, round1, head_a, planner):
    report = _draft(project_a, round1, head_a)
    with pytest.raises(ValidationError) as raised:
        services.report_accept(report=report, user=planner)
    assert raised.value.messages == [services.ERROR_NOT_SUBMITTED]


# ------------------------------------------------------------------ locking


def test_locked_round_refuses_edits_submit_and_review(
    project_a, project_b, round1, head_a, head_b, planner
):
    submitted = _submitted(project_b, round1, head_b)
    draft = _draft(project_a, round1, head_a, output_progress="ดำเนินการแล้ว")
    services.round_lock(reporting_round=round1, user=planner)

    with pytest.raises(ValidationError) as raised:
        _draft(project_a, round1, head_a, percent_complete=Decimal("99"))
    assert raised.value.messages == [services.ERROR_ROUND_LOCKED]
    with pytest.raises(ValidationError):
        services.report_submit(report=draft, user=head_a)
    with pytest.raises(ValidationError):
        services.report_accept(report=submitted, user=planner)

    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert draft.percent_complete == Decimal("40.00")
    assert draft.state == ProgressReport.State.DRAFT
    assert submitted.state == ProgressReport.State.SUBMITTED


def test_only_planner_locks_and_reopens(round1, head_a, planner):
    with pytest.raises(PermissionDenied):
        services.round_lock(reporting_round=round1, user=head_a)
    round1.refresh_from_db()
    assert not round1.is_locked

    services.round_lock(reporting_round=round1, user=planner)
    with pytest.raises(PermissionDenied):
        services.round_reopen(reporting_round=round1, user=head_a, reason="ขอแก้ไข")
    round1.refresh_from_db()
    assert round1.is_locked
    assert not RoundReopening.objects.exists()


def test_reopen_needs_reason_and_is_recorded(project_a, round1, head_a, planner):
    report = _draft(project_a, round1, head_a)
    services.round_lock(reporting_round=round1, user=planner)

    with pytest.raises(ValidationError) as raised:
        services.round_reopen(reporting_round=round1, user=planner, reason="")
    assert raised.value.messages == [services.ERROR_REASON_REQUIRED]
    round1.refresh_from_db()
    assert round1.is_locked

    reopening = services.round_reopen(
        reporting_round=round1, user=planner, reason="กลุ่มขอแก้ไขตัวเลขผู้เข้าร่วม"
    )

    round1.refresh_from_db()
    assert not round1.is_locked
    assert (reopening.reopened_by, reopening.reason) == (
        planner,
        "กลุ่มขอแก้ไขตัวเลขผู้เข้าร่วม",
    )
    assert reopening.reopened_at is not None
    assert report.events.filter(action="reopen").get().comment == (
        "กลุ่มขอแก้ไขตัวเลขผู้เข้าร่วม"
    )
    assert _draft(
        project_a, round1, head_a, percent_complete=Decimal("45")
    ).percent_complete == Decimal("45")


# ------------------------------------------------------------------ pre-fill


def test_new_report_is_prefilled_from_previous_round(
    project_a, round1, round2, head_a, planner
):
    activity = project_a.activities.get(order=1)
    percent_kpi, count_kpi, text_kpi = project_a.kpis.order_by("order")
    services.report_save_draft(
        project=project_a,
        reporting_round=round1,
        user=head_a,
        fields={
            "status": "in_progress",
            "percent_complete": Decimal("30"),
            "output_progress": "ประชุมชี้แจงแล้ว",
            "outcome_progress": "ครูเข้าใจแนวทาง",
            "problems": "งบประมาณล่าช้า",
            "suggestions": "ควรโอนงบเร็วขึ้น",
        },
        activities={activity.pk: {"state": "done", "note": "ครบ 124 โรงเรียน"}},
        kpis={
            count_kpi.pk: {"actual_value": Decimal("150"), "actual_text": ""},
            text_kpi.pk: {"actual_value": None, "actual_text": "ระดับดี"},
        },
    )

    report = services.report_start(
        project=project_a, reporting_round=round2, user=head_a
    )

    assert (
        report.status,
        report.percent_complete,
        report.output_progress,
        report.outcome_progress,
        report.problems,
        report.suggestions,
        report.state,
    ) == (
        "in_progress",
        Decimal("30.00"),
        "ประชุมชี้แจงแล้ว",
        "ครูเข้าใจแนวทาง",
        "งบประมาณล่าช้า",
        "ควรโอนงบเร็วขึ้น",
        "draft",
    )
    assert list(
        ActivityProgress.objects.filter(report=report).values_list(
            "activity", "state", "note"
        )
    ) == [(activity.pk, "done", "ครบ 124 โรงเรียน")]
    assert sorted(
        KPIActual.objects.filter(report=report).values_list(
            "kpi", "actual_value", "actual_text"
        )
    ) == sorted([(count_kpi.pk, Decimal("150.00"), ""), (text_kpi.pk, None, "ระดับดี")])
    # The earlier round's report is untouched.
    assert ProgressReport.objects.get(round=round1).activity_progress.count() == 1


def test_round_for_another_year_refuses_the_project(project_a, office, head_a):
    other_year = services.round_create_for_year(organization=office, fiscal_year=2560)[
        0
    ]
    with pytest.raises(ValidationError) as raised:
        _draft(project_a, other_year, head_a)
    assert raised.value.messages == [services.ERROR_PROJECT_NOT_IN_ROUND]
