"""Demo progress for the demo office: the four rounds of the current fiscal year
and, for its approved projects, round-1 reports in mixed states so the board
looks like a real office in the middle of a round.

Idempotent: rounds are created once (get_or_create) and the demo reports of
the year are deleted and rebuilt inside one transaction.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.models import GroupHeadAssignment, Organization
from core.thai import current_fiscal_year
from progress import selectors
from progress.models import (
    ActivityProgress,
    KPIActual,
    ProgressReport,
    ReportEvent,
    ReportingRound,
)
from progress.services import round_create_for_year

DEMO_OFFICE = "สพป.ยโสธร เขต 2"

#: (report state, project status, percent, output, outcome, problems, suggestions)
STORIES = [
    (
        ProgressReport.State.RETURNED,
        ProgressReport.Status.IN_PROGRESS,
        Decimal("30"),
        "ประชุมชี้แจงผู้บริหารสถานศึกษาและครูผู้รับผิดชอบแล้ว 1 ครั้ง",
        "",
        "",
        "",
    ),
    (
        ProgressReport.State.SUBMITTED,
        ProgressReport.Status.IN_PROGRESS,
        Decimal("45"),
        "จัดประชุมเชิงปฏิบัติการพัฒนาครูแล้ว 1 รุ่น ผู้เข้าร่วม 120 คน จากโรงเรียนในสังกัด 62 โรง",
        "ครูร้อยละ 85 นำความรู้ไปจัดทำแผนการจัดการเรียนรู้เชิงรุก",
        "ช่วงเวลาจัดกิจกรรมตรงกับการสอบกลางภาคของโรงเรียน",
        "ควรจัดกิจกรรมในช่วงปิดภาคเรียน",
    ),
    (
        ProgressReport.State.DRAFT,
        ProgressReport.Status.IN_PROGRESS,
        Decimal("20"),
        "อยู่ระหว่างสำรวจความต้องการของโรงเรียน",
        "",
        "",
        "",
    ),
    (
        ProgressReport.State.ACCEPTED,
        ProgressReport.Status.COMPLETED,
        Decimal("100"),
        "ดำเนินการครบทุกกิจกรรมตามแผน สรรหาและบรรจุบุคลากรได้ครบ 4 อัตรา",
        "สถานศึกษาที่ขาดแคลนได้รับบุคลากรครบตามกรอบอัตรากำลัง",
        "",
        "",
    ),
    (
        ProgressReport.State.DRAFT,
        ProgressReport.Status.NOT_STARTED,
        Decimal("0"),
        "",
        "",
        "",
        "",
    ),
    (
        ProgressReport.State.SUBMITTED,
        ProgressReport.Status.IN_PROGRESS,
        Decimal("25"),
        "จัดทำคำสั่งแต่งตั้งคณะกรรมการและเครื่องมือนิเทศติดตามแล้ว",
        "",
        "งบประมาณได้รับการจัดสรรล่าช้า",
        "ขอให้ สพฐ. โอนจัดสรรงบประมาณภายในไตรมาสที่ 1",
    ),
]
RETURN_COMMENT = (
    "กรุณาระบุผลการดำเนินงานเชิงปริมาณ (จำนวนโรงเรียนและผู้เข้าร่วม) และแนบภาพกิจกรรมประกอบ"
)


def _head_users(organization) -> dict[int, object]:
    """Group id → the login of its head in force (permanent head first)."""
    heads: dict[int, object] = {}
    for assignment in (
        GroupHeadAssignment.objects.in_force()
        .filter(group__organization=organization, person__user__isnull=False)
        .select_related("person__user")
        .order_by("kind", "-start_date")
    ):
        heads.setdefault(assignment.group_id, assignment.person.user)
    return heads


def _fill_parts(report: ProgressReport, project, percent: Decimal) -> None:
    activities = list(project.activities.all())
    for index, activity in enumerate(activities):
        if percent >= 100 or (percent > 0 and index == 0):
            state, note = ActivityProgress.State.DONE, "ดำเนินการแล้วตามแผน"
        elif percent > 0 and index == 1:
            state, note = ActivityProgress.State.IN_PROGRESS, "อยู่ระหว่างดำเนินการ"
        else:
            state, note = ActivityProgress.State.NOT_STARTED, ""
        ActivityProgress.objects.create(
            report=report,
            activity=activity,
            state=state,
            note=note,
            on_date=report.round.period_end - datetime.timedelta(days=20)
            if state == ActivityProgress.State.DONE
            else None,
        )
    if percent == 0:
        return
    for kpi in project.kpis.all():
        if kpi.is_numeric and kpi.target_value is not None:
            # Half-way projects reach about 90 % of the target; finished ones meet it.
            factor = Decimal("1") if percent >= 100 else Decimal("0.9")
            value = (kpi.target_value * factor).quantize(Decimal("0.01"))
            KPIActual.objects.create(report=report, kpi=kpi, actual_value=value)
        elif not kpi.is_numeric:
            KPIActual.objects.create(report=report, kpi=kpi, actual_text="ระดับดี")


@transaction.atomic
def load_demo_progress() -> None:
    organization = Organization.objects.filter(short_name=DEMO_OFFICE).first()
    if organization is None:
        return
    fiscal_year = current_fiscal_year()
    rounds = round_create_for_year(organization=organization, fiscal_year=fiscal_year)
    ReportingRound.objects.filter(pk__in=[r.pk for r in rounds]).update(
        status=ReportingRound.Status.OPEN, locked_at=None, locked_by=None
    )
    ProgressReport.objects.filter(round__in=rounds).delete()
    first = rounds[0]
    projects = list(
        selectors.round_projects(first).prefetch_related("activities", "kpis")
    )
    if not projects:
        return
    heads = _head_users(organization)
    planner = get_user_model().objects.filter(username="planner").first()
    now = timezone.now()
    # About two projects in three get a report; the rest stay missing.
    reported = projects[: len(projects) - len(projects) // 3]
    for index, project in enumerate(reported):
        state, status, percent, output, outcome, problems, suggestions = STORIES[
            index % len(STORIES)
        ]
        author = heads.get(project.group_id) or planner
        report = ProgressReport.objects.create(
            round=first,
            project=project,
            status=status,
            percent_complete=percent,
            output_progress=output,
            outcome_progress=outcome,
            problems=problems,
            suggestions=suggestions,
            state=state,
            updated_by=author,
        )
        _fill_parts(report, project, percent)
        moment = now - datetime.timedelta(days=len(reported) - index)
        events = [(ReportEvent.Action.SAVE, author, "", moment)]
        if state != ProgressReport.State.DRAFT:
            report.submitted_at = moment + datetime.timedelta(hours=1)
            report.submitted_by = author
            report.save(update_fields=["submitted_at", "submitted_by"])
            events.append((ReportEvent.Action.SUBMIT, author, "", report.submitted_at))
        later = moment + datetime.timedelta(hours=20)
        if state == ProgressReport.State.RETURNED:
            events.append((ReportEvent.Action.RETURN, planner, RETURN_COMMENT, later))
        if state == ProgressReport.State.ACCEPTED:
            events.append((ReportEvent.Action.ACCEPT, planner, "", later))
        ReportEvent.objects.bulk_create(
            ReportEvent(
                report=report,
                action=action,
                actor=actor,
                comment=comment,
                created_at=when,
            )
            for action, actor, comment, when in events
        )
