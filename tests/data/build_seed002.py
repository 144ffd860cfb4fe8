# ruff: noqa: E501 -- the seed's names are data, kept one per line as printed.
"""Writes seed 002's 37 projects and their money as the product imports them.

Seed 002 is สพป.เชียงใหม่ เขต ๒'s six-month progress report of FY2565
(รายงานสรุปความก้าวหน้าของการดำเนินโครงการ … รอบ ๖ เดือน). It reports three
funding groups: the office's own plan (17 projects: 2 in progress, 15 not
started), projects allocated by OBEC (18: 3 completed, 15 in progress) and two
projects funded by another agency, สถาบันทดสอบทางการศึกษาแห่งชาติ (NIETS), both
in progress. For each project with money it prints the spending plan of the
six months ("จำนวนเงินงบประมาณตามแผนการใช้จ่าย"), what was paid ("… ที่เบิกจ่าย
จริง") and mostly a verdict ("ผลการเบิกจ่ายงบประมาณ สามารถ/ไม่สามารถเบิกจ่าย
งบประมาณได้ตามแผนการ"). Run from the repository root to rebuild the files:

    python tests/data/build_seed002.py

Two files: ``seed002_fy2565.xlsx`` (the whole-office plan workbook: projects,
one activity and one cost line per project with money, the quarterly plan)
and ``seed002_payments.xlsx`` (the finance group's disbursement sheet). The
seed prints statuses, not a file: no import path exists for progress reports
(``progress/resources.py`` is an export), so the test records :data:`STATUS`
through ``progress.services``.

Transcribed as printed; what the product requires and the seed does not give:

- Code: the seed's own numbering (1.1.1 … 3.2), as text.
- Group (กลุ่มที่รับผิดชอบ, required): the report names no group per project;
  the only group it names is the one that compiled it, กลุ่มนโยบายและแผน, so
  every project is under that group.
- Budget source: OBEC's projects are "งบประมาณจาก สพฐ.", NIETS's "งบจาก
  หน่วยงานอื่น" with the agency named as the report prints it; the plan's
  own projects name no source (left blank: they count in the plan's group).
- Money: the seed prints no yearly budget, only the six-month plan and what
  was paid. The product needs a budget that the quarterly plan adds up to and
  that payments stay within, so each project with money has one activity
  named as the project and one unclassified line "งบประมาณ" of the least
  budget its figures allow: the larger of plan and paid. Quarter 2 holds the
  six-month plan (the seed prints the cumulative figure only, so quarter 1
  stays blank; the report adds quarters 1–2); when more was paid than planned
  the difference is quarter 4, which a six-month report never reads.
- Projects without figures (the plan's 16 projects but the first, OBEC's
  2.2.13 printing 0 / 0) have no activity, line or payment.
- 2.2.15 prints what was paid as "๑๐,๐๐" with the verdict "สามารถเบิกจ่าย
  งบประมาณได้ตามแผนการ" against a plan of 10,000: read as 10,000.
- Payments: one per project, dated the end of the period (31 มี.ค. ๒๕๖๕), the
  seed prints no dates.
"""

import datetime
import sys
from decimal import Decimal
from pathlib import Path

# Run as a script, the repository root is not on the path yet.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.data import workbook_builder  # noqa: E402

HERE = Path(__file__).resolve().parent
PLAN_BOOK = HERE / "seed002_fy2565.xlsx"
PAYMENTS = HERE / "seed002_payments.xlsx"
FISCAL_YEAR = 2565
GROUP = "กลุ่มนโยบายและแผน"
OBEC = "งบประมาณจาก สพฐ."
OTHER = "งบจากหน่วยงานอื่น"
NIETS = "สถาบันทดสอบทางการศึกษาแห่งชาติ"
PAID_ON = datetime.date(2022, 3, 31)  # 31 มี.ค. 2565, the end of the six months

ON_PLAN = "สามารถเบิกจ่ายได้ตามแผน"
BEHIND = "ไม่สามารถเบิกจ่ายได้ตามแผน"
D = Decimal

