"""The demo office's written plan-book sections and strategy indicator results.

``load_demo_reports`` runs last (after the progress demo). For the plan of the
current fiscal year and of the previous one it writes the sections of the
plan book that are not computed (``reports.BookSection``): the foreword, Part 1
ข้อมูลพื้นฐาน (with tables of staff, schools, students and teachers), Part 4
การบริหารแผนสู่การปฏิบัติ (with the 3/6/9/12-month reporting rounds) and the
appendix (the office's committee orders and the editorial team), in the style
of seeds 001 and 004. For the previous, finished year it also records the
results of every strategy indicator (``reports.IndicatorResult``), so the
annual report's attainment table is meaningful; the budget-disbursement
indicator takes its value from the year's demo disbursements.

Idempotent: sections are keyed on (plan, part, order) and results on
(indicator, fiscal year), and updated in place.

``home.demo.load_demo`` (``make run``) runs this builder only on a demo office
that holds no plan, money or reporting round yet, so the rows it rewrites or
deletes when called again are never ones people entered.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from budgets.models import CostLine, Disbursement
from core.models import GroupHeadAssignment, OfficeGroup, Organization, Person
from core.thai import (
    current_fiscal_year,
    fiscal_month_dates,
    fiscal_quarter_range,
    fiscal_year_range,
    format_baht,
    format_number,
    percent_of,
    percent_shares,
    thai_date,
    thai_month_year,
)
from plans.models import Indicator, IndicatorTarget, Plan
from progress.models import ProgressReport, ReportingRound
from reports.models import BookSection, IndicatorResult

DEMO_OFFICE = "สพป.ยโสธร เขต 2"
Part = BookSection.Part

# ------------------------------------------------------------------ figures

#: Office staff by group (civil servants, permanent employees, government
#: employees and temporary staff), as of the start of the plan's year. The
#: last figure of each row changes between years only where noted.
STAFF = [
    ("ผู้บริหารสำนักงาน (ผู้อำนวยการและรองผู้อำนวยการ)", 3, 0, 0),
    ("กลุ่มอำนวยการ", 5, 2, 4),
    ("กลุ่มนโยบายและแผน", 4, 0, 1),
    ("กลุ่มบริหารงานการเงินและสินทรัพย์", 6, 0, 2),
    ("กลุ่มบริหารงานบุคคล", 6, 0, 1),
    ("กลุ่มส่งเสริมการจัดการศึกษา", 5, 0, 1),
    ("กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา", 10, 0, 0),
    ("กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร", 2, 0, 1),
    ("กลุ่มพัฒนาครูและบุคลากรทางการศึกษา", 2, 0, 0),
    ("กลุ่มกฎหมายและคดี", 1, 0, 0),
    ("หน่วยตรวจสอบภายใน", 2, 0, 0),
]

#: Figures of the academic year before each plan year: index 0 is the
#: previous plan, 1 the current one (fewer pupils each year, as in the
#: province's statistics).
SCHOOL_SIZES = [
    ("ขนาดเล็ก", "ไม่เกิน 120 คน", (72, 74)),
    ("ขนาดกลาง", "121 – 719 คน", (49, 47)),
    ("ขนาดใหญ่", "720 – 1,679 คน", (3, 3)),
    ("ขนาดใหญ่พิเศษ", "1,680 คนขึ้นไป", (0, 0)),
]
EXTENDED_SCHOOLS = (28, 28)  # โรงเรียนขยายโอกาสทางการศึกษา
STUDENTS = [
    # level, classrooms, pupils
    ("ก่อนประถมศึกษา (อนุบาล 1 – 3)", (352, 348), (2688, 2591)),
    ("ประถมศึกษา (ป.1 – ป.6)", (744, 741), (9016, 8862)),
    ("มัธยมศึกษาตอนต้น (ม.1 – ม.3)", (84, 84), (1742, 1708)),
]
TEACHERS = [
    ("ผู้อำนวยการสถานศึกษา", (104, 103)),
    ("รองผู้อำนวยการสถานศึกษา", (9, 9)),
    ("ข้าราชการครู", (791, 786)),
    ("พนักงานราชการ (ครู)", (36, 36)),
    ("ครูอัตราจ้าง", (61, 58)),
    ("เจ้าหน้าที่ธุรการโรงเรียน", (88, 88)),
    ("ลูกจ้างประจำและนักการภารโรง", (104, 101)),
]
SWOT = [
    (
        "จุดแข็ง (Strengths)",
        "ผู้บริหารและบุคลากรมีประสบการณ์ ทำงานเป็นทีม มีระบบข้อมูลสารสนเทศและระบบ"
        "ติดตามโครงการที่ใช้ร่วมกันทั้งสำนักงาน สถานศึกษามีเครือข่ายกลุ่มโรงเรียนที่เข้มแข็ง",
    ),
    (
        "จุดอ่อน (Weaknesses)",
        "โรงเรียนขนาดเล็กมีสัดส่วนสูง ครูไม่ครบชั้นและสอนไม่ตรงวิชาเอก ผลสัมฤทธิ์"
        "ทางการเรียนบางรายวิชายังต่ำกว่าระดับประเทศ บุคลากรบางกลุ่มมีภาระงานมาก",
    ),
    (
        "โอกาส (Opportunities)",
        "นโยบาย สพฐ. ให้ความสำคัญกับความปลอดภัย โอกาส คุณภาพ และประสิทธิภาพ"
        " องค์กรปกครองส่วนท้องถิ่นและชุมชนให้การสนับสนุนการจัดการศึกษา"
        " มีเทคโนโลยีดิจิทัลช่วยการเรียนรู้และการบริหาร",
    ),
    (
        "อุปสรรค (Threats)",
        "จำนวนประชากรวัยเรียนลดลงต่อเนื่อง ผู้ปกครองส่วนหนึ่งย้ายไปทำงานต่างถิ่น"
        " ได้รับจัดสรรงบประมาณล่าช้าในบางไตรมาส และมีภัยธรรมชาติตามฤดูกาล",
    ),
]

#: Heads of groups that have no person in the demo office fixture
#: (fictional names, as the demo's other people), by group order.
OTHER_HEADS = {
    7: ("นายพิษณุ มูลสาร", "ผู้อำนวยการกลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร"),
    8: ("นางรัชนี ทองประเสริฐ", "ผู้อำนวยการกลุ่มพัฒนาครูและบุคลากรทางการศึกษา"),
    9: ("นายณัฐพล ศรีวงษา", "ผู้อำนวยการกลุ่มกฎหมายและคดี"),
    10: ("นางสาววราภรณ์ พลเยี่ยม", "ผู้อำนวยการหน่วยตรวจสอบภายใน"),
}

#: Results of the strategy indicators of the finished year, by (strategy
#: number, indicator number): (value, text, verdict for text targets, note).
#: ``None`` as value for 4.2 means "computed from the year's disbursements".
INDICATOR_RESULTS = {
    (1, 1): (Decimal("86.45"), "", None, ""),
    (1, 2): (Decimal("76.85"), "", None, "ผลการประเมินความสามารถด้านการอ่าน (RT)"),
    (1, 3): (Decimal("68.20"), "", None, "ต่ำกว่าค่าเป้าหมาย ร้อยละ 1.80"),
    (1, 4): (Decimal("91.30"), "", None, ""),
    (1, 5): (Decimal("1264"), "", None, ""),
    (1, 6): (None, "ระดับดี", True, ""),
    (2, 1): (Decimal("72.50"), "", None, ""),
    (2, 2): (Decimal("65.80"), "", None, ""),
    (2, 3): (Decimal("58.40"), "", None, "ครูบางส่วนยังไม่ได้เข้ารับการพัฒนาออนไลน์"),
    (2, 4): (Decimal("100"), "", None, ""),
    (2, 5): (Decimal("36"), "", None, ""),
    (3, 1): (Decimal("100"), "", None, ""),
    (3, 2): (Decimal("97.58"), "", None, "ผ่านเกณฑ์ 121 จาก 124 โรงเรียน"),
    (3, 3): (Decimal("100"), "", None, "นำเด็กตกหล่นกลับเข้าสู่ระบบ 3 คน"),
    (3, 4): (Decimal("0.31"), "", None, ""),
    (3, 5): (Decimal("74.19"), "", None, ""),
    (4, 1): (Decimal("92.37"), "ระดับ AA", None, ""),
    (4, 2): (None, "", None, "จากรายงานการเบิกจ่ายงบประมาณโครงการ"),
    (4, 3): (Decimal("88.75"), "", None, ""),
    (4, 4): (None, "ระดับดีเยี่ยม", True, ""),
    (4, 5): (Decimal("318"), "", None, ""),
    (4, 6): (Decimal("3"), "", None, ""),
}


# ------------------------------------------------------------------ helpers


def _table(rows: list[list[object]]) -> str:
    """Rows of cells as ``BookSection.table`` text (first row = header)."""
    return "\n".join(" | ".join(str(cell) for cell in row) for row in rows)


def _n(value) -> str:
    return format_number(value)


def _month_year(day: datetime.date) -> str:
    return thai_month_year(day, abbr=False)


def _order_date(day: datetime.date) -> str:
    return thai_date(day, style="official")


def _sync_sections(plan: Plan, sections: list[tuple[str, str, str, str]]) -> None:
    """Write ``(part, title, body, table)`` rows, numbered within each part."""
    kept = []
    orders: dict[str, int] = {}
    for part, title, body, table in sections:
        orders[part] = orders.get(part, 0) + 1
        section, _ = BookSection.objects.update_or_create(
            plan=plan,
            part=part,
            order=orders[part],
            defaults={"title": title, "body": body, "table": table},
        )
        kept.append(section.pk)
    BookSection.objects.filter(plan=plan).exclude(pk__in=kept).delete()


# ------------------------------------------------------------------ people


def _committee(office: Organization) -> dict:
    """The office's directors, group heads and planners for the orders."""
    people = {
        person.pk: person for person in Person.objects.filter(organization=office)
    }
    heads = []
    assignments = {
        assignment.group_id: assignment
        for assignment in GroupHeadAssignment.objects.in_force()
        .filter(group__organization=office)
        .select_related("person")
        .order_by("-kind", "start_date")
    }
    for group in OfficeGroup.objects.filter(organization=office, is_active=True):
        assignment = assignments.get(group.pk)
        if assignment is not None:
            person = assignment.person
            if assignment.kind == GroupHeadAssignment.Kind.HEAD:
                position = person.position
            else:
                position = (
                    f"{person.position} {assignment.get_kind_display()}"
                    f"ผู้อำนวยการ{group.name}"
                )
            heads.append((group, person.full_name, position))
        elif group.order in OTHER_HEADS:
            heads.append((group, *OTHER_HEADS[group.order]))
    director = office.director or people.get(1)
    deputies = [
        person
        for person in people.values()
        if person.position.startswith("รองผู้อำนวยการสำนักงานเขตพื้นที่")
    ]
    planners = [
        person
        for person in people.values()
        if person.position.startswith("นักวิเคราะห์นโยบายและแผน")
    ]
    finance = [
        person
        for person in people.values()
        if person.position.startswith("นักวิชาการเงินและบัญชี")
    ]
    computer = [
        person
        for person in people.values()
        if person.position.startswith("นักวิชาการคอมพิวเตอร์")
    ]
    return {
        "director": director,
        "deputies": deputies,
        "heads": heads,
        "planners": planners,
        "finance": finance,
        "computer": computer,
    }


