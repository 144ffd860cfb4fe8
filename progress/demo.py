"""Demo progress for the demo office.

- The current fiscal year: its four rounds, open, and for its approved
  projects round-1 reports in mixed states, so the board looks like a real
  office in the middle of a round.
- The previous fiscal year (when the projects demo built it): a finished
  year. Rounds 1–4 locked by the planner ten days after each due date; every
  approved project reported cumulatively, moving from not started / in
  progress to completed, one project cancelled (ยกเลิก) and one postponed
  (เลื่อน) from the 9-month round; per-activity progress, KPI actuals (some
  targets missed), problems and suggestions in the style of seed 002; and a
  review trail in ``ReportEvent`` that matches each report's state
  (``PAST_ROUNDS``: one report returned then fixed and accepted, one sent
  late, one missing, some left unreviewed or unsent when the round closed).

Idempotent: rounds are created once (get_or_create) and the demo reports of
both years are deleted and rebuilt inside one transaction.

``home.demo.load_demo`` (``make run``) runs this builder only on a demo office
that holds no plan, money or reporting round yet, so the rows it rewrites or
deletes when called again are never ones people entered.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core import rules
from core.models import GroupHeadAssignment, Organization, Person
from core.roles import Role
from core.thai import current_fiscal_year, thai_month_year
from progress import selectors
from progress.models import (
    ActivityProgress,
    KPIActual,
    ProgressReport,
    ReportEvent,
    ReportingRound,
)
from progress.services import round_create_for_year
from projects.models import Project

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
    """Rounds and reports of the current fiscal year (round 1 open, mixed) and,
    when the previous year's plan has approved projects, its whole year."""
    organization = Organization.objects.filter(short_name=DEMO_OFFICE).first()
    if organization is None:
        return
    fiscal_year = current_fiscal_year()
    _build_previous_year(organization, fiscal_year - 1)
    _build_current_year(organization, fiscal_year)


def _build_current_year(organization, fiscal_year: int) -> None:
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


# ------------------------------------------------------------------ previous year

#: How each report of the finished year went, by round number and the
#: project's sequence in that year's plan. Reports not listed were submitted
#: on time and accepted.
RESUBMITTED = "resubmitted"  # returned once, fixed, then accepted
LATE = "late"  # submitted after the due date, then accepted
WAITING = "waiting"  # submitted, not yet reviewed when the round was locked
UNSENT = "unsent"  # saved as a draft, never submitted
SENT_BACK = "sent_back"  # returned, not fixed before the round was locked
MISSING = "missing"  # no report at all
ON_TIME = "on_time"

PAST_ROUNDS = {
    1: {5: RESUBMITTED, 3: WAITING, 2: UNSENT},
    2: {12: MISSING, 10: LATE, 7: SENT_BACK},
    3: {4: WAITING},
    4: {11: WAITING},
}
#: จิตอาสา is cancelled and DLTV postponed from the 9-month round on.
CANCELLED_SEQUENCE = 2
POSTPONED_SEQUENCE = 11
STOPPED_FROM_ROUND = 3
STOPPED = (ProgressReport.Status.CANCELLED, ProgressReport.Status.POSTPONED)

