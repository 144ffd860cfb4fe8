import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from budgets.rollups import disbursed_to_date
from core.models import Person
from progress import selectors, services
from progress.models import ProgressReport
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    ProgressReportFactory,
)
from tests.progress.conftest import FY, make_project

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ money


def test_disbursed_so_far_sums_payments_up_to_the_period_end(
    project_a, project_b, round1, round2
):
    # given: round 1 ends 31 Dec, round 2 ends 31 Mar of the fiscal year
    first, second = project_a.activities.order_by("order")
    end1, end2 = round1.period_end, round2.period_end
    DisbursementFactory(
        activity=first,
        paid_on=end1 - datetime.timedelta(days=30),
        amount=Decimal("12500.00"),
    )
    DisbursementFactory(activity=second, paid_on=end1, amount=Decimal("2400.50"))
    DisbursementFactory(
        activity=second,
        paid_on=end1 + datetime.timedelta(days=1),
        amount=Decimal("7000.25"),
    )
    DisbursementFactory(
        activity=first,
        paid_on=end2 + datetime.timedelta(days=1),
        amount=Decimal("999.99"),
    )
    DisbursementFactory(
        activity=ActivityFactory(project=project_b),
        paid_on=end1,
        amount=Decimal("5000"),
    )
    report1 = ProgressReportFactory(project=project_a, round=round1)
    report2 = ProgressReportFactory(project=project_a, round=round2)

    # when
    amounts = dict(
        ProgressReport.objects.with_disbursed()
        .filter(project=project_a)
        .values_list("round__number", "disbursed")
    )

    # then: 12,500.00 + 2,400.50 = 14,900.50; plus 7,000.25 = 21,900.75
    assert amounts == {1: Decimal("14900.50"), 2: Decimal("21900.75")}
    assert disbursed_to_date(project_a, end1) == Decimal("14900.50")
    assert selectors.report_detail(report1.pk).disbursed == Decimal("14900.50")
    assert selectors.report_detail(report2.pk).disbursed == Decimal("21900.75")


def test_project_without_payments_has_zero_disbursed_and_total_budget(
    project_a, project_b, round1, group_a
):
    CostLineFactory(activity=project_a.activities.get(order=1), amount=Decimal("2400"))
    CostLineFactory(
        activity=project_a.activities.get(order=2), amount=Decimal("1000.50")
    )

    (row,) = selectors.group_round_projects(reporting_round=round1, group=group_a)

    assert row.disbursed == Decimal("0.00")
    assert row.total_budget == Decimal("3400.50")


# ------------------------------------------------------------------ board


def _crafted_board(plan, group_a, group_b, round1, head_a, head_b, planner):
    """Group A: submitted, draft, missing; group B: accepted, returned."""
    a1 = make_project(plan, group_a, name="A1")
    a2 = make_project(plan, group_a, name="A2")
    a3 = make_project(plan, group_a, name="A3")
    b1 = make_project(plan, group_b, name="B1")
    b2 = make_project(plan, group_b, name="B2")
    for project, user in [(a1, head_a), (b1, head_b), (b2, head_b)]:
        report = ProgressReportFactory(project=project, round=round1)
        services.report_submit(report=report, user=user)
    ProgressReportFactory(project=a2, round=round1)
    services.report_accept(report=b1.progress_reports.get(), user=planner)
    services.report_return(
        report=b2.progress_reports.get(), user=planner, comment="แก้ไข"
    )
    return a1, a2, a3, b1, b2


def test_board_counts_states_per_group_and_overall(
    plan, group_a, group_b, round1, head_a, head_b, planner
):
    a1, a2, a3, b1, b2 = _crafted_board(
        plan, group_a, group_b, round1, head_a, head_b, planner
    )
    before_due = round1.due_date

    board = selectors.board(round1, today=before_due)

    group_rows = {
        entry.group: [(row.project, row.state) for row in entry.rows]
        for entry in board.groups
    }
    assert group_rows == {
        group_a: [(a1, "submitted"), (a2, "draft"), (a3, "missing")],
        group_b: [(b1, "accepted"), (b2, "returned")],
    }
    first, second = board.groups
    assert first.tally.counts == {
        "missing": 1,
        "draft": 1,
        "submitted": 1,
        "returned": 0,
        "accepted": 0,
    }
    # 1 of 3 done = 33.33 %; shares of 1/1/1 by largest remainder: 33.34/33.33/33.33
    assert first.tally.done_percent == Decimal("33.33")
    assert [cell[3] for cell in first.tally.cells] == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    assert second.tally.done_percent == Decimal("50.00")
    # overall 5 projects: 1 each of every state → 20.00 each; done 2/5 = 40.00
    assert board.tally.total == 5
    assert [cell[2] for cell in board.tally.cells] == [1, 1, 1, 1, 1]
    assert [cell[3] for cell in board.tally.cells] == [Decimal("20.00")] * 5
    assert board.tally.done_percent == Decimal("40.00")
    assert board.tally.overdue == 0 and not board.overdue