def _member(person_or_pair, role: str) -> tuple[str, str, str]:
    if isinstance(person_or_pair, Person):
        return (person_or_pair.full_name, person_or_pair.position, role)
    name, position = person_or_pair
    return (name, position, role)


def _numbered(members: list[tuple[str, str, str]]) -> str:
    return "\n".join(
        f"{number}) {name} {position} {role}"
        for number, (name, position, role) in enumerate(members, start=1)
    )


def _signature(office: Organization, director) -> str:
    name = director.full_name if director else ""
    return f"({name})\nผู้อำนวยการ{office.name}"


# ------------------------------------------------------------------ foreword


def _foreword(office: Organization, year: int) -> list[tuple]:
    body = "\n\n".join(
        [
            f"แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {year} ของ{office.name} จัดทำขึ้นเพื่อเป็นกรอบ"
            "และทิศทางในการบริหารจัดการศึกษาขั้นพื้นฐานในเขตพื้นที่การศึกษา ให้สอดคล้องกับ"
            "ยุทธศาสตร์ชาติ แผนแม่บทภายใต้ยุทธศาสตร์ชาติ แผนการศึกษาแห่งชาติ นโยบาย"
            "ของกระทรวงศึกษาธิการ และนโยบายของสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"
            f" ประจำปีงบประมาณ พ.ศ. {year}",
            "การจัดทำแผนครั้งนี้ใช้กระบวนการมีส่วนร่วมของผู้บริหาร ผู้อำนวยการกลุ่ม บุคลากร"
            "ในสำนักงาน และผู้แทนสถานศึกษา ร่วมกันวิเคราะห์สภาพแวดล้อม ผลการดำเนินงาน"
            f"ในปีงบประมาณ พ.ศ. {year - 1} และข้อมูลสารสนเทศทางการศึกษา เพื่อกำหนดกลยุทธ์"
            " ตัวชี้วัด ค่าเป้าหมาย และโครงการที่มุ่งพัฒนาคุณภาพผู้เรียนอย่างเป็นรูปธรรม"
            " และผ่านการพิจารณาของคณะกรรมการติดตาม ตรวจสอบ ประเมินผลและนิเทศการศึกษา"
            " (ก.ต.ป.น.) แล้ว",
            "สำนักงานเขตพื้นที่การศึกษาหวังเป็นอย่างยิ่งว่า แผนปฏิบัติการฉบับนี้จะเป็นเครื่องมือ"
            "ให้กลุ่ม หน่วย และสถานศึกษาในสังกัด ใช้เป็นแนวทางในการดำเนินงานและการใช้จ่าย"
            "งบประมาณอย่างมีประสิทธิภาพ คุ้มค่า โปร่งใส ตรวจสอบได้ และบรรลุเป้าหมาย"
            "ที่กำหนดไว้ ขอขอบคุณทุกท่านที่มีส่วนร่วมในการจัดทำแผนปฏิบัติการให้สำเร็จลุล่วง"
            "ด้วยดี",
        ]
    )
    return [(Part.FOREWORD, "คำนำ", body, "")]