PAST_RETURN_COMMENTS = {
    (1, 5): "กรุณาระบุผลการดำเนินงานเชิงปริมาณ (จำนวนโรงเรียน ผู้บริหารและครูที่เข้าร่วม)"
    " ให้ชัดเจน และแนบภาพกิจกรรมประกอบ",
    (2, 7): "ร้อยละความก้าวหน้าไม่สอดคล้องกับกิจกรรมที่ดำเนินการแล้ว กรุณาตรวจสอบ"
    " และระบุจำนวนครูที่ได้รับการนิเทศในชั้นเรียน",
}
PAST_ACCEPT_COMMENTS = {
    (1, 5): "ตรวจรับแล้ว ขอบคุณที่แก้ไขตามข้อเสนอแนะ",
    (2, 10): "รับรายงานซึ่งส่งหลังกำหนด ขอให้ส่งภายในกำหนดในรอบต่อไป",
}
#: Per project (sequence in the finished year's plan): what it achieved, its
#: KPI results at the end (by KPI order; others met their target exactly),
#: the problems/suggestions written in given rounds, and the text of rounds
#: written by hand. ``{year}`` is the fiscal year, ``{next_year}`` the one
#: after, ``{first_year}`` the BE year of its first quarter, ``{academic}``
#: the academic year.
PAST_STORIES: dict[int, dict] = {
    1: {
        "output": "โรงเรียนในสังกัด 124 โรงเรียน จัดกิจกรรมตามพระบรมราโชบายด้านการศึกษา"
        "ครบทั้ง 4 ด้าน คิดเป็นร้อยละ 100 จัดกิจกรรมแลกเปลี่ยนเรียนรู้และประกวดผลงาน"
        " มีผลงานส่งเข้าประกวด 86 ผลงาน และนิเทศติดตามการดำเนินงานในสถานศึกษา 30 โรงเรียน",
        "outcome": "นักเรียนร้อยละ 88.60 มีผลการประเมินคุณลักษณะอันพึงประสงค์ระดับดีขึ้นไป"
        " มีโรงเรียนต้นแบบ 12 โรงเรียน เป็นแหล่งเรียนรู้ให้โรงเรียนอื่นในสังกัด",
        "kpis": {1: Decimal("100"), 2: Decimal("88.60")},
        "issues": {
            2: (
                "โรงเรียนขนาดเล็กบางแห่งมีครูไม่ครบชั้น ทำให้จัดกิจกรรมได้ไม่ครบทุกด้าน",
                "ส่งเสริมให้โรงเรียนขนาดเล็กจัดกิจกรรมร่วมกันในรูปแบบเครือข่ายกลุ่มโรงเรียน",
            ),
        },
    },
    2: {
        "stopped": "ยกเลิกการดำเนินโครงการ เนื่องจากศูนย์อำนวยการจิตอาสาพระราชทานจังหวัดยโสธร"
        "จัดกิจกรรมจิตอาสาระดับจังหวัดในช่วงเวลาเดียวกัน นักเรียนในสังกัดเข้าร่วมกิจกรรม"
        "ของจังหวัดแทน จำนวน 1,260 คน",
        "issues": {
            3: (
                "จังหวัดกำหนดให้สถานศึกษาเข้าร่วมกิจกรรมจิตอาสาพระราชทานระดับจังหวัด"
                " ซึ่งตรงกับช่วงเวลาของโครงการ จึงไม่ซ้ำซ้อนด้วยการจัดกิจกรรมระดับเขตพื้นที่",
                "ปีงบประมาณ {next_year} ควรบูรณาการกิจกรรมจิตอาสาของสถานศึกษากับแผนของจังหวัด"
                "ตั้งแต่ต้นปีงบประมาณ",
            ),
        },
    },
    3: {
        "output": "คัดกรองความสามารถด้านการอ่านการเขียนของนักเรียนชั้นประถมศึกษาปีที่ 1"
        " ครบ 1,236 คน อบรมครูผู้สอนภาษาไทย 124 คน คิดเป็นร้อยละ 100 นิเทศติดตาม"
        "การสอนอ่าน 40 โรงเรียน และประเมินความสามารถด้านการอ่าน (RT) ครบทุกโรงเรียน",
        "outcome": "นักเรียนชั้นประถมศึกษาปีที่ 1 มีผลการประเมินการอ่านระดับดีขึ้นไป"
        " ร้อยละ 76.85 ต่ำกว่าค่าเป้าหมาย (ร้อยละ 80) แต่สูงขึ้นจากปีการศึกษาก่อน"
        " ร้อยละ 4.20",
        "kpis": {1: Decimal("100"), 2: Decimal("76.85")},
        "issues": {
            4: (
                "นักเรียนที่ใช้ภาษาถิ่นในชีวิตประจำวันยังอ่านสะกดคำได้ช้า และครูผู้สอน"
                "ชั้นประถมศึกษาปีที่ 1 บางส่วนย้ายระหว่างปีการศึกษา",
                "จัดทำสื่อแจกลูกสะกดคำเพิ่มเติม และให้ครูแกนนำช่วยเหลือครูบรรจุใหม่อย่างต่อเนื่อง",
            ),
        },
    },
    4: {
        "output": "สำรวจข้อมูลนักเรียนกลุ่มเสี่ยงและเด็กตกหล่นครบ 124 โรงเรียน"
        " พบนักเรียนกลุ่มเสี่ยง 85 คน ได้รับการติดตามเยี่ยมบ้านร่วมกับภาคีเครือข่าย"
        "ครบทุกคน คิดเป็นร้อยละ 100 และรายงานผลต่อ สพฐ. แล้ว",
        "outcome": "ไม่มีนักเรียนออกกลางคันในปีการศึกษา {academic} และนำเด็กตกหล่น"
        "กลับเข้าสู่ระบบการศึกษาได้ 3 คน",
        "kpis": {1: Decimal("100"), 2: Decimal("0")},
        "issues": {
            2: (
                "ผู้ปกครองนักเรียนกลุ่มเสี่ยงบางรายย้ายไปทำงานต่างจังหวัด ทำให้ติดตามได้ยาก",
                "ประสานองค์กรปกครองส่วนท้องถิ่นและผู้นำชุมชนช่วยติดตามข้อมูลนักเรียน",
            ),
        },
    },
    5: {
        "output": "ส่งเสริมและพัฒนาโรงเรียนคุณภาพประจำตำบล 34 โรงเรียน พัฒนาผู้บริหาร"
        "และครู 136 คน และนิเทศ กำกับ ติดตามการดำเนินงานครบ 34 โรงเรียน คิดเป็นร้อยละ 100",
        "outcome": "โรงเรียนผ่านเกณฑ์โรงเรียนคุณภาพ 28 โรงเรียน คิดเป็นร้อยละ 82.35"
        " ทุกโรงเรียนมีเครือข่ายความร่วมมือกับองค์กรปกครองส่วนท้องถิ่นและชุมชน",
        "kpis": {1: Decimal("34"), 2: Decimal("82.35")},
        # round 1 as fixed after the planner returned it
        "progress": {
            1: "อยู่ระหว่างดำเนินการกิจกรรมที่ 1 ประชุมชี้แจงผู้บริหารและครูแกนนำ"
            "ของโรงเรียนคุณภาพประจำตำบล 34 โรงเรียน ผู้เข้าร่วม 68 คน เมื่อเดือนธันวาคม"
            " {first_year} และจัดทำแผนพัฒนารายโรงเรียนแล้ว 21 โรงเรียน",
        },
        "issues": {
            3: (
                "งบประมาณปรับปรุงอาคารสถานที่ของบางโรงเรียนได้รับจัดสรรล่าช้า",
                "จัดลำดับความจำเป็นเร่งด่วน และเสนอขอรับการสนับสนุนจากองค์กรปกครองส่วนท้องถิ่น",
            ),
        },
    },
    6: {
        "output": "วิเคราะห์ผลการทดสอบ O-NET รายโรงเรียนครบ 124 โรงเรียน จัดทำแบบฝึก"
        "และข้อสอบคู่ขนาน 4 รายวิชา และจัดสอบ Pre O-NET นักเรียนชั้นประถมศึกษาปีที่ 6"
        " จำนวน 1,164 คน",
        "outcome": "คะแนนเฉลี่ย O-NET สูงขึ้นจากปีการศึกษาก่อน 2 รายวิชา (ภาษาไทยและคณิตศาสตร์)"
        " จาก 4 รายวิชา คิดเป็นร้อยละ 50 ต่ำกว่าค่าเป้าหมาย",
        "kpis": {1: Decimal("50")},
        "issues": {
            2: (
                "คะแนนเฉลี่ยวิชาภาษาอังกฤษและวิทยาศาสตร์ยังต่ำกว่าระดับประเทศ"
                " ครูในโรงเรียนขนาดเล็กสอนไม่ตรงวิชาเอก",
                "จัดค่ายวิชาการภาษาอังกฤษและวิทยาศาสตร์แบบเครือข่าย และใช้สื่อออนไลน์"
                "ช่วยสอนในโรงเรียนขนาดเล็ก",
            ),
        },
    },
    7: {
        "output": "ประชุมชี้แจงแนวทางการนิเทศแก่ศึกษานิเทศก์ 12 คน และนิเทศการจัดการเรียนรู้"
        "ในชั้นเรียน 260 คน จากเป้าหมาย 300 คน คิดเป็นร้อยละ 86.67",
        "outcome": "ครูที่ได้รับการนิเทศร้อยละ 84.62 จัดการเรียนรู้เชิงรุกได้ในระดับดีขึ้นไป",
        "kpis": {1: Decimal("86.67")},
        "issues": {
            4: (
                "ศึกษานิเทศก์มีภารกิจเร่งด่วนตามนโยบายหลายรายการในภาคเรียนที่ 1"
                " ทำให้นิเทศได้ไม่ครบตามเป้าหมาย",
                "ใช้การนิเทศออนไลน์และเครือข่ายครูแกนนำช่วยนิเทศโรงเรียนที่อยู่ห่างไกล",
            ),
        },
    },
    8: {
        "output": "ประชุมเชิงปฏิบัติการจัดทำแผนปฏิบัติการ ผู้เข้าร่วม 40 คน เสนอแผนต่อ"
        "คณะกรรมการเขตพื้นที่การศึกษาให้ความเห็นชอบ และจัดพิมพ์เผยแพร่ 50 เล่ม"
        " พร้อมเผยแพร่ทางเว็บไซต์ของสำนักงาน",
        "outcome": "ผู้ใช้แผนมีความพึงพอใจเฉลี่ย 4.32 จากคะแนนเต็ม 5 กลุ่มและโรงเรียน"
        "ใช้แผนเป็นกรอบการดำเนินงานและการใช้จ่ายงบประมาณ",
        "kpis": {1: Decimal("50"), 2: Decimal("4.32")},
    },
    9: {
        "output": "แต่งตั้งคณะกรรมการติดตามความก้าวหน้า และจัดทำรายงานผลการดำเนินงาน"
        "รอบ 3, 6, 9 และ 12 เดือน ครบ 4 ฉบับ",
        "outcome": "ผู้บริหารใช้ผลการติดตามในการปรับแผนและเร่งรัดการเบิกจ่ายงบประมาณ",
        "kpis": {1: Decimal("4")},
        "issues": {
            2: (
                "บางกลุ่มส่งรายงานความก้าวหน้าหลังกำหนด",
                "แจ้งเตือนกลุ่มที่ยังไม่ส่งรายงานผ่านระบบก่อนถึงกำหนดส่ง 7 วัน",
            ),
        },
    },
    10: {
        "output": "ประกาศหลักเกณฑ์และคัดเลือกครูและบุคลากรทางการศึกษาที่มีผลงานดีเด่น"
        " 60 คน จัดงานวันครูมีผู้เข้าร่วม 320 คน และมอบเกียรติบัตรครบทุกคน",
        "outcome": "ผู้เข้าร่วมงานมีความพึงพอใจระดับมากขึ้นไป ร้อยละ 91.40",
        "kpis": {1: Decimal("60"), 2: Decimal("91.40")},
        "issues": {
            2: (
                "โรงเรียนส่งรายชื่อผู้ผ่านการคัดเลือกล่าช้า จึงสรุปและส่งรายงานหลังกำหนด",
                "กำหนดปฏิทินการคัดเลือกให้ชัดเจนตั้งแต่ต้นปีงบประมาณ",
            ),
        },
    },
    11: {
        "stopped": "เตรียมการจัดอบรมการดูแลและแก้ไขปัญหาระบบ DLTV แล้ว แต่เลื่อน"
        "การดำเนินงานไปปีงบประมาณ {next_year} เนื่องจากรอการติดตั้งอุปกรณ์รับสัญญาณชุดใหม่",
        "issues": {
            3: (
                "สพฐ. อยู่ระหว่างจัดหาอุปกรณ์รับสัญญาณชุดใหม่ ยังไม่ได้ติดตั้งในโรงเรียน",
                "จัดอบรมเมื่อติดตั้งอุปกรณ์แล้วเสร็จ และบรรจุเป็นโครงการต่อเนื่อง"
                "ในปีงบประมาณ {next_year}",
            ),
        },
    },
    12: {
        "output": "ประชุมชี้แจงการใช้ระบบ MOE Safety Center ผู้เข้าร่วม 124 คน สถานศึกษา"
        "ประเมินตนเองด้านความปลอดภัยครบ 124 โรงเรียน คิดเป็นร้อยละ 100 และตรวจเยี่ยม"
        "ความปลอดภัยของสถานศึกษา 40 โรงเรียน",
        "outcome": "สถานศึกษามีความปลอดภัยอยู่ในระดับดี ไม่พบเหตุร้ายแรงในสถานศึกษา",
        "kpis": {1: Decimal("100"), 2: "ระดับดี"},
        "issues": {
            3: (
                "อาคารเรียนเก่าบางหลังชำรุด ต้องซ่อมแซมเร่งด่วน",
                "เสนอขอรับงบประมาณปรับปรุงซ่อมแซมอาคารเรียนในปีงบประมาณ {next_year}",
            ),
        },
    },
}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """That moment, or just now when it would be in the future (the last
    year's late steps, when the demo is loaded early in October)."""
    moment = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )
    return min(moment, timezone.now() - datetime.timedelta(minutes=1))