#: (code, name as printed, source, agency, status, six-month plan, paid,
#: verdict printed). ``None`` where the seed prints nothing.
PROJECTS = (
    # ๑.๑ โครงการที่อยู่ระหว่างดำเนินการ
    (
        "1.1.1",
        "โครงการพัฒนาคุณภาพการศึกษาขั้นพื้นฐานโดยครอบครัวและศูนย์การเรียนรู้ ประจำปีการศึกษา ๒๕๖๔/ปีงบประมาณ ๒๕๖๕",
        "",
        "",
        "in_progress",
        D("9900"),
        D("9900"),
        None,
    ),
    (
        "1.1.2",
        "โครงการส่งเสริมความเป็นเลิศทางวิชาการและคุณลักษณะที่จำเป็นในศตวรรษ ที่ ๒๑",
        "",
        "",
        "in_progress",
        None,
        None,
        None,
    ),
    # ๑.๒ โครงการที่ยังไม่ได้ดำเนินการ
    ("1.2.1", "โครงการลูกเสือจิตอาสาพระราชทาน", "", "", "not_started", None, None, None),
    (
        "1.2.2",
        "โครงการกระบวนการเรียนรู้ประชาธิปไตยโดยผ่านกิจกรรมสถานักเรียน",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.3",
        "โครงการพัฒนาผู้บริหารสถานศึกษา ครู และบุคลากรทางการศึกษา เพื่อพัฒนานวัตกรรมสร้างสรรค์คนดี ด้านการจัดการเรียนรู้และด้านบริหารจัดการศึกษา",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.4",
        "โครงการอนุรักษ์สืบสานวัฒนธรรมท้องถิ่นล้านนา ปีงบประมาณ ๒๕๖๕",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.5",
        "โครงการพัฒนาการจัดประสบการณ์และกิจกรรมเสริมทักษะเด็กปฐมวัย",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.6",
        "โครงการยกระดับผลสัมฤทธิ์ทางการเรียนการศึกษาขั้นพื้นฐาน ประจำปี การศึกษา ๒๕๖๔",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.7",
        "โครงการส่งเสริมการจัดการเรียนการสอนผ่านแพลตฟอร์มด้านการศึกษาสู่ความ เป็นเลิศทางวิชาการ",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.8",
        "โครงการพัฒนาสมรรถนะการคิดขั้นสูงตามแนวทางการประเมินสมรรถนะ นักเรียนมาตรฐานสากล (PISA ๒๐๒๒)",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.9",
        "โครงการพัฒนาคุณภาพการจัดการศึกษาเรียนรวม ปีงบประมาณ ๒๕๖๕",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.10",
        "โครงการสวนพฤกษศาสตร์โรงเรียน สำนักงานเขตพื้นที่การศึกษาประถมศึกษา เชียงใหม่ เขต ๒",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.11",
        "โครงการสิ่งแวดล้อมศึกษา สืบสานศาสตร์พระราชาสู่การพัฒนาที่ยั่งยืน ตามเป้าหมายการพัฒนาที่ยั่งยืน SDGs",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.12",
        "โครงการสำนักงานเขตพื้นที่การศึกษาปลอดภัย",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.13",
        "โครงการการพัฒนาประสิทธิภาพการบริหารจัดการ ด้วยกระบวนการ PLC",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.14",
        "โครงการส่งเสริมพัฒนาระบบบริหารและการจัดการศึกษาด้วยนวัตกรรมและ เทคโนโลยี",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    (
        "1.2.15",
        "โครงการขับเคลื่อนการพัฒนาระบบประกันคุณภาพการศึกษา ปีการศึกษา ๒๕๖๕",
        "",
        "",
        "not_started",
        None,
        None,
        None,
    ),
    # ๒.๑ โครงการที่ดำเนินการเสร็จสิ้นแล้ว (งบประมาณจาก สพฐ.)
    (
        "2.1.1",
        "โครงการพัฒนาศูนย์การเรียนรู้เทคโนโลยีและทักษะด้านการเขียนโปรแกรมเพื่อส่งเสริมโรงเรียนคุณภาพประจำตำบล",
        OBEC,
        "",
        "completed",
        D("5100000"),
        D("5100000"),
        ON_PLAN,
    ),
    (
        "2.1.2",
        "โครงการการสรรหาบุคคลเพื่อบรรจุเป็นอัตราจ้างผู้ปฏิบัติงานให้ราชการ ตำแหน่งครูรายเดือนแก้ไขปัญหาสถานศึกษาขาดแคลนครูชั้นวิฤต",
        OBEC,
        "",
        "completed",
        D("16970"),
        D("4840"),
        BEHIND,
    ),
    (
        "2.1.3",
        "โครงการบ้านนักวิทยาศาสตร์น้อย ประเทศไทย ปีงบประมาณ ๒๕๖๕",
        OBEC,
        "",
        "completed",
        D("5000"),
        D("5000"),
        ON_PLAN,
    ),
    # ๒.๒ โครงการที่อยู่ระหว่างดำเนินการ
    (
        "2.2.1",
        "โครงการการเข้าใช้บริการสัญญาณอินเทอร์เน็ต",
        OBEC,
        "",
        "in_progress",
        D("802500"),
        D("760122"),
        BEHIND,
    ),
    (
        "2.2.2",
        "โครงการบูรณาการครบวงจร",
        OBEC,
        "",
        "in_progress",
        D("4249500"),
        D("1785000"),
        BEHIND,
    ),
    (
        "2.2.3",
        "โครงการครุคลังสมอง",
        OBEC,
        "",
        "in_progress",
        D("652260"),
        D("630000"),
        BEHIND,
    ),
    (
        "2.2.4",
        "โครงการสนับสนุนค่าใช้จ่ายในการจัดการศึกษา ตั้งแต่ระดับอนุบาลจนจบการศึกษา ขั้นพื้นฐาน ค่าจัดการเรียนการสอน (ค่าอาหารนักเรียนประจำพักนอน)",
        OBEC,
        "",
        "in_progress",
        D("949333.33"),
        D("2781600"),
        BEHIND,
    ),
    (
        "2.2.5",
        "โครงการสนับสนุนค่าใช้จ่ายในการจัดการศึกษา ตั้งแต่ระดับอนุบาลจนจบการศึกษา ขั้นพื้นฐาน",
        OBEC,
        "",
        "in_progress",
        D("11469006"),
        D("46112086"),
        BEHIND,
    ),
    (
        "2.2.6",
        "โครงการครูผู้ทรงคุณค่าแห่งแผ่นดิน",
        OBEC,
        "",
        "in_progress",
        D("255000"),
        D("153000"),
        BEHIND,
    ),
    (
        "2.2.7",
        "โครงการการบริหารงบประมาณเพื่อยกระดับคุณภาพการบริหารจัดการศึกษา",
        OBEC,
        "",
        "in_progress",
        D("612640"),
        D("592669.68"),
        BEHIND,
    ),
    (
        "2.2.8",
        "โครงการขับเคลื่อนการพัฒนาการศึกษาที่ยั่งยืน",
        OBEC,
        "",
        "in_progress",
        D("111600"),
        D("108000"),
        BEHIND,
    ),
    (
        "2.2.9",
        "โครงการจ้างพนักงานราชการ",
        OBEC,
        "",
        "in_progress",
        D("6173900"),
        D("3468915"),
        BEHIND,
    ),
    (
        "2.2.10",
        "โครงการจ้างพี่เลี้ยงเด็กพิการ",
        OBEC,
        "",
        "in_progress",
        D("477000"),
        D("1323000"),
        BEHIND,
    ),
    (
        "2.2.11",
        "โครงการประชุมเชิงปฏิบัติการในการให้ข้าราชการครูและบุคลากรทางการศึกษา เลื่อนวิทยฐานะ",
        OBEC,
        "",
        "in_progress",
        D("8730"),
        D("27109"),
        BEHIND,
    ),
    (
        "2.2.12",
        "โครงการขับเคลื่อนโครงการโรงเรียนคุณภาพ ระดับเขตพื้นที่การศึกษา",
        OBEC,
        "",
        "in_progress",
        D("9590"),
        D("9590"),
        ON_PLAN,
    ),
    (
        "2.2.13",
        "โครงการพัฒนาสื่อและเทคโนโลยีสารสนเทศเพื่อการศึกษา",
        OBEC,
        "",
        "in_progress",
        D("0"),
        D("0"),
        None,
    ),
    (
        "2.2.14",
        "โครงการขับเคลื่อนการดำเนินงานระบบการดูแลช่วยเหลือคุ้มครองนักเรียน ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
        OBEC,
        "",
        "in_progress",
        D("5000"),
        D("4370"),
        BEHIND,
    ),
    (
        "2.2.15",
        "โครงการประเมินความสามารถด้านการอ่านของผู้เรียน ชั้นประถมศึกษาปีที่ ๑ ประจำปีการศึกษา ๒๕๖๔",
        OBEC,
        "",
        "in_progress",
        D("10000"),
        D("10000"),
        ON_PLAN,
    ),
    # ๓. โครงการที่ได้รับงบประมาณจากหน่วยงานอื่น (สถาบันทดสอบทางการศึกษาแห่งชาติ)
    (
        "3.1",
        "โครงการการทดสอบทางการศึกษาระดับชาตินี้พื้นฐาน (O-NET)",
        OTHER,
        NIETS,
        "in_progress",
        D("385480"),
        D("0"),
        BEHIND,
    ),
    (
        "3.2",
        "โครงการประเมินคุณภาพผู้เรียน ชั้นประถมศึกษาปีที่ ๓ ประจำปีการศึกษา ๒๕๖๔",
        OTHER,
        NIETS,
        "in_progress",
        D("10000"),
        D("10000"),
        ON_PLAN,
    ),
)

#: code → status of the six-month round (ProgressReport.Status values).
STATUS = {row[0]: row[4] for row in PROJECTS}


def _with_money(row) -> bool:
    return bool(row[5] or row[6])


def rows() -> dict[str, list[dict]]:
    """The plan workbook's sheets."""
    from excel import layout

    money = [row for row in PROJECTS if _with_money(row)]
    quarters = []
    for code, _, _, _, _, plan, paid, _ in money:
        quarter = {"project": code, "activity": 1, "q2": plan}
        if paid > plan:
            quarter["q4"] = paid - plan
        quarters.append(quarter)
    return {
        layout.PLAN.name: [
            {
                "fiscal_year": FISCAL_YEAR,
                "title": "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
            }
        ],
        layout.PROJECTS.name: [
            {
                "code": code,
                "sequence": sequence,
                "name": name,
                "group": GROUP,
                "budget_source": source,
                "funding_agency": agency,
                "uses_budget": layout.USES_BUDGET_YES,
            }
            for sequence, (code, name, source, agency, *_rest) in enumerate(
                PROJECTS, start=1
            )
        ],
        layout.ACTIVITIES.name: [
            {"project": row[0], "activity": 1, "name": row[1]} for row in money
        ],
        layout.COST_LINES.name: [
            {
                "project": row[0],
                "activity": 1,
                "order": 1,
                "description": "งบประมาณ",
                "amount": max(row[5], row[6]),
            }
            for row in money
        ],
        layout.QUARTERS.name: quarters,
    }


def payments() -> list[dict]:
    """The finance sheet: what each project paid in the six months."""
    return [
        {
            "paid_on": PAID_ON,
            "document_number": f"รอบ 6 เดือน {code}",
            "project": code,
            "activity": 1,
            "amount": paid,
            "note": "เบิกจ่ายจริงตามรายงานรอบ ๖ เดือน",
        }
        for code, _, _, _, _, _, paid, _ in PROJECTS
        if paid
    ]


def main() -> None:
    workbook_builder.setup_django()
    workbook_builder.write_book(PLAN_BOOK, rows())
    workbook_builder.write_payments(PAYMENTS, payments())


if __name__ == "__main__":
    main()