# ------------------------------------------------------------------ part 1


def _context(office: Organization, year: int, which: int, past: dict) -> list[tuple]:
    academic = year - 1
    schools = sum(counts[which] for _, _, counts in SCHOOL_SIZES)
    small = SCHOOL_SIZES[0][2][which]
    start, _ = fiscal_year_range(year)

    history = (
        f"{office.name} เป็นหน่วยงานทางการศึกษาในสังกัดสำนักงานคณะกรรมการการศึกษา"
        "ขั้นพื้นฐาน กระทรวงศึกษาธิการ จัดตั้งตามพระราชบัญญัติการศึกษาแห่งชาติ"
        " พ.ศ. 2542 และที่แก้ไขเพิ่มเติม และพระราชบัญญัติระเบียบบริหารราชการ"
        f"กระทรวงศึกษาธิการ พ.ศ. 2546 มีที่ทำการตั้งอยู่ ณ {office.address}"
        f" รับผิดชอบการจัดการศึกษาขั้นพื้นฐานของโรงเรียนในสังกัด {schools} โรงเรียน"
    )
    duties = (
        "ตามประกาศกระทรวงศึกษาธิการ เรื่อง การแบ่งส่วนราชการภายในสำนักงานเขตพื้นที่"
        "การศึกษา สำนักงานเขตพื้นที่การศึกษามีอำนาจหน้าที่ที่สำคัญ ดังนี้\n"
        "1) จัดทำนโยบาย แผนพัฒนา และมาตรฐานการศึกษาของเขตพื้นที่การศึกษาให้สอดคล้อง"
        "กับนโยบายและมาตรฐานการศึกษาของชาติ และความต้องการของท้องถิ่น\n"
        "2) วิเคราะห์การจัดตั้งงบประมาณเงินอุดหนุนทั่วไปของสถานศึกษา แจ้งการจัดสรร"
        " และกำกับ ตรวจสอบ ติดตามการใช้จ่ายงบประมาณ\n"
        "3) ประสาน ส่งเสริม สนับสนุน และพัฒนาหลักสูตรร่วมกับสถานศึกษา\n"
        "4) กำกับ ดูแล ติดตาม และประเมินผลสถานศึกษาในเขตพื้นที่การศึกษา\n"
        "5) ศึกษา วิเคราะห์ วิจัย และรวบรวมข้อมูลสารสนเทศด้านการศึกษา\n"
        "6) ระดมทรัพยากรเพื่อส่งเสริม สนับสนุนการจัดและพัฒนาการศึกษา\n"
        "7) จัดระบบประกันคุณภาพการศึกษาและประเมินผลสถานศึกษา\n"
        "8) ปฏิบัติงานร่วมกับหรือสนับสนุนการปฏิบัติงานของหน่วยงานอื่นที่เกี่ยวข้อง"
        "หรือที่ได้รับมอบหมาย"
    )

    staff_rows = [list(row) + [sum(row[1:])] for row in STAFF]
    if which == 1:  # one supervisor retired at the end of the previous year
        staff_rows[6] = [STAFF[6][0], 9, 0, 0, 9]
    totals = [sum(row[i] for row in staff_rows) for i in (1, 2, 3, 4)]
    staff_table = _table(
        [
            ["กลุ่ม/หน่วย", "ข้าราชการ", "ลูกจ้างประจำ", "พนักงานราชการ/ลูกจ้างชั่วคราว", "รวม"],
            *staff_rows,
            ["รวมทั้งสิ้น", *totals],
        ]
    )
    structure = (
        "สำนักงานแบ่งส่วนราชการภายในเป็น 9 กลุ่ม และ 1 หน่วย มีผู้อำนวยการสำนักงาน"
        "เขตพื้นที่การศึกษาเป็นผู้บังคับบัญชา และรองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
        "กำกับดูแลกลุ่มตามที่ได้รับมอบหมาย ข้อมูลอัตรากำลัง ณ วันที่ "
        f"{thai_date(start)} มีบุคลากรรวมทั้งสิ้น {totals[3]} คน จำแนกตามกลุ่ม ดังนี้"
    )

    size_counts = [counts[which] for _, _, counts in SCHOOL_SIZES]
    size_shares = percent_shares(size_counts)
    size_table = _table(
        [
            ["ขนาดโรงเรียน", "จำนวนนักเรียน", "จำนวนโรงเรียน", "ร้อยละ"],
            *(
                [name, band, count, share]
                for (name, band, _), count, share in zip(
                    SCHOOL_SIZES, size_counts, size_shares, strict=True
                )
            ),
            ["รวม", "", schools, "100.00"],
        ]
    )
    school_text = (
        f"ปีการศึกษา {academic} มีโรงเรียนในสังกัด {schools} โรงเรียน เป็นโรงเรียน"
        f"ขยายโอกาสทางการศึกษาที่เปิดสอนถึงระดับมัธยมศึกษาตอนต้น {EXTENDED_SCHOOLS[which]}"
        f" โรงเรียน โรงเรียนส่วนใหญ่เป็นโรงเรียนขนาดเล็กที่มีนักเรียนไม่เกิน 120 คน"
        f" {small} โรงเรียน คิดเป็นร้อยละ {size_shares[0]} ซึ่งเป็นความท้าทายด้านการบริหาร"
        "อัตรากำลังครูและการใช้ทรัพยากรร่วมกัน จำแนกตามขนาดโรงเรียน ดังนี้"
    )

    rooms = [row[1][which] for row in STUDENTS]
    pupils = [row[2][which] for row in STUDENTS]
    pupil_shares = percent_shares(pupils)
    student_table = _table(
        [
            ["ระดับการศึกษา", "ห้องเรียน", "นักเรียน (คน)", "ร้อยละ"],
            *(
                [row[0], _n(room), _n(count), share]
                for row, room, count, share in zip(
                    STUDENTS, rooms, pupils, pupil_shares, strict=True
                )
            ),
            ["รวม", _n(sum(rooms)), _n(sum(pupils)), "100.00"],
        ]
    )
    average = format_number(Decimal(sum(pupils)) / sum(rooms), places=2)
    student_text = (
        f"ข้อมูล ณ วันที่ 10 มิถุนายน {academic} จากระบบจัดเก็บข้อมูลนักเรียนรายบุคคล"
        f" (DMC) มีนักเรียนรวม {_n(sum(pupils))} คน ห้องเรียน {_n(sum(rooms))} ห้อง"
        f" เฉลี่ย {average} คนต่อห้อง จำแนกตามระดับการศึกษา ดังนี้"
    )

    staff_counts = [row[1][which] for row in TEACHERS]
    teaching = sum(staff_counts[2:5])
    ratio = format_number(Decimal(sum(pupils)) / teaching, places=2)
    teacher_table = _table(
        [
            ["ประเภทบุคลากร", "จำนวน (คน)"],
            *(
                [name, _n(count)]
                for (name, _), count in zip(TEACHERS, staff_counts, strict=True)
            ),
            ["รวม", _n(sum(staff_counts))],
        ]
    )
    teacher_text = (
        f"ปีการศึกษา {academic} สถานศึกษาในสังกัดมีผู้บริหาร ครู และบุคลากรสนับสนุน"
        f"การสอนรวม {_n(sum(staff_counts))} คน ครูผู้สอน (ข้าราชการครู พนักงานราชการ"
        f" และครูอัตราจ้าง) {_n(teaching)} คน อัตราส่วนนักเรียนต่อครูเท่ากับ {ratio} : 1"
        " โรงเรียนขนาดเล็กหลายแห่งยังมีครูไม่ครบชั้นเรียน"
    )

    swot_text = (
        "สำนักงานวิเคราะห์สภาพแวดล้อมภายในและภายนอกร่วมกับผู้บริหารสถานศึกษา"
        f" เมื่อเดือนกรกฎาคม {year - 1} เพื่อใช้กำหนดกลยุทธ์และโครงการของปีงบประมาณ"
        f" พ.ศ. {year} สรุปประเด็นสำคัญได้ ดังนี้"
    )
    swot_table = _table([["ปัจจัย", "ประเด็นสำคัญ"], *SWOT])

    return [
        (Part.CONTEXT, "ความเป็นมาและอำนาจหน้าที่", f"{history}\n\n{duties}", ""),
        (Part.CONTEXT, "โครงสร้างการบริหารและอัตรากำลังของสำนักงาน", structure, staff_table),
        (Part.CONTEXT, "ข้อมูลสถานศึกษาในสังกัด", school_text, size_table),
        (Part.CONTEXT, "ข้อมูลนักเรียน", student_text, student_table),
        (Part.CONTEXT, "ข้อมูลครูและบุคลากรในสถานศึกษา", teacher_text, teacher_table),
        (Part.CONTEXT, "ผลการวิเคราะห์สภาพแวดล้อม (SWOT)", swot_text, swot_table),
        (
            Part.CONTEXT,
            f"ผลการดำเนินงานปีงบประมาณ พ.ศ. {year - 1}",
            past["text"],
            past["table"],
        ),
    ]