def _reporters(organization, projects, fallback) -> dict[int, object]:
    """Project id → who keyed its reports: the group's head when they have a
    group-head login, else an officer named on the project, else a staff
    login of the group (planner, admin), else ``fallback``."""
    heads: dict[int, object] = {}
    for assignment in (
        GroupHeadAssignment.objects.in_force()
        .filter(group__organization=organization, person__user__isnull=False)
        .select_related("person__user")
        .order_by("kind", "-start_date")
    ):
        user = assignment.person.user
        if rules.has_role(user, Role.GROUP_HEAD):
            heads.setdefault(assignment.group_id, user)
    staff = [
        person
        for person in Person.objects.filter(
            organization=organization, user__isnull=False
        ).select_related("user")
        if rules.has_role(
            person.user, Role.ADMIN, Role.PLANNER, Role.GROUP_HEAD, Role.PROJECT_OFFICER
        )
    ]
    officers = {
        person.pk: person.user
        for person in staff
        if rules.has_role(person.user, Role.PROJECT_OFFICER)
    }
    members = {}
    for person in staff:
        members.setdefault(person.group_id, person.user)
    chosen = {}
    for project in projects:
        named = [
            officers[r.person_id]
            for r in project.responsibles.all()
            if r.person_id in officers
        ]
        chosen[project.pk] = (
            heads.get(project.group_id)
            or next(iter(named), None)
            or members.get(project.group_id)
            or fallback
        )
    return chosen