def test_board_marks_overdue_after_the_due_date(
    plan, group_a, group_b, round1, head_a, head_b, planner
):
    a1, a2, a3, b1, b2 = _crafted_board(
        plan, group_a, group_b, round1, head_a, head_b, planner
    )

    board = selectors.board(round1, today=round1.due_date + datetime.timedelta(days=1))

    overdue = {
        row.project.name for entry in board.groups for row in entry.rows if row.overdue
    }
    assert overdue == {"A2", "A3", "B2"}
    assert board.tally.overdue == 3
    assert [entry.tally.overdue for entry in board.groups] == [2, 1]


def test_board_runs_one_query_whatever_the_number_of_projects(
    plan, group_a, group_b, round1, django_assert_num_queries
):
    make_project(plan, group_a)
    with django_assert_num_queries(1):
        small = selectors.board(round1)
    for _ in range(6):
        project = make_project(plan, group_b)
        ProgressReportFactory(project=project, round=round1)

    with django_assert_num_queries(1):
        big = selectors.board(round1)

    assert (small.tally.total, big.tally.total) == (1, 7)


def test_board_skips_unapproved_projects_and_other_offices(
    plan, group_a, round1, other_office
):
    make_project(plan, group_a, name="อนุมัติแล้ว")
    draft = make_project(plan, group_a, name="ยังไม่อนุมัติ")
    draft.status = "draft"
    draft.save()

    board = selectors.board(round1)

    assert [row.project.name for entry in board.groups for row in entry.rows] == [
        "อนุมัติแล้ว"
    ]


# ------------------------------------------------------------------ reminders


def _people_with_email(head_a, head_b, officer):
    for user, email in [
        (head_a, "head.a@example.go.th"),
        (head_b, "head.b@example.go.th"),
        (officer, ""),
    ]:
        Person.objects.filter(user=user).update(email=email)
    officer.email = "officer@example.go.th"
    officer.save()


def test_reminders_go_to_heads_and_named_officers_of_pending_groups(
    plan, group_a, group_b, round1, project_a, head_a, head_b, officer, planner
):
    # given: group A has project_a missing and A2 draft; group B submitted all
    _people_with_email(head_a, head_b, officer)
    a2 = make_project(plan, group_a, name="โครงการนิเทศภายใน")
    ProgressReportFactory(project=a2, round=round1)
    b1 = make_project(plan, group_b, name="โครงการสรรหาครู")
    services.report_submit(
        report=ProgressReportFactory(project=b1, round=round1), user=head_b
    )

    # when
    results = services.round_send_reminders(reporting_round=round1, user=planner)

    # then
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["head.a@example.go.th", "officer@example.go.th"]
    assert message.subject == (
        "แจ้งเตือนการรายงานความก้าวหน้าโครงการ รอบ 3 เดือน "
        f"ปีงบประมาณ พ.ศ. {FY} – กลุ่มส่งเสริมการจัดการศึกษา"
    )
    assert "1. โครงการพัฒนาการอ่านออกเขียนได้ (ยังไม่รายงาน)" in message.body
    assert "2. โครงการนิเทศภายใน (ร่าง)" in message.body
    assert "โครงการสรรหาครู" not in message.body
    assert f"/progress/round/{round1.pk}/group/{group_a.pk}/" in message.body
    assert [r.sent for r in results] == [True]


def test_dry_run_sends_nothing(round1, project_a, head_a, head_b, officer, planner):
    _people_with_email(head_a, head_b, officer)

    results = services.round_send_reminders(reporting_round=round1, dry_run=True)

    assert mail.outbox == []
    assert [r.reminder.recipients for r in results] == [
        ["head.a@example.go.th", "officer@example.go.th"]
    ]


def test_only_planners_send_reminders_from_the_screen(round1, project_a, head_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.round_send_reminders(reporting_round=round1, user=head_a)
    assert mail.outbox == []


def test_reminder_command_sends_and_dry_runs(
    round1, project_a, project_b, head_a, head_b, officer, capsys
):
    _people_with_email(head_a, head_b, officer)

    call_command("send_progress_reminders", "--fiscal-year", str(FY), "--dry-run")
    assert mail.outbox == []
    assert "ทดลอง" in capsys.readouterr().out

    call_command("send_progress_reminders", "--fiscal-year", str(FY), "--round", "1")
    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("head.a@example.go.th", "officer@example.go.th"),
        ("head.b@example.go.th",),
    ]
    assert "ส่งอีเมลแจ้งเตือน 2 ฉบับ" in capsys.readouterr().out


def test_reminder_command_without_rounds_fails_in_thai(db):
    with pytest.raises(CommandError, match="ไม่พบรอบการรายงานของปีงบประมาณ 2400"):
        call_command("send_progress_reminders", "--fiscal-year", "2400")