def _past_results(office: Organization, year: int) -> dict:
    """Part 1's summary of the year before ``year``: from the demo's data when
    that year's plan has reports, else the figures of the office's last book."""
    before = year - 1
    final = ReportingRound.objects.filter(
        organization=office, fiscal_year=before, number=4
    ).first()
    plan = Plan.objects.filter(organization=office, fiscal_year=before).first()
    statuses = (
        list(
            ProgressReport.objects.filter(round=final).values_list("status", flat=True)
        )
        if final
        else []
    )
    Status = ProgressReport.Status
    if plan is None or not statuses:
        # The office's book of that year, before it used the system.
        counts = [(Status.COMPLETED.label, 13), (Status.POSTPONED.label, 1)]
        budget, paid = Decimal("312450"), Decimal("301230.50")
        achieved, total = 16, 20
        missed = [
            "ร้อยละของผู้เรียนชั้นประถมศึกษาปีที่ 3 อ่านคล่องและเขียนคล่อง",
            "ร้อยละของครูที่ได้รับการพัฒนาให้วัดและประเมินผลเพื่อพัฒนาการเรียนรู้",
            "ร้อยละของสถานศึกษาที่ผ่านเกณฑ์การประกันคุณภาพภายใน",
            "ผลการประเมินการพัฒนาสู่ระบบราชการ 4.0",
        ]
    else:
        counts = [
            (label, statuses.count(value))
            for value, label in Status.choices
            if statuses.count(value)
        ]
        budget = CostLine.objects.filter(activity__project__plan=plan).total()
        paid = Disbursement.objects.filter(activity__project__plan=plan).total()
        achieved, total, missed = _attainment(plan)
    projects = sum(count for _, count in counts)
    shares = percent_shares([count for _, count in counts])
    table = _table(
        [
            ["ผลการดำเนินงานโครงการ", "จำนวนโครงการ", "ร้อยละ"],
            *(
                [label, count, share]
                for (label, count), share in zip(counts, shares, strict=True)
            ),
            ["รวม", projects, "100.00"],
        ]
    )
    done = dict(counts).get(Status.COMPLETED.label, 0)
    text = (
        f"ปีงบประมาณ พ.ศ. {before} สำนักงานดำเนินโครงการตามแผนปฏิบัติการ {projects} โครงการ"
        f" ดำเนินการแล้วเสร็จ {done} โครงการ คิดเป็นร้อยละ {percent_of(done, projects)}"
        f" งบประมาณดำเนินโครงการ {format_baht(budget)} บาท"
        f" เบิกจ่าย {format_baht(paid)} บาท"
        f" คิดเป็นร้อยละ {percent_of(paid, budget)} ผลการดำเนินงานตามตัวชี้วัดกลยุทธ์"
        f" บรรลุค่าเป้าหมาย {achieved} จาก {total} ตัวชี้วัด คิดเป็นร้อยละ"
        f" {percent_of(achieved, total)}"
    )
    if missed:
        text += (
            "\n\nตัวชี้วัดที่ยังไม่บรรลุค่าเป้าหมาย และนำมาเป็นประเด็นพัฒนาในแผนปีนี้ ได้แก่ "
            + " ".join(f"{n}) {name}" for n, name in enumerate(missed, start=1))
        )
    return {"text": text, "table": table}