def _past_status(project, months, number: int, period_end) -> tuple[str, Decimal]:
    """Project status and cumulative percent complete as of a round."""
    Status = ProgressReport.Status
    if number >= STOPPED_FROM_ROUND and project.sequence == CANCELLED_SEQUENCE:
        return Status.CANCELLED, Decimal("0")
    if number >= STOPPED_FROM_ROUND and project.sequence == POSTPONED_SEQUENCE:
        return Status.POSTPONED, Decimal("10")
    done = sum(1 for month in months if month <= period_end)
    if not months or done == len(months):
        return Status.COMPLETED, Decimal("100")
    if not done:
        return Status.NOT_STARTED, Decimal("0")
    fives = max(1, min(19, round(done * 20 / len(months))))
    return Status.IN_PROGRESS, Decimal(fives * 5)


def _past_activity(activity, status: str, index: int, period_end, next_year: int):
    """(state, note, on_date) of one activity as of a round."""
    State = ActivityProgress.State
    if status == ProgressReport.Status.CANCELLED:
        return State.NOT_STARTED, "ยกเลิกพร้อมโครงการ", None
    if status == ProgressReport.Status.POSTPONED:
        if index == 0:
            return State.IN_PROGRESS, "เตรียมการแล้ว อยู่ระหว่างรอติดตั้งอุปกรณ์", None
        return State.NOT_STARTED, f"เลื่อนไปดำเนินการในปีงบประมาณ {next_year}", None
    months = activity.month_dates()
    done = [month for month in months if month <= period_end]
    if months and len(done) == len(months):
        day = months[-1].replace(day=18 + activity.order % 8)
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        note = "ดำเนินการแล้วเสร็จ"
        if activity.target:
            note += f" ({activity.target})"
        return State.DONE, note, day
    if done:
        return (
            State.IN_PROGRESS,
            f"อยู่ระหว่างดำเนินการ ({len(done)} จาก {len(months)} เดือนตามแผน)",
            None,
        )
    if months:
        return (
            State.NOT_STARTED,
            f"กำหนดดำเนินการเดือน{thai_month_year(months[0], abbr=False)}",
            None,
        )
    return State.NOT_STARTED, "", None


def _past_output(status, story, number, activities, parts, words) -> str:
    Status = ProgressReport.Status
    if number in story.get("progress", {}):
        return story["progress"][number].format(**words)
    if status == Status.COMPLETED:
        return story.get("output", "").format(**words)
    if status in STOPPED:
        return story.get("stopped", "").format(**words)
    if status == Status.NOT_STARTED:
        first = min(
            (month for activity in activities for month in activity.month_dates()),
            default=None,
        )
        text = "ยังไม่ถึงกำหนดดำเนินการตามแผน"
        if first:
            text += f" กิจกรรมแรกกำหนดดำเนินการเดือน{thai_month_year(first, False)}"
        return text
    State = ActivityProgress.State
    lines = [
        f"{n}) {activity.name} – {State(state).label}"
        for n, (activity, (state, _, _)) in enumerate(
            zip(activities, parts, strict=True), start=1
        )
        if state != State.NOT_STARTED
    ]
    done = sum(1 for state, _, _ in parts if state == State.DONE)
    heading = (
        f"ดำเนินการแล้วเสร็จ {done} จาก {len(activities)} กิจกรรม ดังนี้"
        if done
        else "อยู่ระหว่างดำเนินการ ดังนี้"
    )
    return "\n".join([heading, *lines])


def _past_kpis(report, project, story, status, percent) -> list[KPIActual]:
    Status = ProgressReport.Status
    if status not in (Status.IN_PROGRESS, Status.COMPLETED):
        return []
    finals = story.get("kpis", {})
    actuals = []
    for kpi in project.kpis.all():
        final = finals.get(kpi.order, kpi.target_value if kpi.is_numeric else "")
        if not kpi.is_numeric:
            if status == Status.COMPLETED:
                actuals.append(KPIActual(report=report, kpi=kpi, actual_text=final))
            continue
        if final is None:
            continue
        if status == Status.COMPLETED:
            value = final
        elif kpi.result_kind == kpi.ResultKind.OUTPUT:
            value = final * percent / 100
            places = Decimal("1") if kpi.unit == "count" else Decimal("0.01")
            value = value.quantize(places, rounding=ROUND_HALF_UP)
        else:
            continue  # outcomes are measured when the project ends
        actuals.append(KPIActual(report=report, kpi=kpi, actual_value=value))
    return actuals