def _attainment(plan: Plan) -> tuple[int, int, list[str]]:
    targets = {
        target.indicator_id: target
        for target in IndicatorTarget.objects.filter(
            indicator__strategy__plan=plan, fiscal_year=plan.fiscal_year
        )
    }
    results = {
        result.indicator_id: result
        for result in IndicatorResult.objects.filter(
            indicator__strategy__plan=plan, fiscal_year=plan.fiscal_year
        )
    }
    indicators = list(
        Indicator.objects.filter(strategy__plan=plan).order_by(
            "strategy__number", "number"
        )
    )
    achieved, missed = 0, []
    for indicator in indicators:
        result = results.get(indicator.pk)
        verdict = result.achieved(targets.get(indicator.pk)) if result else None
        if verdict:
            achieved += 1
        elif verdict is False:
            missed.append(indicator.name)
    return achieved, len(indicators), missed


# ------------------------------------------------------------------ part 4


def _administration(office: Organization, year: int) -> list[tuple]:
    start, end = fiscal_year_range(year)
    implement = "\n\n".join(
        [
            f"แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {year} เป็นเครื่องมือในการขับเคลื่อนกลยุทธ์"
            "ของสำนักงานเขตพื้นที่การศึกษาสู่การปฏิบัติ การดำเนินงานให้บรรลุผลต้องอาศัย"
            "ความร่วมมือของทุกกลุ่ม หน่วย และสถานศึกษา สำนักงานจึงกำหนดแนวทางการบริหาร"
            "แผนสู่การปฏิบัติ ดังนี้",
            "1. สร้างความรู้ความเข้าใจ ชี้แจงแผนปฏิบัติการแก่บุคลากรทุกกลุ่มและผู้บริหาร"
            "สถานศึกษา ผ่านการประชุมและเผยแพร่ทางเว็บไซต์ของสำนักงาน ภายในเดือน"
            f"{_month_year(start)}",
            "2. มอบหมายผู้รับผิดชอบ กลุ่มที่รับผิดชอบโครงการดำเนินงานตามกิจกรรม ระยะเวลา"
            " และงบประมาณที่กำหนดไว้ในแผน หากจำเป็นต้องปรับแผน ให้เสนอเหตุผลผ่านกลุ่ม"
            "นโยบายและแผนเพื่อขออนุมัติผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาก่อนดำเนินการ",
            "3. บริหารงบประมาณอย่างคุ้มค่า ยึดหลักประหยัด โปร่งใส ตรวจสอบได้ ถูกต้องตาม"
            "ระเบียบ และเร่งรัดการเบิกจ่ายให้เป็นไปตามเป้าหมายสะสมรายไตรมาสที่รัฐบาลกำหนด"
            " ไตรมาสที่ 1 ร้อยละ 30 ไตรมาสที่ 2 ร้อยละ 54 ไตรมาสที่ 3 ร้อยละ 77"
            " และไตรมาสที่ 4 ร้อยละ 100",
            "4. ใช้ระบบสารสนเทศในการบริหารแผน บันทึกโครงการ การเบิกจ่าย และรายงาน"
            "ความก้าวหน้าในระบบเดียวกัน เพื่อให้ผู้บริหารติดตามสถานะได้ตลอดเวลา"
            " และลดการจัดทำเอกสารซ้ำซ้อน",
            "5. ประเมินผลและนำผลไปปรับปรุง สรุปบทเรียนเมื่อสิ้นปีงบประมาณ และนำผล"
            f"การประเมินไปใช้จัดทำแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {year + 1}",
        ]
    )

    monitoring = "\n\n".join(
        [
            f"{office.name} แต่งตั้งคณะกรรมการกำกับ ติดตาม และรายงานผลการดำเนินงาน"
            "ตามแผนปฏิบัติการ (รายละเอียดในภาคผนวก) ทำหน้าที่ติดตามความก้าวหน้า"
            "ของโครงการและการใช้จ่ายงบประมาณตลอดปีงบประมาณ",
            "ผู้รับผิดชอบโครงการรายงานผลการดำเนินงานแบบสะสม 4 รอบ ได้แก่ รอบ 3 เดือน"
            " รอบ 6 เดือน รอบ 9 เดือน และรอบ 12 เดือน ภายใน 15 วันนับจากวันสิ้นไตรมาส"
            " โดยรายงานสถานะการดำเนินงาน ร้อยละความก้าวหน้า ผลการดำเนินงานรายกิจกรรม"
            " ผลตามตัวชี้วัด ผลการใช้จ่ายงบประมาณ ปัญหาอุปสรรค และข้อเสนอแนะ"
            " พร้อมหลักฐานประกอบ กลุ่มนโยบายและแผนตรวจสอบรายงาน ส่งกลับให้แก้ไข"
            "เมื่อข้อมูลไม่ครบถ้วน และปิดรอบการรายงานเมื่อพ้นกำหนด",
            "กลุ่มนโยบายและแผนสรุปผลการดำเนินงานเสนอผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
            "ทุกรอบ และจัดทำรายงานผลการดำเนินงานประจำปีเมื่อสิ้นปีงบประมาณ เผยแพร่ทาง"
            "เว็บไซต์ของสำนักงานตามเกณฑ์การประเมินคุณธรรมและความโปร่งใส (ITA)"
            " กำหนดการรายงาน ดังนี้",
        ]
    )
    round_rows = [["รอบการรายงาน", "ช่วงเวลาการดำเนินงาน", "ข้อมูล ณ วันที่", "กำหนดส่งรายงาน"]]
    for number in (1, 2, 3, 4):
        first, _ = fiscal_quarter_range(year, number)
        period_end = ReportingRound.default_period_end(year, number)
        round_rows.append(
            [
                f"รอบ {number * 3} เดือน (ไตรมาสที่ {number})",
                f"{_month_year(first)} – {_month_year(period_end)}",
                thai_date(period_end),
                thai_date(ReportingRound.default_due_date(year, number)),
            ]
        )

    months = fiscal_month_dates(year)
    due = [ReportingRound.default_due_date(year, n) for n in (1, 2, 3, 4)]
    calendar = _table(
        [
            ["ขั้นตอน", "ระยะเวลา", "ผู้รับผิดชอบ"],
            [
                "1. ชี้แจงแผนปฏิบัติการและมอบหมายผู้รับผิดชอบโครงการ",
                _month_year(months[0]),
                "กลุ่มนโยบายและแผน",
            ],
            [
                "2. ดำเนินโครงการและบันทึกการเบิกจ่ายตามแผนการใช้จ่ายรายไตรมาส",
                f"{_month_year(start)} – {_month_year(end)}",
                "ทุกกลุ่ม/หน่วย และกลุ่มบริหารงานการเงินและสินทรัพย์",
            ],
            *(
                [
                    f"{n + 2}. รายงานความก้าวหน้ารอบ {n * 3} เดือน",
                    f"ภายใน {thai_date(due[n - 1])}",
                    "ผู้รับผิดชอบโครงการ",
                ]
                for n in (1, 2, 3, 4)
            ),
            [
                "7. ทบทวนและปรับแผนระหว่างปี (ถ้ามี)",
                f"{_month_year(months[5])} – {_month_year(months[6])}",
                "กลุ่มนโยบายและแผน",
            ],
            [
                "8. จัดทำแผนปฏิบัติการปีงบประมาณถัดไป",
                f"{_month_year(months[9])} – {_month_year(months[11])}",
                "กลุ่มนโยบายและแผน",
            ],
            [
                "9. สรุปและรายงานผลการดำเนินงานประจำปี",
                f"{_month_year(end + datetime.timedelta(days=1))} – "
                f"{_month_year(end + datetime.timedelta(days=45))}",
                "กลุ่มนโยบายและแผน",
            ],
        ]
    )
    success = (
        "การบริหารแผนปฏิบัติการให้บรรลุผลสำเร็จขึ้นอยู่กับปัจจัยสำคัญ ดังนี้\n"
        "1) ผู้บริหารให้ความสำคัญ และกำกับ ติดตามการดำเนินงานอย่างต่อเนื่อง\n"
        "2) บุคลากรทุกกลุ่มมีส่วนร่วมและเข้าใจเป้าหมายของแผนตรงกัน\n"
        "3) ได้รับจัดสรรงบประมาณตรงตามเวลาที่กำหนด\n"
        "4) ระบบข้อมูลสารสนเทศถูกต้อง เป็นปัจจุบัน และเชื่อมโยงกัน\n"
        "5) มีเครือข่ายความร่วมมือกับสถานศึกษา องค์กรปกครองส่วนท้องถิ่น และชุมชน"
    )
    return [
        (Part.ADMINISTRATION, "การนำแผนปฏิบัติการสู่การปฏิบัติ", implement, ""),
        (
            Part.ADMINISTRATION,
            "การกำกับ ติดตาม และรายงานผลการดำเนินงาน",
            monitoring,
            _table(round_rows),
        ),
        (
            Part.ADMINISTRATION,
            "ปฏิทินการบริหารแผนปฏิบัติการ",
            "ขั้นตอนการบริหารแผนตลอดปีงบประมาณ มีดังนี้",
            calendar,
        ),
        (Part.ADMINISTRATION, "ปัจจัยแห่งความสำเร็จ", success, ""),
    ]


# ------------------------------------------------------------------ appendix


def _appendix(office: Organization, year: int) -> list[tuple]:
    people = _committee(office)
    director = people["director"]
    deputy = people["deputies"][0] if people["deputies"] else director
    head_of = {
        group.order: (name, position) for group, name, position in people["heads"]
    }
    planning_head = head_of.get(2)
    start, _ = fiscal_year_range(year)
    issued_year = year - 1

    def order_header(number: int, subject: str) -> str:
        return f"คำสั่ง{office.name}\nที่ {number}/{issued_year}\nเรื่อง {subject}"

    # 1. The committee that drafted the plan (July of the year before).
    drafting_subject = f"แต่งตั้งคณะกรรมการจัดทำแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {year}"
    drafting_members = [
        _member(deputy, "ประธานกรรมการ"),
        *(
            _member((name, position), "กรรมการ")
            for group, name, position in people["heads"]
            if group.order != 2
        ),
        *([_member(planning_head, "กรรมการและเลขานุการ")] if planning_head else []),
        *(_member(p, "กรรมการและผู้ช่วยเลขานุการ") for p in people["planners"]),
    ]
    drafting = "\n\n".join(
        [
            order_header(300 + year % 100, drafting_subject),
            f"ด้วย{office.name} จะจัดทำแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {year}"
            " เพื่อใช้เป็นกรอบในการบริหารจัดการศึกษาและการใช้จ่ายงบประมาณ ให้สอดคล้องกับ"
            "ยุทธศาสตร์ชาติ นโยบายของกระทรวงศึกษาธิการ และนโยบายของสำนักงานคณะกรรมการ"
            "การศึกษาขั้นพื้นฐาน",
            "อาศัยอำนาจตามความในมาตรา 37 แห่งพระราชบัญญัติระเบียบบริหารราชการกระทรวง"
            "ศึกษาธิการ พ.ศ. 2546 และที่แก้ไขเพิ่มเติม จึงแต่งตั้งคณะกรรมการจัดทำแผน"
            "ปฏิบัติการ ประกอบด้วย\n" + _numbered(drafting_members),
            "ให้คณะกรรมการมีหน้าที่ วิเคราะห์สภาพแวดล้อมและผลการดำเนินงานที่ผ่านมา"
            " กำหนดกลยุทธ์ ตัวชี้วัด และค่าเป้าหมาย พิจารณากลั่นกรองโครงการและงบประมาณ"
            " และจัดทำเล่มแผนปฏิบัติการเสนอผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาพิจารณา"
            f"อนุมัติให้แล้วเสร็จภายในเดือน{_month_year(start - datetime.timedelta(days=20))}",
            "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป\n\nสั่ง ณ วันที่ "
            + _order_date(start.replace(month=7, day=3)),
            _signature(office, director),
        ]
    )

    # 2. The committee that monitors it (before the year begins).
    monitoring_subject = (
        "แต่งตั้งคณะกรรมการกำกับ ติดตาม และรายงานผลการดำเนินงานตามแผนปฏิบัติการ"
        f"ประจำปีงบประมาณ พ.ศ. {year}"
    )
    advisers = [
        _member(director, "ประธานที่ปรึกษา"),
        *(_member(p, "ที่ปรึกษา") for p in people["deputies"]),
    ]
    monitors = [
        _member(deputy, "ประธานกรรมการ"),
        *(
            _member((name, position), "กรรมการ")
            for group, name, position in people["heads"]
            if group.order != 2
        ),
        *(_member(p, "กรรมการ") for p in people["finance"]),
        *([_member(planning_head, "กรรมการและเลขานุการ")] if planning_head else []),
        *(_member(p, "กรรมการและผู้ช่วยเลขานุการ") for p in people["planners"]),
    ]
    monitoring = "\n\n".join(
        [
            order_header(450 + year % 100, monitoring_subject),
            f"{office.name} ได้จัดทำแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {year} เพื่อใช้เป็น"
            "แนวทางในการบริหารจัดการศึกษาขั้นพื้นฐานของสำนักงานเขตพื้นที่การศึกษาและ"
            "สถานศึกษาในสังกัด เพื่อให้การดำเนินงานโครงการและการใช้จ่ายงบประมาณ"
            "เป็นไปอย่างมีประสิทธิภาพ บรรลุเป้าหมายและตัวชี้วัดที่กำหนด จึงแต่งตั้ง"
            "คณะกรรมการกำกับ ติดตาม และรายงานผลการดำเนินงาน ดังนี้",
            "1. คณะกรรมการที่ปรึกษา\n"
            + _numbered(advisers)
            + "\nมีหน้าที่ ให้คำปรึกษา เสนอแนะ และอำนวยความสะดวกในการกำกับ ติดตาม"
            " และแก้ไขปัญหาอุปสรรคในการดำเนินงาน",
            "2. คณะกรรมการดำเนินงาน\n"
            + _numbered(monitors)
            + "\nมีหน้าที่ กำกับ ติดตามความก้าวหน้าการดำเนินงานและการใช้จ่ายงบประมาณ"
            "ของแต่ละโครงการ ตรวจสอบรายงานรอบ 3 เดือน 6 เดือน 9 เดือน และ 12 เดือน"
            " สรุปผลการดำเนินงาน ปัญหาอุปสรรค และข้อเสนอแนะ เสนอผู้อำนวยการสำนักงานเขต"
            "พื้นที่การศึกษา และจัดทำรายงานผลการดำเนินงานประจำปี",
            "ให้ผู้ที่ได้รับการแต่งตั้งปฏิบัติหน้าที่อย่างเต็มความสามารถ เพื่อให้เกิดผลดีต่อทางราชการ",
            "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป\n\nสั่ง ณ วันที่ "
            + _order_date(start - datetime.timedelta(days=6)),
            _signature(office, director),
        ]
    )

    team = [["บทบาท", "ชื่อ – สกุล", "ตำแหน่ง"]]
    for person in [director, *people["deputies"]]:
        if person:
            team.append(["ที่ปรึกษา", person.full_name, person.position])
    if planning_head:
        team.append(["รวบรวมและตรวจสอบข้อมูล", *planning_head])
    for person in people["planners"]:
        team.append(["รวบรวมและตรวจสอบข้อมูล", person.full_name, person.position])
    for person in people["finance"]:
        team.append(["ข้อมูลงบประมาณ", person.full_name, person.position])
    for person in people["computer"]:
        team.append(["จัดทำรูปเล่มและเผยแพร่", person.full_name, person.position])

    return [
        (Part.APPENDIX, "คำสั่งแต่งตั้งคณะกรรมการจัดทำแผนปฏิบัติการ", drafting, ""),
        (
            Part.APPENDIX,
            "คำสั่งแต่งตั้งคณะกรรมการกำกับ ติดตาม และรายงานผลการดำเนินงาน",
            monitoring,
            "",
        ),
        (
            Part.APPENDIX,
            "คณะผู้จัดทำ",
            f"แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {year} จัดทำโดยกลุ่มนโยบายและแผน"
            " ร่วมกับทุกกลุ่มและหน่วยในสำนักงาน",
            _table(team),
        ),
    ]