def _past_events(story_kind: str, key, author, planner, period_end, due_date, seq):
    """The recorded steps of one report: (action, actor, comment, when)."""
    Action = ReportEvent.Action
    start = period_end + datetime.timedelta(days=3 + seq % 7)

    def day(offset: int, base=start) -> datetime.date:
        return base + datetime.timedelta(days=offset)

    if story_kind == UNSENT:
        return [(Action.SAVE, author, "", _at(day(4), 15))]
    if story_kind == LATE:
        return [
            (Action.SAVE, author, "", _at(day(4, due_date), 10)),
            (Action.SUBMIT, author, "", _at(day(6, due_date), 11)),
            (
                Action.ACCEPT,
                planner,
                PAST_ACCEPT_COMMENTS.get(key, ""),
                _at(day(8, due_date), 9),
            ),
        ]
    if story_kind == WAITING:
        return [
            (Action.SAVE, author, "", _at(day(-2, due_date), 14)),
            (Action.SUBMIT, author, "", _at(day(-1, due_date), 16, 30)),
        ]
    events = [
        (Action.SAVE, author, "", _at(day(0), 10)),
        (Action.SUBMIT, author, "", _at(day(1), 14)),
    ]
    if story_kind in (RESUBMITTED, SENT_BACK):
        comment = PAST_RETURN_COMMENTS[key]
        events.append((Action.RETURN, planner, comment, _at(day(3), 9, 30)))
        if story_kind == SENT_BACK:
            return events
        events += [
            (Action.SAVE, author, "", _at(day(5), 13)),
            (Action.SUBMIT, author, "", _at(day(5), 13, 20)),
        ]
    events.append(
        (
            Action.ACCEPT,
            planner,
            PAST_ACCEPT_COMMENTS.get(key, ""),
            _at(day(len(events) + 1), 10),
        )
    )
    return events