# ------------------------------------------------------------------ results


def _indicator_results(plan: Plan) -> None:
    """Record the finished year's result of every strategy indicator."""
    budget = CostLine.objects.filter(activity__project__plan=plan).aggregate(
        total=Sum("amount")
    )["total"]
    paid = Disbursement.objects.filter(activity__project__plan=plan).aggregate(
        total=Sum("amount")
    )["total"]
    disbursed = percent_of(paid or 0, budget) if budget else Decimal("96.40")
    for indicator in Indicator.objects.filter(strategy__plan=plan).select_related(
        "strategy"
    ):
        key = (indicator.strategy.number, indicator.number)
        if key not in INDICATOR_RESULTS:
            continue
        value, text, verdict, note = INDICATOR_RESULTS[key]
        if key == (4, 2):
            value = disbursed
        IndicatorResult.objects.update_or_create(
            indicator=indicator,
            fiscal_year=plan.fiscal_year,
            defaults={
                "actual_value": value,
                "actual_text": text,
                "achieved_override": verdict,
                "note": note,
            },
        )


# ------------------------------------------------------------------ builder


@transaction.atomic
def load_demo_reports() -> None:
    """Plan-book sections of both demo plans; indicator results of last year."""
    office = Organization.objects.filter(short_name=DEMO_OFFICE).first()
    if office is None:
        return
    year = current_fiscal_year()
    plans = {
        plan.fiscal_year: plan
        for plan in Plan.objects.filter(
            organization=office, fiscal_year__in=[year - 1, year]
        )
    }
    previous = plans.get(year - 1)
    if previous is not None:
        _indicator_results(previous)
    for which, plan_year in enumerate((year - 1, year)):
        plan = plans.get(plan_year)
        if plan is None:
            continue
        _sync_sections(
            plan,
            [
                *_foreword(office, plan_year),
                *_context(office, plan_year, which, _past_results(office, plan_year)),
                *_administration(office, plan_year),
                *_appendix(office, plan_year),
            ],
        )