def _past_state(story_kind: str) -> str:
    State = ProgressReport.State
    return {
        UNSENT: State.DRAFT,
        WAITING: State.SUBMITTED,
        SENT_BACK: State.RETURNED,
    }.get(story_kind, State.ACCEPTED)


def _build_previous_year(organization, fiscal_year: int) -> None:
    """Four locked rounds of a finished year with reports in realistic states."""
    projects = list(
        Project.objects.filter(
            plan__organization=organization,
            plan__fiscal_year=fiscal_year,
            status=Project.Status.APPROVED,
        )
        .select_related("group")
        .prefetch_related("activities", "kpis", "responsibles")
        .order_by("sequence", "pk")
    )
    if not projects:
        return
    rounds = round_create_for_year(organization=organization, fiscal_year=fiscal_year)
    ProgressReport.objects.filter(round__in=rounds).delete()
    planner = get_user_model().objects.filter(username="planner").first()
    authors = _reporters(organization, projects, planner)
    words = {
        "year": fiscal_year,
        "next_year": fiscal_year + 1,
        "first_year": fiscal_year - 1,
        "academic": fiscal_year - 1,
    }
    activity_rows, kpi_rows, event_rows = [], [], []
    for reporting_round in rounds:
        number = reporting_round.number
        for project in projects:
            story_kind = PAST_ROUNDS[number].get(project.sequence, ON_TIME)
            if story_kind == MISSING:
                continue
            story = PAST_STORIES.get(project.sequence, {})
            activities = list(project.activities.all())
            months = [m for activity in activities for m in activity.month_dates()]
            status, percent = _past_status(
                project, months, number, reporting_round.period_end
            )
            parts = [
                _past_activity(
                    activity,
                    status,
                    index,
                    reporting_round.period_end,
                    fiscal_year + 1,
                )
                for index, activity in enumerate(activities)
            ]
            issues = story.get("issues", {})
            problems, suggestions = issues.get(number, ("", ""))
            if not problems and status in STOPPED:
                problems, suggestions = issues.get(STOPPED_FROM_ROUND, ("", ""))
            author = authors[project.pk]
            key = (number, project.sequence)
            events = _past_events(
                story_kind,
                key,
                author,
                planner,
                reporting_round.period_end,
                reporting_round.due_date,
                project.sequence,
            )
            submits = [when for action, _, _, when in events if action == "submit"]
            report = ProgressReport.objects.create(
                round=reporting_round,
                project=project,
                status=status,
                percent_complete=percent,
                output_progress=_past_output(
                    status, story, number, activities, parts, words
                ),
                outcome_progress=story.get("outcome", "").format(**words)
                if status == ProgressReport.Status.COMPLETED
                else "",
                problems=problems.format(**words),
                suggestions=suggestions.format(**words),
                state=_past_state(story_kind),
                submitted_at=submits[-1] if submits else None,
                submitted_by=author if submits else None,
                updated_by=author,
            )
            ProgressReport.objects.filter(pk=report.pk).update(
                created_at=events[0][3], updated_at=events[-1][3]
            )
            activity_rows += [
                ActivityProgress(
                    report=report,
                    activity=activity,
                    state=state,
                    note=note,
                    on_date=on_date,
                )
                for activity, (state, note, on_date) in zip(
                    activities, parts, strict=True
                )
            ]
            kpi_rows += _past_kpis(report, project, story, status, percent)
            event_rows += [
                ReportEvent(
                    report=report,
                    action=action,
                    actor=actor,
                    comment=comment,
                    created_at=when,
                )
                for action, actor, comment, when in events
            ]
        # The planner locks each round some days after its due date.
        ReportingRound.objects.filter(pk=reporting_round.pk).update(
            status=ReportingRound.Status.LOCKED,
            locked_at=_at(reporting_round.due_date + datetime.timedelta(days=10), 16),
            locked_by=planner,
        )
    ActivityProgress.objects.bulk_create(activity_rows)
    KPIActual.objects.bulk_create(kpi_rows)
    ReportEvent.objects.bulk_create(event_rows)
